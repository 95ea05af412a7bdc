// Request bodies → feeds for the model. Two forms reach `/infer`:
// - the V2 form, `{"inputs": [{"name", "datatype", "shape", "data"}], ...}`, checked against the
//   configured signature (datatype, rank, fixed dimensions, element count);
// - the simple form for one record, `{"feature_a": 1.5, "feature_b": "x"}`: any object without
//   `inputs`; its keys are feature names and it becomes a batch of one row. An input without a
//   feature list (token ids `[batch, seq]`) is given whole under its input name, one row's worth
//   (`{"input_ids": [101, 2023, 102]}`).
// Requests above `maxRows` rows are refused (413) before any tensor is built.
import type { Tensor } from 'onnxruntime-node';
import type { ServedInput } from '../contract/tensor.js';
import type { Feeds } from '../model/session.js';
import { HttpError, badRequest } from './errors.js';
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
  maxRows = Number.POSITIVE_INFINITY,
): DecodedRequest {
  if (!isObject(body))
    throw badRequest(
      'bad_request',
      'the body must be a JSON object: a V2 inference request or one record keyed by feature name',
    );
  return 'inputs' in body ? decodeV2(body, sig, maxRows) : decodeRecord(body, sig, extraRecordKeys);
}

function tooManyRows(rows: number, maxRows: number): HttpError {
  return new HttpError(
    413,
    'too_many_rows',
    `the request has ${rows} rows, more than the ${maxRows} this server takes in one request; split it`,
  );
}

// The request path allocates little on purpose: plain loops, no spread objects, and error
// texts built only when there is an error.
const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});

function decodeV2(body: Record<string, unknown>, sig: Signature, maxRows: number): DecodedRequest {
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
    const first = Array.isArray(raw.shape) ? raw.shape[0] : undefined;
    if (typeof first === 'number' && first > maxRows) throw tooManyRows(first, maxRows);
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

function v2Tensor(raw: Record<string, unknown>, spec: ServedInput): Tensor {
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
    const whole = sig.inputsByName.get(key);
    if (!sig.features.has(key) && !extraKeys.has(key) && !(whole && !whole.features))
      throw badRequest(
        'unknown_feature',
        `unknown feature \`${key}\`; the model takes ${[...sig.features.keys(), ...wholeInputs(sig)].join(', ')}`,
      );
  }
  const feeds: Feeds = {};
  for (const input of sig.inputs) {
    feeds[input.name] = input.features ? recordColumns(record, input, input.features) : recordWhole(record, input);
  }
  return { form: 'record', feeds, rows: 1, fields: record };
}

function wholeInputs(sig: Signature): string[] {
  return sig.inputs.filter((i) => !i.features).map((i) => i.name);
}

/** One row of an input whose last dimension holds the listed features. */
function recordColumns(record: Record<string, unknown>, input: ServedInput, features: readonly string[]): Tensor {
  const values = features.map((f) => {
    const v = record[f];
    if (v === undefined || v === null) throw badRequest('missing_feature', `missing feature \`${f}\``);
    return v;
  });
  // One row: every variable dimension is 1 and the last holds the features.
  const dims = input.shape.map((d, i) => (i === input.shape.length - 1 ? features.length : d === -1 ? 1 : d));
  if (dims.reduce((a, b) => a * b, 1) !== values.length)
    throw badRequest(
      'record_not_supported',
      `input \`${input.name}\` has shape [${input.shape}], which one record cannot fill; use the V2 form`,
    );
  return tensorFromJson(input.dtype, values, dims, (i) => `feature \`${features[i]}\``);
}

/** One row of an input without features: the record holds it under the input's name, nested like its shape. */
function recordWhole(record: Record<string, unknown>, input: ServedInput): Tensor {
  const value = record[input.name];
  const what = `input \`${input.name}\``;
  if (value === undefined || value === null) throw badRequest('missing_input', `missing ${what}`);
  const inner = nestedShape(value);
  if (!inner) throw badRequest('bad_tensor_shape', `${what} must be a list nested evenly (one row of the tensor)`);
  const dims = [1, ...inner];
  const ok = dims.length === input.shape.length && dims.every((d, i) => input.shape[i] === -1 || input.shape[i] === d);
  if (!ok)
    throw badRequest(
      'bad_tensor_shape',
      `${what} has one row of shape [${inner}], the model takes [${input.shape}] (-1: any size)`,
    );
  const data = (value as unknown[]).flat(inner.length) as unknown[];
  return tensorFromJson(input.dtype, data, dims, (i) => `${what}: element ${i}`);
}

/** The dimensions of an evenly nested list, or undefined for ragged or empty nesting. */
function nestedShape(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  if (value.length === 0 || !Array.isArray(value[0])) return value.some(Array.isArray) ? undefined : [value.length];
  const inner = nestedShape(value[0]);
  if (!inner) return undefined;
  for (const v of value) {
    const s = nestedShape(v);
    if (!s || s.length !== inner.length || s.some((d, i) => d !== inner[i])) return undefined;
  }
  return [value.length, ...inner];
}
