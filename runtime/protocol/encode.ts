// Model outputs → response bodies, in the form the request came in.
import { protocolType } from '../model/dtypes.js';
import type { Outputs } from '../model/session.js';
import type { DecodedRequest } from './decode.js';
import type { Signature } from './signature.js';
import type { Tensor } from 'onnxruntime-node';
import { HttpError } from './errors.js';
import { jsonFromTensor } from './tensor-data.js';
import type { RecordResponse, V2InferResponse, V2ModelMetadata, V2OutputTensor } from './v2.js';

export interface Served {
  readonly variant: string;
  readonly version: string;
}

export function encodeResponse(
  req: DecodedRequest,
  outputs: Outputs,
  sig: Signature,
  served: Served,
): V2InferResponse | RecordResponse {
  const names = req.requestedOutputs ?? sig.outputNameList;
  if (req.form === 'record') {
    const record: Record<string, unknown> = {};
    for (const name of names) {
      const t = outputs[name];
      if (!t) continue;
      const data = outputData(name, t);
      // One row in: a single value stays a scalar, several become a list.
      record[name] = data.length === 1 ? data[0] : data;
    }
    return { model_name: sig.modelName, model_version: served.version, variant: served.variant, outputs: record };
  }
  const tensors: V2OutputTensor[] = [];
  for (const name of names) {
    const t = outputs[name];
    if (t) tensors.push({ name, datatype: protocolType(t.type), shape: t.dims, data: outputData(name, t) });
  }
  // Two literals instead of a spread `id`: one object per answer, keys always in this order.
  const parameters = { variant: served.variant };
  return req.id === undefined
    ? { model_name: sig.modelName, model_version: served.version, parameters, outputs: tensors }
    : { model_name: sig.modelName, model_version: served.version, id: req.id, parameters, outputs: tensors };
}

/**
 * An output as JSON values. JSON has no NaN or infinity (JSON.stringify would send null), so an
 * answer holding one is refused as a server error: it counts against the variant (and a canary's
 * gate) instead of reaching the caller as a silent null.
 */
function outputData(name: string, t: Tensor): unknown[] {
  const data = jsonFromTensor(t);
  if (t.type === 'float32' || t.type === 'float64') {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]))
        throw new HttpError(
          500,
          'non_finite_output',
          `output \`${name}\` element ${i} is ${String(data[i])}, which JSON cannot carry`,
        );
    }
  }
  return data;
}

/** Where the first NaN or infinity in floating-point outputs is, or undefined when there is none. */
export function nonFiniteOutput(outputs: Outputs): string | undefined {
  for (const [name, t] of Object.entries(outputs)) {
    if (t.type !== 'float32' && t.type !== 'float64') continue;
    const data = t.data as Float32Array;
    for (let i = 0; i < data.length; i++)
      if (!Number.isFinite(data[i])) return `output \`${name}\` element ${i} is ${String(data[i])}`;
  }
  return undefined;
}

export function modelMetadata(sig: Signature, versions: readonly string[]): V2ModelMetadata {
  return {
    name: sig.modelName,
    versions,
    platform: 'onnxruntime_onnx',
    inputs: sig.inputs.map((i) => ({ name: i.name, datatype: i.dtype, shape: i.shape })),
    outputs: sig.outputs.map((o) => ({ name: o.name, datatype: o.dtype, shape: o.shape })),
    parameters: { features: Object.fromEntries(sig.inputs.flatMap((i) => (i.features ? [[i.name, i.features]] : []))) },
  };
}
