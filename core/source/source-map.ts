// Where each value of a parsed document was written: JSON pointer → line and column.
import type { SourceLocation } from '../diagnostics/diagnostic.js';

/** Where a value and, for an object member, its key were written. */
export interface NodeLocation {
  readonly value: SourceLocation;
  readonly key?: SourceLocation;
}

/** JSON pointer → location, for every node of a document that has one. */
export type SourceMap = ReadonlyMap<string, NodeLocation>;

/**
 * The location for a pointer: its own, or the nearest ancestor's when the node does not exist
 * (a missing key is reported where its parent object is written).
 */
export function locate(locations: SourceMap, pointer: string, preferKey = false): SourceLocation | undefined {
  let p = pointer;
  for (;;) {
    const loc = locations.get(p);
    if (loc) return preferKey && loc.key ? loc.key : loc.value;
    if (p === '') return undefined;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
