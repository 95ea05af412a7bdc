// Element types: the Open Inference Protocol names them FP32, INT64, ...; onnxruntime names
// them float32, int64, ... . One table, read both ways.
import type { TensorDtype } from '../contract/tensor.js';

export type OrtType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'string';

export const ORT_TYPE: Readonly<Record<TensorDtype, OrtType>> = {
  FP32: 'float32',
  FP64: 'float64',
  INT32: 'int32',
  INT64: 'int64',
  BOOL: 'bool',
  BYTES: 'string',
};

/** Protocol names of every onnxruntime type a model may return (outputs are not limited to the six input types). */
const PROTOCOL_TYPE: Readonly<Record<string, string>> = {
  float32: 'FP32',
  float64: 'FP64',
  float16: 'FP16',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  bool: 'BOOL',
  string: 'BYTES',
};

export function protocolType(ortType: string): string {
  return PROTOCOL_TYPE[ortType] ?? ortType.toUpperCase();
}
