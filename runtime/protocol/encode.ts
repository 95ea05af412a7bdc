// Model outputs → response bodies, in the form the request came in.
import { protocolType } from '../model/dtypes.js';
import type { Outputs } from '../model/session.js';
import type { DecodedRequest } from './decode.js';
import type { Signature } from './signature.js';
import { jsonFromTensor } from './tensor-data.js';
import type { RecordResponse, V2InferResponse, V2ModelMetadata } from './v2.js';

export interface Served {
  readonly variant: string;
  readonly version: string;
}

export function encodeResponse(req: DecodedRequest, outputs: Outputs, sig: Signature, served: Served): V2InferResponse | RecordResponse {
  const names = req.requestedOutputs ?? sig.outputs.map((o) => o.name);
  if (req.form === 'record') {
    const record: Record<string, unknown> = {};
    for (const name of names) {
      const t = outputs[name];
      if (!t) continue;
      const data = jsonFromTensor(t);
      // One row in: a single value stays a scalar, several become a list.
      record[name] = data.length === 1 ? data[0] : data;
    }
    return { model_name: sig.modelName, model_version: served.version, variant: served.variant, outputs: record };
  }
  return {
    model_name: sig.modelName,
    model_version: served.version,
    ...(req.id !== undefined ? { id: req.id } : {}),
    parameters: { variant: served.variant },
    outputs: names.filter((n) => outputs[n]).map((name) => {
      const t = outputs[name]!;
      return { name, datatype: protocolType(t.type), shape: t.dims, data: jsonFromTensor(t) };
    }),
  };
}

export function modelMetadata(sig: Signature, versions: readonly string[]): V2ModelMetadata {
  return {
    name: sig.modelName,
    versions,
    platform: 'onnxruntime_onnx',
    inputs: sig.inputs.map((i) => ({ name: i.name, datatype: i.dtype, shape: i.shape })),
    outputs: sig.outputs.map((o) => ({ name: o.name, datatype: o.dtype, shape: o.shape })),
    parameters: { features: Object.fromEntries(sig.inputs.map((i) => [i.name, i.features])) },
  };
}
