// Request tensors share slabs: many requests per ArrayBuffer, and never two tensors in the same bytes.
import { describe, expect, it } from 'vitest';
import { slabArray } from '../../../runtime/model/tensor-slab.js';

describe('slabArray', () => {
  it('gives zero-filled, 8-byte aligned views that many requests share', () => {
    const arrays = [
      slabArray(Uint8Array, 3),
      slabArray(BigInt64Array, 2),
      slabArray(Float32Array, 5),
      slabArray(Float64Array, 1),
      slabArray(Int32Array, 0),
      slabArray(Uint8Array, 1),
    ];
    for (const a of arrays) {
      expect(a.byteOffset % 8).toBe(0);
      expect(Array.from(a as ArrayLike<number | bigint>).every((v) => v === 0 || v === 0n)).toBe(true);
    }
    const many = Array.from({ length: 100 }, () => slabArray(Float32Array, 32));
    // 100 requests of 32 features (12.8 KB) fit in one or two 64 KiB slabs, not 100 buffers.
    expect(new Set(many.map((a) => a.buffer)).size).toBeLessThanOrEqual(2);
  });

  it('never lets a later tensor overwrite one still held, across slab boundaries', () => {
    const held = Array.from({ length: 3000 }, (_, i) => {
      const a = slabArray(Float32Array, 7); // 28 bytes: padding between neighbours
      a.fill(i);
      return a;
    });
    expect(new Set(held.map((a) => a.buffer)).size).toBeGreaterThan(1); // 3000 x 32 bytes spans slabs
    held.forEach((a, i) => expect(Array.from(a)).toEqual(new Array(7).fill(i)));
  });

  it('gives a large tensor its own buffer instead of a slab slice', () => {
    const big = slabArray(Float64Array, 4096);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(4096 * 8);
    expect(slabArray(Float64Array, 1).buffer).not.toBe(big.buffer);
  });
});
