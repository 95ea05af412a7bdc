// The validate stage: loaded documents → typed, schema-checked specs with defaults filled in.
// Only values that passed the schema get the `Validated*` types the later stages accept.
import { quote } from '../../core/diagnostics/quote.js';
import { API_VERSION } from '../../core/schema/patterns.js';
import type { MLSystem } from '../schema/mlsystem.js';
import type { Platform } from '../schema/platform.js';
import { error, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { locate, type SourceMap } from '../../core/source/source-map.js';
import type { LoadedDocument } from '../load/document.js';
import { schemaDiagnostics } from '../../core/schema/schema-errors.js';
import { SCHEMA_KINDS, type SchemaKind } from './schema-kinds.js';
import { validators } from './schemas.js';
import { didYouMean } from '../../core/schema/suggest.js';

export interface ValidatedSystem {
  readonly kind: 'MLSystem';
  readonly document: LoadedDocument;
  /** The base spec (environment overrides not applied), with defaults. */
  readonly spec: MLSystem;
}

export interface ValidatedPlatform {
  readonly kind: 'Platform';
  readonly document: LoadedDocument;
  readonly platform: Platform;
}

export interface ValidationResult {
  readonly systems: ValidatedSystem[];
  readonly platforms: ValidatedPlatform[];
  /** MLSystem documents that failed their schema (later stages can still check what they can). */
  readonly rejected: LoadedDocument[];
  readonly diagnostics: Diagnostic[];
}

/** Check a value against a kind's schema. On success, a defaulted copy. */
export function checkSchema<T>(
  kind: SchemaKind,
  value: unknown,
  locations: SourceMap,
): { value?: T; diagnostics: Diagnostic[] } {
  const copy = structuredClone(value);
  const set = validators();
  const validate = set.validate[kind];
  if (validate(copy)) return { value: copy as T, diagnostics: [] };
  return {
    diagnostics: schemaDiagnostics(validate.errors ?? [], { locations, schema: set.schemas[kind], data: copy }),
  };
}

function kindOf(doc: LoadedDocument): { kind?: SchemaKind; diagnostic?: Diagnostic } {
  const at = (pointer: string) => ({
    pointer,
    location: locate(doc.locations, pointer) ?? { file: doc.file, line: 1, column: 1 },
  });
  const value = doc.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      diagnostic: error('not_a_spec', 'document is not a map', {
        ...at(''),
        hint: `a spec starts with \`apiVersion: ${API_VERSION}\` and \`kind: MLSystem\``,
      }),
    };
  }
  const { apiVersion, kind } = value as Record<string, unknown>;
  if (typeof kind !== 'string') {
    return {
      diagnostic: error('missing_key', 'missing required key `kind`', {
        ...at(''),
        hint: `add \`kind: MLSystem\` (or \`kind: Platform\` for the platform config)`,
      }),
    };
  }
  if (!(SCHEMA_KINDS as readonly string[]).includes(kind)) {
    const near = didYouMean(kind, SCHEMA_KINDS);
    return {
      diagnostic: error('unknown_kind', `unknown kind ${quote(kind)}`, {
        ...at('/kind'),
        hint: `${near ? `${near} ` : ''}mlspec reads kinds ${SCHEMA_KINDS.join(', ')}`,
      }),
    };
  }
  if (apiVersion !== API_VERSION) {
    return {
      diagnostic: error('unsupported_api_version', `unsupported apiVersion ${quote(apiVersion ?? null)}`, {
        ...at(apiVersion === undefined ? '' : '/apiVersion'),
        hint: `use \`apiVersion: ${API_VERSION}\``,
      }),
    };
  }
  return { kind: kind as SchemaKind };
}

export function validateDocuments(documents: readonly LoadedDocument[]): ValidationResult {
  const systems: ValidatedSystem[] = [];
  const platforms: ValidatedPlatform[] = [];
  const rejected: LoadedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of documents) {
    const { kind, diagnostic } = kindOf(doc);
    if (diagnostic) {
      diagnostics.push(diagnostic);
      continue;
    }
    if (kind === 'MLSystem') {
      const r = checkSchema<MLSystem>('MLSystem', doc.value, doc.locations);
      diagnostics.push(...r.diagnostics);
      if (r.value) systems.push({ kind: 'MLSystem', document: doc, spec: r.value });
      else rejected.push(doc);
    } else {
      const r = checkSchema<Platform>('Platform', doc.value, doc.locations);
      diagnostics.push(...r.diagnostics);
      if (r.value) platforms.push({ kind: 'Platform', document: doc, platform: r.value });
    }
  }
  const unique = uniqueNames(systems);
  diagnostics.push(...unique.diagnostics);
  return { systems: unique.systems, platforms, rejected, diagnostics };
}

/**
 * System names are unique across all files: they name namespaces' objects and output folders.
 * A second definition is reported and left out, so later stages do not report it again (say,
 * as a GPU quota the duplicate would exceed).
 */
function uniqueNames(systems: readonly ValidatedSystem[]): { systems: ValidatedSystem[]; diagnostics: Diagnostic[] } {
  const first = new Map<string, ValidatedSystem>();
  const out: Diagnostic[] = [];
  for (const s of systems) {
    const prev = first.get(s.spec.metadata.name);
    if (!prev) {
      first.set(s.spec.metadata.name, s);
      continue;
    }
    const was = locate(prev.document.locations, '/metadata/name');
    out.push(
      error(
        'duplicate_system',
        `system ${quote(s.spec.metadata.name)} is already ` +
          `defined${was ? ` at ${was.file}:${was.line}:${was.column}` : ''}`,
        {
          pointer: '/metadata/name',
          location: locate(s.document.locations, '/metadata/name'),
          hint: 'rename one of the systems; names are unique across all spec files',
        },
      ),
    );
  }
  return { systems: [...first.values()], diagnostics: out };
}
