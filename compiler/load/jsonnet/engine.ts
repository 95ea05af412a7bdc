// The one door to the Jsonnet engine: evaluate a file's text to plain data (or to JSON text as
// the `jsonnet` command prints it). Imports go through the caller's importer, which decides
// what may be read; the engine never touches the file system itself.
import { analyze } from './analyze.js';
import type { ImportKind, Node } from './ast.js';
import { JsonnetError, type Loc } from './errors.js';
import { callFunction, importHook } from './evaluate.js';
import { toJsonText, toPlain } from './manifest.js';
import { ExprThunk } from './objects.js';
import { parse } from './parser.js';
import { DEFAULT_LIMITS, fromRangeError, type Limits, runtimeError, withRun } from './runtime.js';
import { stdFor, stdLibrary } from './std/std.js';
import { Env, JArray, JFunction, Ready, type Thunk, type Value } from './value.js';

export { JsonnetError, type Loc } from './errors.js';
export { DEFAULT_LIMITS, type Limits } from './runtime.js';
export type { ImportKind } from './ast.js';

/** What an import names, as the importer is asked. */
export interface ImportRequest {
  /** The importing file, as shown in messages, and its identity (as the importer gave it). */
  readonly from: string;
  readonly fromKey: string;
  /** The path as written in the import expression. */
  readonly path: string;
  readonly kind: ImportKind;
  /** Where the import expression is, for the importer's errors. */
  readonly loc: Loc;
}

export interface ImportedFile {
  /** Identity: the same file imported twice is evaluated once. */
  readonly key: string;
  /** The name used in messages about the file. */
  readonly display: string;
  readonly text: string;
  readonly bytes: Uint8Array;
}

/** Resolve and read an import, or throw a JsonnetError saying why not. */
export type Importer = (request: ImportRequest) => ImportedFile;

/** An external variable or top-level argument: a string, or Jsonnet code to evaluate. */
export type ExternalValue = { readonly string: string } | { readonly code: string };

export interface EvaluateOptions {
  /** The file's name in messages and `std.thisFile`. */
  readonly file: string;
  /** The file's identity for the importer (default: `file`). */
  readonly key?: string;
  readonly text: string;
  readonly importer?: Importer;
  readonly limits?: Partial<Limits>;
  readonly extVars?: Readonly<Record<string, ExternalValue>>;
  /** Arguments for a file that evaluates to a function. */
  readonly tlas?: Readonly<Record<string, ExternalValue>>;
  /** Where std.trace writes; by default nowhere. */
  readonly trace?: (message: string, loc: Loc) => void;
}

/** Where a top-level function is called from: no place in the file (traces say so). */
const TOP_LEVEL: Loc = { file: 'Top-level function', line: 0, col: 0 };

const refuseImports: Importer = (r) => {
  throw runtimeError(`couldn't open import ${JSON.stringify(r.path)}: imports are not available here`, r.loc);
};

/** Evaluate to plain data (objects, arrays, strings, numbers, booleans, null). */
export function evaluateToData(options: EvaluateOptions): unknown {
  return run(options, (v, loc) => toPlain(v, loc));
}

/** Evaluate to JSON text exactly as the `jsonnet` command prints it (without the final newline). */
export function evaluateToJsonText(options: EvaluateOptions): string {
  return run(options, (v, loc) => toJsonText(v, loc));
}

function run<T>(options: EvaluateOptions, finish: (v: Value, loc: Loc) => T): T {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const start: Loc = { file: options.file, line: 1, col: 1 };
  return withRun(limits, () => {
    try {
      const session = new Session(options);
      return finish(session.main(), start);
    } catch (e) {
      if (e instanceof RangeError) throw fromRangeError(e, start);
      throw e;
    }
  });
}

/** One evaluation: the standard library, the files imported so far, the external variables. */
class Session {
  private readonly library;
  private readonly imported = new Map<string, Thunk>();
  private readonly keys = new Map<string, string>();
  private readonly extVars = new Map<string, Thunk>();

  constructor(private readonly options: EvaluateOptions) {
    this.library = stdLibrary({
      extVar: (name, loc) => {
        const v = this.external(name, options.extVars, `<extvar:${name}>`, this.extVars);
        if (!v) throw runtimeError(`undefined external variable: ${name}`, loc);
        return v.force();
      },
      trace: (message, loc) => options.trace?.(message, loc),
    });
    importHook.load = (node) => this.importValue(node);
  }

  main(): Value {
    const { file, text } = this.options;
    this.keys.set(file, this.options.key ?? file);
    const value = this.evaluateSource(text, file);
    if (!(value instanceof JFunction)) return value;
    // A file evaluating to a function is called with the top-level arguments.
    const tlas = this.options.tlas ?? {};
    const named: [string, Thunk][] = Object.keys(tlas).map((name) => [
      name,
      this.external(name, tlas, `<top-level-arg:${name}>`, new Map())!,
    ]);
    return callFunction(value, [], TOP_LEVEL, named);
  }

  private root(file: string): Env {
    return new Env(null, [new Ready(stdFor(this.library, file))], null, 0, null);
  }

  private parsed(text: string, file: string): Node {
    const ast = parse(text, file);
    analyze(ast);
    return ast;
  }

  private evaluateSource(text: string, file: string): Value {
    return new ExprThunk(this.parsed(text, file), this.root(file), 'file').force();
  }

  private external(
    name: string,
    values: Readonly<Record<string, ExternalValue>> | undefined,
    file: string,
    cache: Map<string, Thunk>,
  ): Thunk | undefined {
    const cached = cache.get(name);
    if (cached) return cached;
    const v = values && Object.hasOwn(values, name) ? values[name] : undefined;
    if (!v) return undefined;
    const thunk =
      'string' in v ? new Ready(v.string) : new ExprThunk(this.parsed(v.code, file), this.root(file), 'extvar');
    cache.set(name, thunk);
    return thunk;
  }

  private importValue(node: Extract<Node, { k: 'import' }>): Value {
    const from = node.loc.file;
    if (node.path === '') {
      throw runtimeError(`couldn't open import "": the empty string is not a valid filename`, node.loc);
    }
    const importer = this.options.importer ?? refuseImports;
    const file = importer({
      from,
      fromKey: this.keys.get(from) ?? from,
      path: node.path,
      kind: node.kind,
      loc: node.loc,
    });
    if (node.kind === 'importstr') return file.text;
    if (node.kind === 'importbin') return JArray.of([...file.bytes]);
    let thunk = this.imported.get(file.key);
    if (!thunk) {
      this.keys.set(file.display, file.key);
      thunk = new ExprThunk(this.parsed(file.text, file.display), this.root(file.display), 'import', node.loc);
      this.imported.set(file.key, thunk);
    }
    return thunk.force();
  }
}

/** An importer's refusal or failure, located at the import expression with the evaluation's trace. */
export function importError(text: string, loc: Loc, hint?: string, code?: string): JsonnetError {
  const e = runtimeError(text, loc);
  return new JsonnetError('import', e.text, e.loc, e.trace, hint, code);
}

export const isJsonnetError = (e: unknown): e is JsonnetError => e instanceof JsonnetError;
