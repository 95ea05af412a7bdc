// Request tensors are carved out of shared slabs, as Node's Buffer pool does for small buffers.
// Every ArrayBuffer is a native allocation that the young-generation collector must sweep; one
// per request made the sidecar's scavenges several tenths of a millisecond longer. A slab is
// never reused: it is freed once no tensor views it, so a tensor held past its answer (a shadow
// copy, the micro-batcher) stays valid.
const SLAB_BYTES = 64 * 1024;
/** Larger arrays get their own buffer: a slab should serve many requests. */
const MAX_SLICE_BYTES = SLAB_BYTES / 8;

type TypedArrayClass<T> = {
  new (length: number): T;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

/** A zero-filled typed array of `length` elements, usually a view into the current slab. */
export function slabArray<T>(type: TypedArrayClass<T>, length: number): T {
  const bytes = length * type.BYTES_PER_ELEMENT;
  if (bytes > MAX_SLICE_BYTES) return new type(length);
  let offset = (used + 7) & ~7; // 8-byte aligned for every element type
  if (offset + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    offset = 0;
  }
  used = offset + bytes;
  return new type(slab, offset, length);
}
