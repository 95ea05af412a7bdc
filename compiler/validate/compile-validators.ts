// Compiling the spec schemas with ajv: at build time into code (generate-validators.ts), and at
// run time only when that code is missing or stale (see schemas.ts). This is the one module
// that loads TypeBox and the ajv compiler for spec validation.
import type { Options, ValidateFunction } from 'ajv';
import { schemaAjv } from '../../core/schema/ajv.js';
import { MLSystem } from '../schema/mlsystem.js';
import { Platform } from '../schema/platform.js';
import type { SchemaKind } from './schema-kinds.js';

export const SCHEMAS: Readonly<Record<SchemaKind, object>> = { MLSystem, Platform };

export function compileValidators(options: Options): Record<SchemaKind, ValidateFunction> {
  const ajv = schemaAjv(options);
  return { MLSystem: ajv.compile(MLSystem), Platform: ajv.compile(Platform) };
}
