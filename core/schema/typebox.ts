// Schema building blocks shared by every schema mlspec defines with TypeBox (the spec, the
// platform config and the runtime config): the TypeScript type and the JSON Schema come from
// the same value.
import { type ObjectOptions, type SchemaOptions, Type } from '@sinclair/typebox';

/** A closed object: unknown keys are errors (typos must not pass silently). */
export function Closed<T extends Parameters<typeof Type.Object>[0]>(properties: T, options: ObjectOptions = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/**
 * A string from a fixed list. Written as a JSON Schema `enum` (not a union of literals) so a
 * wrong value gets one clear error listing the allowed values.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
