// Request bodies → feeds for the model. Two forms reach `/infer`:
// - the V2 form, `{"inputs": [{"name", "datatype", "shape", "data"}], ...}`, checked against the
//   configured signature (datatype, rank, fixed dimensions, element count);
// - the simple form for one record, `{"feature_a": 1.5, "feature_b": "x"}`: any object without
//   `inputs`; its keys are feature names and it becomes a batch of one row.
import type { Tensor } from 'onnxruntime-node';
import type { InputTensor } from '../contract/tensor.js';
import type { Feeds } from '../model/session.js';
import { badRequest } from './errors.js';
import type { Signature } from './signature.js';
import { tensorFromJson } from './tensor-data.js';

export interface DecodedRequest {
  readonly form: 'v2' | 'record';
  readonly id?: string;
  readonly feeds: Feeds;
  /** Rows in the batch (dimension 0). */
  readonly rows: number;
  /** Outputs the caller asked for (V2 `outputs`); all when absent. */
  readonly requestedOutputs?: readonly string[];
  /** V2 request `parameters`, or the record itself: where a sticky `field` is looked up. */
  readonly fields: Readonly<Record<string, unknown>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function decodeInferBody(
  body: unknown,
  sig: Signature,
  extraRecordKeys: ReadonlySet<string> = new Set(),
): DecodedRequest {
  if (!isObject(body))
    throw badRequest(
      'bad_request',
      'the body must be a JSON object: a V2 inference request or one record keyed by feature name',
    );
  return 'inputs' in body ? decodeV2(body, sig) : decodeRecord(body, sig, extraRecordKeys);
}

// The request path allocates little on purpose: plain loops, no spread objects, and error
// texts built only when there is an error.
const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});

function decodeV2(body: Record<string, unknown>, sig: Signature): DecodedRequest {
  const { id, inputs, outputs, parameters } = body;
  if (id !== undefined && typeof id !== 'string') throw badRequest('bad_request', '`id` must be a string');
  if (parameters !== undefined && !isObject(parameters))
    throw badRequest('bad_request', '`parameters` must be an object');
  if (!Array.isArray(inputs)) throw badRequest('bad_request', '`inputs` must be a list of tensors');
  const feeds: Feeds = {};
  let rows: number | undefined;
  for (let i = 0; i < inputs.length; i++) {
    const raw: unknown = inputs[i];
    if (!isObject(raw) || typeof raw.name !== 'string')
      throw badRequest('bad_request', `inputs[${i}] must be an object with a \`name\``);
    const spec = sig.inputsByName.get(raw.name);
    if (!spec)
      throw badRequest(
        'unknown_input',
        `unknown input \`${raw.name}\`; the model takes ${[...sig.inputsByName.keys()].join(', ')}`,
      );
    if (feeds[raw.name]) throw badRequest('duplicate_input', `input \`${raw.name}\` is given twice`);
    const tensor = v2Tensor(raw, spec);
    feeds[raw.name] = tensor;
    if (rows === undefined) rows = tensor.dims[0]!;
    else if (tensor.dims[0] !== rows)
      throw badRequest(
        'bad_tensor_shape',
        `inputs disagree on the batch size (dimension 0): ${rows} and ${tensor.dims[0]}`,
      );
  }
  for (const name of sig.inputsByName.keys())
    if (!feeds[name]) throw badRequest('missing_input', `missing input \`${name}\``);
  let requestedOutputs: string[] | undefined;
  if (outputs !== undefined) {
    if (!Array.isArray(outputs)) throw badRequest('bad_request', '`outputs` must be a list');
    requestedOutputs = outputs.map((o, i) => {
      if (!isObject(o) || typeof o.name !== 'string')
        throw badRequest('bad_request', `outputs[${i}] must be an object with a \`name\``);
      if (!sig.outputNames.has(o.name))
        throw badRequest(
          'unknown_output',
          `unknown output \`${o.name}\`; the model returns ${[...sig.outputNames].join(', ')}`,
        );
      return o.name;
    });
  }
  const decoded: { -readonly [K in keyof DecodedRequest]: DecodedRequest[K] } = {
    form: 'v2',
    feeds,
    rows: rows ?? 0,
    fields: (parameters as Record<string, unknown> | undefined) ?? NO_FIELDS,
  };
  if (id !== undefined) decoded.id = id;
  if (requestedOutputs) decoded.requestedOutputs = requestedOutputs;
  return decoded;
}

function v2Tensor(raw: Record<string, unknown>, spec: InputTensor): Tensor {
  const what = () => `input \`${spec.name}\``;
  if (raw.datatype !== spec.dtype)
    throw badRequest(
      'bad_tensor_type',
      `${what()} has datatype ${JSON.stringify(raw.datatype)}, the model takes ${spec.dtype}`,
    );
  const shape = raw.shape;
  if (!Array.isArray(shape)) throw badShape(what());
  let count = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw badShape(what());
    count *= d;
  }
  if (shape.length !== spec.shape.length)
    throw badRequest(
      'bad_tensor_shape',
      `${what()} has shape [${shape}], the model takes rank ${spec.shape.length} [${spec.shape}] (-1: any size)`,
    );
  for (let i = 0; i < shape.length; i++) {
    const want = spec.shape[i]!;
    if (want !== -1 && shape[i] !== want)
      throw badRequest(
        'bad_tensor_shape',
        `${what()} has shape [${shape}], the model takes [${spec.shape}] (-1: any size)`,
      );
  }
  if (!Array.isArray(raw.data))
    throw badRequest('bad_tensor_data', `${what()}: \`data\` must be a list in row-major order`);
  // Nested lists are accepted and flattened in row-major order, as several clients send them.
  const data =
    raw.data.length > 0 && raw.data.some(Array.isArray) ? (raw.data.flat(shape.length) as unknown[]) : raw.data;
  if (data.length !== count)
    throw badRequest('bad_tensor_shape', `${what()} has ${data.length} elements, shape [${shape}] needs ${count}`);
  return tensorFromJson(spec.dtype, data, shape as number[], (i) => `${what()}: element ${i}`);
}

function badShape(what: string): Error {
  return badRequest('bad_tensor_shape', `${what}: \`shape\` must be a list of non-negative integers`);
}

function decodeRecord(record: Record<string, unknown>, sig: Signature, extraKeys: ReadonlySet<string>): DecodedRequest {
  for (const key of Object.keys(record)) {
    if (!sig.features.has(key) && !extraKeys.has(key))
      throw badRequest(
        'unknown_feature',
        `unknown feature \`${key}\`; the model takes ${[...sig.features.keys()].join(', ')}`,
      );
  }
  const feeds: Feeds = {};
  for (const input of sig.inputs) {
    const values = input.features.map((f) => {
      const v = record[f];
      if (v === undefined || v === null) throw badRequest('missing_feature', `missing feature \`${f}\``);
      return v;
    });
    // One row: every variable dimension is 1 and the last holds the features.
    const dims = input.shape.map((d, i) => (i === input.shape.length - 1 ? input.features.length : d === -1 ? 1 : d));
    if (dims.reduce((a, b) => a * b, 1) !== values.length)
      throw badRequest(
        'record_not_supported',
        `input \`${input.name}\` has shape [${input.shape}], which one record cannot fill; use the V2 form`,
      );
    feeds[input.name] = tensorFromJson(input.dtype, values, dims, (i) => `feature \`${input.features[i]}\``);
  }
  return { form: 'record', feeds, rows: 1, fields: record };
}
