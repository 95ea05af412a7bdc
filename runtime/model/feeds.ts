// A model call's tensors by name: what goes in (feeds) and what comes out.
import type { Tensor } from 'onnxruntime-node';

export type Feeds = Record<string, Tensor>;
export type Outputs = Record<string, Tensor>;
