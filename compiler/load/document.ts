// The load stage's output: plain JSON values plus where each value came from.
import type { SourceLocation } from '../diagnostics/diagnostic.js';

export type SourceFormat = 'yaml' | 'json' | 'jsonnet';

/** Where a value and, for an object member, its key were written. */
export interface NodeLocation {
  readonly value: SourceLocation;
  readonly key?: SourceLocation;
}

/** JSON pointer → location, for every node of a document that has one. */
export type SourceMap = ReadonlyMap<string, NodeLocation>;

export interface LoadedDocument {
  /** Path as given or relative to the working directory, with `/` separators. */
  readonly file: string;
  /** Position of the document within a multi-document file (0-based). */
  readonly index: number;
  readonly format: SourceFormat;
  /** The document as plain JSON data. */
  readonly value: unknown;
  readonly locations: SourceMap;
  /** SHA-256 of the file's bytes: the same file gives the same digest on any machine. */
  readonly fileDigest: string;
}

/** RFC 6901 escaping of one pointer segment. */
export function escapePointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(parent: string, segment: string | number): string {
  return `${parent}/${escapePointerSegment(segment)}`;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

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

/** The value at a pointer, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const seg of splitPointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}
