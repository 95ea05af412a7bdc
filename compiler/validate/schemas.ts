// The validators of the schemas users write (MLSystem, Platform).
//
// Compiling these schemas with ajv takes most of a second, longer than the whole compile of a
// system. So `npm run build` generates their validation code once (generate-validators.ts,
// ajv standalone) into dist/, stamped with a digest of the schemas; at run time that code is
// used when its stamp matches, and the schemas are compiled on the spot otherwise (running
// from TypeScript sources in tests, or after a schema change without a rebuild).
import { createRequire } from 'node:module';
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import { MLSystem } from '../spec/mlsystem.js';
import { Platform } from '../spec/platform.js';
import { contentDigest } from '../util/canonical-json.js';

export type SchemaKind = 'MLSystem' | 'Platform';
export const SCHEMA_KINDS: readonly SchemaKind[] = ['MLSystem', 'Platform'];
export const SCHEMAS: Readonly<Record<SchemaKind, object>> = { MLSystem, Platform };

/** Shared by the run-time compile and the generated code, so both validate alike. */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  useDefaults: true,
  // Schema authoring mistakes are caught by a test that compiles with strict: true.
  strict: false,
  code: { optimize: false },
};

export const GENERATED_FILE = 'validators.generated.cjs';

/** Digest of the schemas the generated code was made from. */
export function schemasDigest(): string {
  return contentDigest(SCHEMAS);
}

type Validators = Record<SchemaKind, ValidateFunction>;
let cached: { validators: Validators; generated: boolean } | undefined;

function loadGenerated(): Validators | undefined {
  try {
    const mod = createRequire(import.meta.url)(`./${GENERATED_FILE}`) as { digest: string } & Validators;
    return mod.digest === schemasDigest() ? { MLSystem: mod.MLSystem, Platform: mod.Platform } : undefined;
  } catch {
    return undefined;
  }
}

export function compileValidators(options: Options = AJV_OPTIONS): Validators {
  const ajv = new Ajv(options);
  return { MLSystem: ajv.compile(MLSystem), Platform: ajv.compile(Platform) };
}

/** Validators that fill in schema defaults: validated data is complete. */
export function validators(): Validators {
  if (!cached) {
    const generated = loadGenerated();
    cached = generated ? { validators: generated, generated: true } : { validators: compileValidators(), generated: false };
  }
  return cached.validators;
}

/** Whether the generated code is in use (for tests). */
export function usingGeneratedValidators(): boolean {
  validators();
  return cached!.generated;
}
