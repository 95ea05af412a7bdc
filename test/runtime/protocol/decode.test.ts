// Request bodies → typed tensors: every protocol type, the shape checks, and the record form.
import { describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../../runtime/contract/config.js';
import { decodeInferBody } from '../../../runtime/protocol/decode.js';
import { HttpError } from '../../../runtime/protocol/errors.js';
import { parseRoute } from '../../../runtime/protocol/routes.js';
import { signatureOf } from '../../../runtime/protocol/signature.js';

const sig = signatureOf({
  model: {
    name: 'm',
    inputs: [
      { name: 'x', dtype: 'FP32', shape: [-1, 2], features: ['a', 'b'] },
      { name: 'd', dtype: 'FP64', shape: [-1, 1], features: ['d'] },
      { name: 'i32', dtype: 'INT32', shape: [-1, 1], features: ['i32'] },
      { name: 'i64', dtype: 'INT64', shape: [-1, 1], features: ['i64'] },
      { name: 'flag', dtype: 'BOOL', shape: [-1, 1], features: ['flag'] },
      { name: 'country', dtype: 'BYTES', shape: [-1, 1], features: ['country'] },
    ],
    outputs: [{ name: 'y', dtype: 'FP32', shape: [-1, 1] }],
  },
} as unknown as RuntimeConfig);

const inputs = (rows: number, override: Record<string, unknown> = {}) =>
  [
    { name: 'x', datatype: 'FP32', shape: [rows, 2], data: Array.from({ length: rows * 2 }, (_, i) => i + 0.5) },
    { name: 'd', datatype: 'FP64', shape: [rows, 1], data: Array.from({ length: rows }, () => 0.1) },
    { name: 'i32', datatype: 'INT32', shape: [rows, 1], data: Array.from({ length: rows }, (_, i) => -i) },
    { name: 'i64', datatype: 'INT64', shape: [rows, 1], data: Array.from({ length: rows }, () => 2 ** 40) },
    { name: 'flag', datatype: 'BOOL', shape: [rows, 1], data: Array.from({ length: rows }, (_, i) => i % 2 === 0) },
    { name: 'country', datatype: 'BYTES', shape: [rows, 1], data: Array.from({ length: rows }, () => 'de') },
  ].map((t) => (t.name in override ? { ...t, ...(override[t.name] as object) } : t));

function error(body: unknown): HttpError {
  try {
    decodeInferBody(body, sig, new Set(['user_id']));
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('V2 form', () => {
  it('builds typed tensors for every protocol type', () => {
    const r = decodeInferBody({ id: 'r1', inputs: inputs(2), parameters: { user_id: 'u' } }, sig);
    expect(r.form).toBe('v2');
    expect(r.rows).toBe(2);
    expect(r.id).toBe('r1');
    expect(r.fields).toEqual({ user_id: 'u' });
    expect(r.feeds.x!.type).toBe('float32');
    expect(Array.from(r.feeds.x!.data as Float32Array)).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(r.feeds.d!.data).toBeInstanceOf(Float64Array);
    expect(Array.from(r.feeds.i32!.data as Int32Array)).toEqual([0, -1]);
    expect(Array.from(r.feeds.i64!.data as BigInt64Array)).toEqual([2n ** 40n, 2n ** 40n]);
    expect(r.feeds.flag!.type).toBe('bool');
    expect(Array.from(r.feeds.flag!.data as Uint8Array)).toEqual([1, 0]);
    expect(r.feeds.country!.data).toEqual(['de', 'de']);
  });

  it('accepts nested data, flattened in row-major order', () => {
    const r = decodeInferBody(
      {
        inputs: inputs(2, {
          x: {
            data: [
              [1, 2],
              [3, 4],
            ],
          },
        }),
      },
      sig,
    );
    expect(Array.from(r.feeds.x!.data as Float32Array)).toEqual([1, 2, 3, 4]);
  });

  it.each([
    [{ x: { datatype: 'FP64' } }, 'bad_tensor_type', /datatype "FP64", the model takes FP32/],
    [{ x: { shape: [2, 3] } }, 'bad_tensor_shape', /shape \[2,3\], the model takes \[-1,2\]/],
    [{ x: { shape: [4] } }, 'bad_tensor_shape', /rank 2/],
    [{ x: { data: [1, 2, 3] } }, 'bad_tensor_shape', /3 elements, shape \[2,2\] needs 4/],
    [{ x: { data: [1, 2, 'three', 4] } }, 'bad_tensor_data', /input `x`: element 2 is "three", expected a number/],
    [
      { x: { data: [1, 2, 3, -1e39] } },
      'bad_tensor_data',
      /element 3 is -1e\+39, expected a number within the FP32 range/,
    ],
    [{ i32: { data: [1, 2 ** 31] } }, 'bad_tensor_data', /32-bit integer/],
    [{ i64: { data: [1, 0.5] } }, 'bad_tensor_data', /an integer/],
    [{ flag: { data: [1, 0] } }, 'bad_tensor_data', /true or false/],
    [{ country: { data: ['de', 7] } }, 'bad_tensor_data', /a string/],
    [{ d: { shape: [3, 1], data: [1, 2, 3] } }, 'bad_tensor_shape', /disagree on the batch size/],
  ])('rejects %j with %s', (override, code, message) => {
    const e = error({ inputs: inputs(2, override) });
    expect(e.status).toBe(400);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('rejects unknown, duplicate and missing inputs, and unknown outputs', () => {
    expect(error({ inputs: [...inputs(1), { name: 'zz', datatype: 'FP32', shape: [1], data: [1] }] }).code).toBe(
      'unknown_input',
    );
    expect(error({ inputs: [...inputs(1), inputs(1)[0]] }).code).toBe('duplicate_input');
    expect(error({ inputs: inputs(1).slice(1) }).message).toBe('missing input `x`');
    expect(error({ inputs: inputs(1), outputs: [{ name: 'nope' }] }).code).toBe('unknown_output');
    expect(decodeInferBody({ inputs: inputs(1), outputs: [{ name: 'y' }] }, sig).requestedOutputs).toEqual(['y']);
  });
});

describe('record form', () => {
  const record = { a: 1.5, b: -2, d: 0.25, i32: 3, i64: 4, flag: true, country: 'fr' };

  it('turns one record keyed by feature name into a batch of one', () => {
    const r = decodeInferBody({ ...record, user_id: 'u-1' }, sig, new Set(['user_id']));
    expect(r.form).toBe('record');
    expect(r.rows).toBe(1);
    expect(r.feeds.x!.dims).toEqual([1, 2]);
    expect(Array.from(r.feeds.x!.data as Float32Array)).toEqual([1.5, -2]);
    expect(r.feeds.country!.data).toEqual(['fr']);
    expect(r.fields.user_id).toBe('u-1');
  });

  it('names the feature in errors; unknown keys are rejected (typos must not pass)', () => {
    expect(error({ ...record, flag: 'yes' }).message).toBe('feature `flag` is "yes", expected true or false');
    expect(error({ ...record, a: undefined }).message).toBe('missing feature `a`');
    expect(error({ ...record, contry: 'de' }).code).toBe('unknown_feature');
  });

  it('rejects a body that is not an object', () => {
    expect(error([1, 2]).code).toBe('bad_request');
    expect(error('x').code).toBe('bad_request');
  });
});

describe('routes', () => {
  it.each([
    ['GET', '/v2/health/live', { kind: 'live' }],
    ['GET', '/v2/health/ready', { kind: 'ready' }],
    ['GET', '/v2', { kind: 'server' }],
    ['GET', '/metrics', { kind: 'metrics' }],
    ['GET', '/v2/models/churn', { kind: 'model', model: 'churn' }],
    ['GET', '/v2/models/churn/versions/2/ready', { kind: 'modelReady', model: 'churn', version: '2' }],
    ['POST', '/v2/models/churn/infer?x=1', { kind: 'infer', model: 'churn' }],
    ['POST', '/v2/models/churn/versions/1.2/infer', { kind: 'infer', model: 'churn', version: '1.2' }],
  ])('%s %s', (method, url, want) => {
    expect(parseRoute(method, url)).toEqual(want);
  });

  it('answers a repeated request like the first, whatever came between', () => {
    const infer = parseRoute('POST', '/v2/models/churn/infer');
    expect(parseRoute('POST', '/v2/models/churn/infer')).toEqual(infer);
    // The same URL with another method is parsed again, and refused.
    expect(() => parseRoute('GET', '/v2/models/churn/infer')).toThrow(/use POST/);
    expect(() => parseRoute('GET', '/v2/models/churn/infer')).toThrow(/use POST/);
    expect(parseRoute('POST', '/v2/models/churn/infer')).toEqual({ kind: 'infer', model: 'churn' });
    expect(parseRoute('POST', '/v2/models/other/infer')).toEqual({ kind: 'infer', model: 'other' });
    expect(() => parseRoute('POST', '/v2/models/a%zz/infer')).toThrow(/malformed/);
    expect(() => parseRoute('POST', '/v2/models/a%zz/infer')).toThrow(/malformed/);
  });

  it('404 for unknown paths, 405 with Allow for wrong methods', () => {
    expect(() => parseRoute('GET', '/v1/models/x')).toThrow(/no route/);
    const e = (() => {
      try {
        parseRoute('GET', '/v2/models/churn/infer');
      } catch (x) {
        return x as HttpError;
      }
    })()!;
    expect([e.status, e.headers]).toEqual([405, { allow: 'POST' }]);
  });
});
