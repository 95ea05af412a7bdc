import { describe, expect, it } from 'vitest';
import { canonicalJson, contentDigest, sortKeys } from '../../core/canonical-json.js';
import { compareCodeUnits } from '../../core/compare.js';

describe('canonical JSON', () => {
  it('orders keys by UTF-16 code unit at every level, whatever the insertion order or locale', () => {
    // Upper case before lower, digits before letters, an astral character (surrogate pair,
    // 0xD83D...) before a BMP character above it (0xFF5A), unlike code point order.
    const keys = ['b', 'B', 'a', '1x', '09', 'é', 'e', '😀', 'ｚ', '', 'a-b', 'a_b'];
    const value = Object.fromEntries(keys.map((k) => [k, { z: 1, y: [{ d: 1, c: 2 }] }]));
    const sorted = sortKeys(value) as Record<string, { y: Record<string, number>[] }>;
    expect(Object.keys(sorted)).toEqual([...keys].sort(compareCodeUnits));
    expect(Object.keys(sorted)).toEqual(['', '09', '1x', 'B', 'a', 'a-b', 'a_b', 'b', 'e', 'é', '😀', 'ｚ']);
    expect(Object.keys(sorted.b!)).toEqual(['y', 'z']);
    expect(Object.keys(sorted.b!.y[0]!)).toEqual(['c', 'd']);
  });

  it('puts integer-like keys first in numeric order (as every JS object does), still the same every time', () => {
    // An object cannot hold "10" before "9": JSON.stringify and YAML output follow the object.
    expect(canonicalJson({ b: 1, '10': 1, '9': 1, a: 1 })).toBe('{"9":1,"10":1,"a":1,"b":1}');
    expect(canonicalJson({ a: 1, '9': 1, b: 1, '10': 1 })).toBe('{"9":1,"10":1,"a":1,"b":1}');
  });

  it('drops undefined values and the keys a filter names, keeps nulls and array order', () => {
    expect(sortKeys({ b: undefined, a: null, 'x/drop': 1, c: [3, 1, 2] }, (k) => k.startsWith('x/'))).toEqual({
      a: null,
      c: [3, 1, 2],
    });
  });

  it('gives the same text and digest for the same data in any key order', () => {
    const a = { kind: 'A', spec: { x: 1, y: [1, { q: 1, p: 2 }] } };
    const b = { spec: { y: [1, { p: 2, q: 1 }], x: 1 }, kind: 'A' };
    expect(canonicalJson(a)).toBe('{"kind":"A","spec":{"x":1,"y":[1,{"p":2,"q":1}]}}');
    expect(contentDigest(a)).toBe(contentDigest(b));
    expect(contentDigest(a)).not.toBe(contentDigest({ ...b, kind: 'B' }));
  });
});
