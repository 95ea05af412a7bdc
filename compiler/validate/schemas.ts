// One ajv instance, compiled once, for the schemas users write (MLSystem, Platform).
import { Ajv, type ValidateFunction } from 'ajv';
import { MLSystem } from '../spec/mlsystem.js';
import { Platform } from '../spec/platform.js';

export type SchemaKind = 'MLSystem' | 'Platform';

let compiled: Record<SchemaKind, ValidateFunction> | undefined;

/** Validators that fill in schema defaults: validated data is complete. */
export function validators(): Record<SchemaKind, ValidateFunction> {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, strict: true, strictRequired: false, allowUnionTypes: true });
    compiled = { MLSystem: ajv.compile(MLSystem), Platform: ajv.compile(Platform) };
  }
  return compiled;
}

export const SCHEMA_KINDS: readonly SchemaKind[] = ['MLSystem', 'Platform'];
