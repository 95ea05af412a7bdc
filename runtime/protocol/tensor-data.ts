// JSON values ⇄ typed tensor data, one element type at a time. Input is checked element by
// element so a wrong value is named by its position, never silently coerced.
import { Tensor } from 'onnxruntime-node';
import type { TensorDtype } from '../contract/tensor.js';
import { ORT_TYPE } from '../model/dtypes.js';
import { slabArray } from '../model/tensor-slab.js';
import { badRequest } from './errors.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Builds a tensor from row-major JSON data already known to have `dims`' element count. */
/** `element(i)` names element i in error messages (`input x: element 3`, `feature age`). */
export function tensorFromJson(
  dtype: TensorDtype,
  data: readonly unknown[],
  dims: readonly number[],
  element: (i: number) => string,
): Tensor {
  const n = data.length;
  switch (dtype) {
    case 'FP32':
    case 'FP64': {
      const out = dtype === 'FP32' ? slabArray(Float32Array, n) : slabArray(Float64Array, n);
      for (let i = 0; i < n; i++) {
        const v = data[i];
        if (typeof v !== 'number') throw wrongElement(data, i, element, 'a number');
        out[i] = v;
        // A finite JSON number becomes infinite only beyond FP32's range: never pass that on silently.
        if (out[i] === Infinity || out[i] === -Infinity)
          throw wrongElement(data, i, element, 'a number within the FP32 range (±3.4e38)');
      }
      return new Tensor(ORT_TYPE[dtype], out, dims);
    }
    case 'INT32': {
      const out = slabArray(Int32Array, n);
      for (let i = 0; i < n; i++) {
        const v = data[i];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX)
          throw wrongElement(data, i, element, 'a 32-bit integer');
        out[i] = v;
      }
      return new Tensor('int32', out, dims);
    }
    case 'INT64': {
      const out = slabArray(BigInt64Array, n);
      for (let i = 0; i < n; i++) {
        const v = data[i];
        if (typeof v !== 'number' || !Number.isSafeInteger(v))
          throw wrongElement(data, i, element, 'an integer (JSON numbers are exact up to 2^53)');
        out[i] = BigInt(v);
      }
      return new Tensor('int64', out, dims);
    }
    case 'BOOL': {
      const out = slabArray(Uint8Array, n);
      for (let i = 0; i < n; i++) {
        const v = data[i];
        if (typeof v !== 'boolean') throw wrongElement(data, i, element, 'true or false');
        out[i] = v ? 1 : 0;
      }
      return new Tensor('bool', out, dims);
    }
    case 'BYTES': {
      for (let i = 0; i < n; i++) if (typeof data[i] !== 'string') throw wrongElement(data, i, element, 'a string');
      return new Tensor('string', data as string[], dims);
    }
  }
}

// Built only on the error path: the check loops above stay free of allocations.
function wrongElement(data: readonly unknown[], i: number, element: (i: number) => string, expected: string): Error {
  return badRequest(
    'bad_tensor_data',
    `${element(i)} is ${JSON.stringify(data[i]) ?? 'missing'}, expected ${expected}`,
  );
}

/** Tensor data as JSON values. INT64 beyond ±2^53 loses precision: JSON numbers are doubles. */
export function jsonFromTensor(t: Tensor): unknown[] {
  const data = t.data;
  if (Array.isArray(data)) return data;
  const n = data.length;
  const out = new Array<unknown>(n);
  // Plain loops: Array.from on typed arrays is several times slower on the request path.
  if (data instanceof BigInt64Array || data instanceof BigUint64Array)
    for (let i = 0; i < n; i++) out[i] = Number(data[i]);
  else if (t.type === 'bool') for (let i = 0; i < n; i++) out[i] = data[i] !== 0;
  else for (let i = 0; i < n; i++) out[i] = (data as Float32Array)[i];
  return out;
}
