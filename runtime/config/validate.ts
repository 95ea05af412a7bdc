// Config text → a validated, defaulted RuntimeConfig, or every problem found, each with the
// JSON pointer and (when the file has one) the line and column. JSON is YAML, so one parser
// with source locations serves both formats the compiler may write.
import type { ValidateFunction } from 'ajv';
import { schemaAjv } from '../../core/schema/ajv.js';
import { sha256Hex } from '../../core/hash.js';
import { error, hasErrors, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { locate, type SourceMap } from '../../core/source/source-map.js';
import { parseYaml } from '../../core/source/yaml.js';
import { schemaDiagnostics } from '../../core/schema/schema-errors.js';
import { RuntimeConfig, RUNTIME_CONFIG_KIND } from '../contract/config.js';
import { checkConfig } from './check.js';

declare const validated: unique symbol;

/** A config that passed the schema and the cross-reference checks; only `validateConfig` makes one. */
export interface ValidConfig {
  readonly [validated]: true;
  readonly file: string;
  /** SHA-256 of the file's bytes: a reload with the same digest changes nothing. */
  readonly digest: string;
  readonly config: RuntimeConfig;
}

export type ConfigOutcome =
  | { readonly ok: true; readonly value: ValidConfig }
  | { readonly ok: false; readonly diagnostics: Diagnostic[] };

let compiled: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  compiled ??= schemaAjv().compile(RuntimeConfig);
  return compiled;
}

export function validateConfig(text: string, file: string): ConfigOutcome {
  const parsed = parseYaml(text, file);
  if (hasErrors(parsed.diagnostics)) return { ok: false, diagnostics: parsed.diagnostics };
  if (parsed.documents.length !== 1) {
    return {
      ok: false,
      diagnostics: [
        error('not_one_document', `expected one document, found ${parsed.documents.length}`, {
          location: { file, line: 1, column: 1 },
          hint: `the runtime config is a single \`kind: ${RUNTIME_CONFIG_KIND}\` document`,
        }),
      ],
    };
  }
  const doc = parsed.documents[0]!;
  const copy = structuredClone(doc.value);
  const validate = schemaValidator();
  if (!validate(copy))
    return {
      ok: false,
      diagnostics: withFile(
        schemaDiagnostics(validate.errors ?? [], { locations: doc.locations, schema: RuntimeConfig, data: copy }),
        file,
      ),
    };
  const config = copy as RuntimeConfig;
  const problems = checkConfig(config).map((p) =>
    error(p.code, p.message, { pointer: p.pointer, hint: p.hint, location: at(doc.locations, p.pointer, file) }),
  );
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  return { ok: true, value: { file, digest: sha256Hex(text), config } as ValidConfig };
}

function at(locations: SourceMap, pointer: string, file: string) {
  return locate(locations, pointer) ?? { file, line: 1, column: 1 };
}

/** Errors without a location (an empty document) still name the file. */
function withFile(diagnostics: Diagnostic[], file: string): Diagnostic[] {
  return diagnostics.map((d) => (d.location ? d : { ...d, location: { file, line: 1, column: 1 } }));
}
