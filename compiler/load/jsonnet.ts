// Jsonnet files evaluate to JSON, with mlspec's own evaluator (compiler/load/jsonnet/), in this
// thread: it checks its deadline, stack depth and memory budget as it runs, so a runaway
// program ends with an error instead of ending the process. Imports are confined to the
// allowed roots (jsonnet-imports.ts). Evaluated values carry no source positions, so their
// problems are reported at the file with the JSON pointer of the value; Jsonnet's own errors
// carry the position of the offending expression.
import { error, type Diagnostic, type SourceLocation } from '../../core/diagnostics/diagnostic.js';
import type { NodeLocation } from '../../core/source/source-map.js';
import { confinedImporter } from './jsonnet-imports.js';
import { evaluateToData, isJsonnetError, type JsonnetError } from './jsonnet/engine.js';
import { LOAD_LIMITS } from './limits.js';

export interface JsonnetResult {
  readonly values: unknown[];
  readonly diagnostics: Diagnostic[];
}

export interface JsonnetSource {
  /** The file's real path: imports are resolved from it. */
  readonly path: string;
  /** The file as shown in messages. */
  readonly display: string;
  readonly text: string;
}

export interface JsonnetOptions {
  /** Seconds for the whole evaluation (default LOAD_LIMITS.jsonnetSeconds). */
  readonly timeoutSeconds?: number;
  /** Folders imports may read from. */
  readonly roots: readonly string[];
  /** Told of every file an import opens. */
  readonly onOpen?: (path: string) => void;
}

/** A message echoing program text or values is cut here: a huge `error` value must not flood the output. */
const MAX_MESSAGE = 300;

const CODES: Record<JsonnetError['kind'], string> = {
  static: 'jsonnet_error',
  runtime: 'jsonnet_error',
  import: 'jsonnet_import_outside',
  timeout: 'jsonnet_timeout',
  stack: 'jsonnet_stack',
  memory: 'jsonnet_memory',
};

function hintFor(e: JsonnetError): string {
  switch (e.kind) {
    case 'timeout':
      return (
        'Look for a runaway computation at this position (a huge std.range, a recursion that never ends); ' +
        'MLSPEC_JSONNET_TIMEOUT_S sets the limit.'
      );
    case 'stack':
      return 'Look for a recursion without an end (a function or field that refers to itself).';
    case 'memory':
      return 'Specs are small: look for a value built far larger than intended (std.range, std.repeat, `+` in a loop).';
    default:
      return 'Fix the Jsonnet at this position.';
  }
}

function cut(text: string): string {
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE)}… (cut: ${text.length} characters)`;
}

function toDiagnostic(e: JsonnetError, file: string, seconds: number): Diagnostic {
  const loc = e.loc && e.loc.line > 0 ? e.loc : undefined;
  const location: SourceLocation = loc ? { file: loc.file, line: loc.line, column: loc.col } : at(file);
  const message =
    e.kind === 'timeout' ? `Jsonnet evaluation did not finish within ${seconds} s` : `Jsonnet: ${cut(e.text)}`;
  // The trace's first line is the error's own position; the rest say how evaluation got there.
  const via = e.trace.slice(1, 6).map((t) => t.replace(/\t/g, ' ').trim());
  const base = e.hint ?? hintFor(e);
  const hint = via.length > 0 ? `${base} Reached from: ${via.join('; ')}.` : base;
  return error(e.code ?? CODES[e.kind], message, { location, hint });
}

const at = (file: string): SourceLocation => ({ file, line: 1, column: 1 });

export function evaluateJsonnet(source: JsonnetSource, options: JsonnetOptions): JsonnetResult {
  const seconds = options.timeoutSeconds ?? LOAD_LIMITS.jsonnetSeconds;
  let value: unknown;
  try {
    value = evaluateToData({
      file: source.display,
      key: source.path,
      text: source.text,
      importer: confinedImporter({ roots: options.roots, onOpen: options.onOpen }),
      limits: { timeoutMs: seconds * 1000, maxStack: LOAD_LIMITS.jsonnetMaxStack },
    });
  } catch (e) {
    if (!isJsonnetError(e)) throw e;
    return { values: [], diagnostics: [toDiagnostic(e, source.display, seconds)] };
  }
  // A file evaluating to a list holds several documents, like a multi-document YAML file.
  return { values: Array.isArray(value) ? value : [value], diagnostics: [] };
}

/** Every node of an evaluated document points at the file's first line. */
export function fileLevelLocations(file: string): Map<string, NodeLocation> {
  const loc = { value: { file, line: 1, column: 1 } };
  const map = new Map<string, NodeLocation>();
  map.set('', loc);
  return map;
}
