// Tensor signatures of a served model: the spec declares them and the runtime config carries
// them, so both read this one definition.
import { type Static, Type } from '@sinclair/typebox';
import { IDENTIFIER } from '../../core/schema/patterns.js';
import { Closed, StringEnum } from '../../core/schema/typebox.js';

/** Tensor element types of the KServe V2 / Open Inference Protocol. */
export const TensorDtype = StringEnum(['FP32', 'FP64', 'INT32', 'INT64', 'BOOL', 'BYTES'] as const, {
  description: 'Tensor element type (Open Inference Protocol names).',
});
export type TensorDtype = Static<typeof TensorDtype>;

const Shape = Type.Array(Type.Integer({ minimum: -1 }), {
  minItems: 1,
  maxItems: 8,
  description: 'Tensor shape; -1 marks a variable dimension (the batch).',
});

export const InputTensor = Closed({
  name: Type.String({ minLength: 1, description: 'Input name in the ONNX graph.' }),
  dtype: TensorDtype,
  shape: Shape,
  features: Type.Array(Type.String({ pattern: IDENTIFIER, minLength: 1, maxLength: 63, description: 'Feature name' }), {
    minItems: 1,
    uniqueItems: true,
    description:
      'Feature in each column of the last dimension, in order. Each comes from the feature service or ' +
      '`requestFeatures`.',
  }),
});
export type InputTensor = Static<typeof InputTensor>;

/**
 * An input as the runtime serves it: with `features` it is one column per feature (drift,
 * records, events see them by name); without, a plain tensor such as token ids `[batch, seq]`.
 */
export const ServedInput = Closed({
  name: InputTensor.properties.name,
  dtype: TensorDtype,
  shape: Shape,
  features: Type.Optional(InputTensor.properties.features),
});
export type ServedInput = Static<typeof ServedInput>;

export const OutputTensor = Closed({
  name: Type.String({ minLength: 1 }),
  dtype: TensorDtype,
  shape: Shape,
});
export type OutputTensor = Static<typeof OutputTensor>;
