// Compiling the spec schemas with ajv: at build time into code (generate-validators.ts), and at
// run time only when that code is missing or stale (see schemas.ts). This is the one module
// that loads TypeBox and the ajv compiler for spec validation.
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import { MLSystem } from '../spec/mlsystem.js';
import { Platform } from '../spec/platform.js';
import type { SchemaKind } from './schemas.js';

export const SCHEMAS: Readonly<Record<SchemaKind, object>> = { MLSystem, Platform };

export function compileValidators(options: Options): Record<SchemaKind, ValidateFunction> {
  const ajv = new Ajv(options);
  return { MLSystem: ajv.compile(MLSystem), Platform: ajv.compile(Platform) };
}
