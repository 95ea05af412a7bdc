// The messages between the inference pool (workers.ts) and its worker threads
// (inference-worker.ts). Tensors cross as plain {name, type, dims, data}; their buffers are
// transferred (moved), so each element is copied at most once on the way.
import type { InferenceSession, Tensor } from 'onnxruntime-node';

export interface WireTensor {
  readonly name: string;
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: Tensor['data'];
}

export interface ModelMetadata {
  readonly inputs: readonly InferenceSession.ValueMetadata[];
  readonly outputs: readonly InferenceSession.ValueMetadata[];
}

export type WorkerRequest =
  | { readonly type: 'load'; readonly id: number; readonly key: string; readonly source: string | Uint8Array }
  | { readonly type: 'run'; readonly id: number; readonly key: string; readonly feeds: readonly WireTensor[] }
  | { readonly type: 'release'; readonly id: number; readonly key: string };

export type WorkerReply =
  | ({ readonly type: 'loaded'; readonly id: number } & ModelMetadata)
  | { readonly type: 'result'; readonly id: number; readonly ms: number; readonly outputs: readonly WireTensor[] }
  | { readonly type: 'released'; readonly id: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string };

/**
 * A tensor as a message part. `compact` copies a typed array into a buffer of its own: request
 * tensors are views into shared slabs (tensor-slab.ts), and posting a view would clone or move
 * the whole slab.
 */
export function wireTensor(name: string, t: Tensor, compact: boolean): WireTensor {
  const data = compact && !Array.isArray(t.data) ? (t.data as Float32Array).slice() : t.data;
  return { name, type: t.type, dims: t.dims, data };
}

/** The distinct buffers of typed-array data, to transfer with the message. */
export function transferablesOf(tensors: readonly WireTensor[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const t of tensors) if (!Array.isArray(t.data)) out.add((t.data as Float32Array).buffer as ArrayBuffer);
  return [...out];
}

export function metadataOf(session: InferenceSession): ModelMetadata {
  return { inputs: session.inputMetadata, outputs: session.outputMetadata };
}
