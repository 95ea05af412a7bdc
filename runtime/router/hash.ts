// MurmurHash3 (x86, 32-bit) of a string's UTF-8 bytes: fast, well mixed, and the same value
// any other implementation gives (Python `mmh3.hash(key, seed, signed=False)`), so an analyst
// can recompute an assignment outside the runtime.
const encoder = new TextEncoder();

export function murmur3(key: string, seed: number): number {
  return murmur3Bytes(encoder.encode(key), seed);
}

export function utf8(key: string): Uint8Array {
  return encoder.encode(key);
}

export function murmur3Bytes(bytes: Uint8Array, seed: number): number {
  const n = bytes.length;
  const blocks = n & ~3;
  let h = seed >>> 0;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = n & 3;
  if (tail > 0) {
    let k = bytes[blocks]!;
    if (tail > 1) k |= bytes[blocks + 1]! << 8;
    if (tail > 2) k |= bytes[blocks + 2]! << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A point in the open interval (0, 1): never exactly 0, so its logarithm is finite. */
export function unitInterval(hash: number): number {
  return (hash + 0.5) / 4294967296;
}
