// Build step (`npm run build`): writes the validation code of the spec schemas next to the
// compiled schemas module, so the CLI neither loads TypeBox nor compiles schemas at start-up
// (see schemas.ts).
import { fileURLToPath } from 'node:url';
import { replaceFile } from '../../core/files.js';
import { createRequire } from 'node:module';
import type { Ajv } from 'ajv';
import { schemaAjv } from '../../core/schema/ajv.js';
import { SCHEMAS } from './compile-validators.js';
import { GENERATED_FILE, specSourcesDigest } from './schemas.js';

// ajv's standalone module is CommonJS with the function as `default`.
const standaloneCode = (
  createRequire(import.meta.url)('ajv/dist/standalone/index.js') as {
    default: (ajv: Ajv, refs: Record<string, string>) => string;
  }
).default;

// Optimised here, where compile time does not matter: smaller and faster code.
const ajv = schemaAjv({ code: { source: true, optimize: true } });
const ids: Record<string, string> = {};
for (const [kind, schema] of Object.entries(SCHEMAS)) {
  ajv.addSchema(schema, kind);
  ids[kind] = kind;
}
const code = [
  standaloneCode(ajv, ids),
  `module.exports.schemas = ${JSON.stringify(SCHEMAS)};`,
  `module.exports.sourceDigest = ${JSON.stringify(specSourcesDigest())};`,
  '',
].join('\n');
replaceFile(fileURLToPath(new URL(`./${GENERATED_FILE}`, import.meta.url)), code);
