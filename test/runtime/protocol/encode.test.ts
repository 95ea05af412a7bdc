// Model outputs → response bodies: the V2 answer's fields and order, requested outputs, the
// record form, and outputs JSON cannot carry.
import { Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../../runtime/contract/config.js';
import { decodeInferBody } from '../../../runtime/protocol/decode.js';
import { encodeResponse } from '../../../runtime/protocol/encode.js';
import { HttpError } from '../../../runtime/protocol/errors.js';
import { signatureOf } from '../../../runtime/protocol/signature.js';

const sig = signatureOf({
  model: {
    name: 'm',
    inputs: [{ name: 'x', dtype: 'FP32', shape: [-1, 2], features: ['a', 'b'] }],
    outputs: [
      { name: 'label', dtype: 'INT64', shape: [-1] },
      { name: 'p', dtype: 'FP32', shape: [-1, 1] },
    ],
  },
} as unknown as RuntimeConfig);

const served = { variant: 'canary', version: '7' };
const outputs = {
  label: new Tensor('int64', BigInt64Array.from([1n, 0n]), [2]),
  p: new Tensor('float32', Float32Array.from([0.75, 0.25]), [2, 1]),
};
const v2 = (extra: Record<string, unknown> = {}) =>
  decodeInferBody({ inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 2], data: [1, 2, 3, 4] }], ...extra }, sig);

describe('encodeResponse', () => {
  it('answers a V2 request with every output in signature order, naming the variant', () => {
    const body = encodeResponse(v2(), outputs, sig, served);
    expect(JSON.stringify(body)).toBe(
      JSON.stringify({
        model_name: 'm',
        model_version: '7',
        parameters: { variant: 'canary' },
        outputs: [
          { name: 'label', datatype: 'INT64', shape: [2], data: [1, 0] },
          { name: 'p', datatype: 'FP32', shape: [2, 1], data: [0.75, 0.25] },
        ],
      }),
    );
  });

  it('echoes the request id and returns only the outputs asked for, in the order asked', () => {
    const body = encodeResponse(v2({ id: 'r-9', outputs: [{ name: 'p' }] }), outputs, sig, served);
    expect(Object.keys(body)).toEqual(['model_name', 'model_version', 'id', 'parameters', 'outputs']);
    expect(body).toMatchObject({ id: 'r-9', outputs: [{ name: 'p', data: [0.75, 0.25] }] });
  });

  it('answers one record with a record: one value per output', () => {
    const req = decodeInferBody({ a: 1, b: 2 }, sig);
    const one = {
      label: new Tensor('int64', BigInt64Array.from([1n]), [1]),
      p: new Tensor('float32', Float32Array.from([0.5]), [1, 1]),
    };
    expect(encodeResponse(req, one, sig, served)).toEqual({
      model_name: 'm',
      model_version: '7',
      variant: 'canary',
      outputs: { label: 1, p: 0.5 },
    });
  });

  it('refuses an output holding NaN as a server error instead of sending null', () => {
    const bad = { ...outputs, p: new Tensor('float32', Float32Array.from([0.5, NaN]), [2, 1]) };
    let error: unknown;
    try {
      encodeResponse(v2(), bad, sig, served);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 500, code: 'non_finite_output' });
  });
});
