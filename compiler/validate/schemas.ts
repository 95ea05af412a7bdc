// The validators of the schemas users write (MLSystem, Platform).
//
// Compiling these schemas takes most of a second, and merely loading TypeBox to build them a
// few hundred milliseconds: longer than compiling a system. So `npm run build` generates their
// validation code once (generate-validators.ts, ajv standalone) into dist/, together with the
// schemas as JSON and a digest of the spec modules they came from. At run time that code is
// used when the digest matches the spec modules beside it; otherwise (running from TypeScript
// sources in tests, or after a schema edit without a rebuild) the schemas are compiled here.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Options, ValidateFunction } from 'ajv';
import type { SchemaKind } from './schema-kinds.js';
import { SCHEMA_AJV_OPTIONS } from '../../core/schema/ajv.js';

/** Shared by the run-time compile and the generated code, so both validate alike. */
export const AJV_OPTIONS: Options = { ...SCHEMA_AJV_OPTIONS, code: { optimize: false } };

export const GENERATED_FILE = 'validators.generated.cjs';

export interface ValidatorSet {
  readonly validate: Readonly<Record<SchemaKind, ValidateFunction>>;
  /** The schemas as JSON, for turning errors into messages. */
  readonly schemas: Readonly<Record<SchemaKind, object>>;
  readonly generated: boolean;
}

/** Every folder the spec and platform schemas are built from. */
const SCHEMA_DIRS = ['../schema/', '../../core/schema/', '../../runtime/contract/'].map(
  (dir) => new URL(dir, import.meta.url),
);

/** Digest of the schema modules' text (compiled .js in dist/, .ts in sources). */
export function specSourcesDigest(): string {
  const hash = createHash('sha256');
  for (const dir of SCHEMA_DIRS) {
    for (const name of readdirSync(dir)
      .filter((n) => /\.(js|ts)$/.test(n) && !n.endsWith('.d.ts'))
      .sort()) {
      hash
        .update(name)
        .update('\0')
        .update(readFileSync(new URL(name, dir)))
        .update('\0');
    }
  }
  return hash.digest('hex');
}

function loadGenerated(): ValidatorSet | undefined {
  let mod: { sourceDigest: string; schemas: Record<SchemaKind, object> } & Record<SchemaKind, ValidateFunction>;
  try {
    mod = createRequire(import.meta.url)(`./${GENERATED_FILE}`);
  } catch {
    return undefined;
  }
  if (mod.sourceDigest !== specSourcesDigest()) return undefined;
  return { validate: { MLSystem: mod.MLSystem, Platform: mod.Platform }, schemas: mod.schemas, generated: true };
}

const generated = loadGenerated();
// Only without usable generated code are TypeBox and the ajv compiler loaded.
const compiler = generated ? undefined : await import('./compile-validators.js');

let cached: ValidatorSet | undefined = generated;

/** Validators that fill in schema defaults: validated data is complete. */
export function validators(): ValidatorSet {
  if (!cached)
    cached = { validate: compiler!.compileValidators(AJV_OPTIONS), schemas: compiler!.SCHEMAS, generated: false };
  return cached;
}
