// Environment overrides merged onto the base spec. The rules, documented in the README:
//   - maps merge key by key (recursively);
//   - lists and scalars replace the base value whole;
//   - an explicit `null` removes the key.
// Named collections are maps, so one tier or one view can be changed without repeating the rest.
// Locations follow the values: a merged value reports where it was written (base or override).
import { joinPointer } from '../../core/json-pointer.js';
import type { NodeLocation, SourceMap } from '../../core/source/source-map.js';

export interface Located {
  readonly value: unknown;
  readonly locations: SourceMap;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Merge `override` (found in the source at pointer `overridePointer`) onto `base` (at pointer '').
 * The returned locations map pointers of the merged value.
 */
export function mergeOverride(
  base: Located,
  override: unknown,
  overrideLocations: SourceMap,
  overridePointer: string,
): Located {
  const locations = new Map<string, NodeLocation>(base.locations);
  const dropSubtree = (pointer: string) => {
    for (const key of [...locations.keys()])
      if (key === pointer || key.startsWith(`${pointer}/`)) locations.delete(key);
  };
  const copySubtree = (from: string, to: string) => {
    for (const [key, loc] of overrideLocations) {
      if (key === from || key.startsWith(`${from}/`)) locations.set(to + key.slice(from.length), loc);
    }
  };
  const merge = (b: unknown, o: unknown, pointer: string, from: string): unknown => {
    if (isMap(b) && isMap(o)) {
      const out: Record<string, unknown> = { ...b };
      for (const [k, v] of Object.entries(o)) {
        const child = joinPointer(pointer, k);
        const childFrom = joinPointer(from, k);
        if (v === null) {
          delete out[k];
          dropSubtree(child);
        } else {
          out[k] = merge(b[k], v, child, childFrom);
        }
      }
      return out;
    }
    dropSubtree(pointer);
    copySubtree(from, pointer);
    return structuredClone(o);
  };
  const value = merge(base.value, override, '', overridePointer);
  return { value, locations };
}
