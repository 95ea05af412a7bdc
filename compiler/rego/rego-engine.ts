// The Rego engine in TypeScript: parse and compile modules once (RegoEngine.load), compile a
// query once (prepare), evaluate it for many inputs (evaluate). Implements the interface of
// policy-engine.ts; every failure of an evaluation comes back as an error value.
import type { Module } from './ast/nodes.js';
import { parseModule, parseQuery, parseTerm } from './ast/parser.js';
import './builtins/index.js';
import { compileModules, compileQuery, type CompiledPolicy, type CompiledQuery } from './compile/compiler.js';
import { constantValue } from './compile/slots.js';
import { RegoError, sortErrors, type Location } from './errors.js';
import { Evaluator } from './eval/evaluator.js';
import { DEFAULT_LIMITS } from './eval/limits.js';
import type {
  EngineOptions,
  EvalOptions,
  EvalOutcome,
  ModuleSource,
  PolicyEngine,
  PreparedQuery,
  QueryResult,
  Result,
} from './policy-engine.js';
import { fromJS, ObjectValue, type Value } from './value.js';

export class RegoEngine implements PolicyEngine {
  private constructor(
    readonly policy: CompiledPolicy,
    private readonly data: Value,
  ) {}

  /** Parses and compiles the modules; all parse errors of all files are reported together. */
  static load(modules: readonly ModuleSource[], options: EngineOptions = {}): Result<RegoEngine> {
    const parsed: Module[] = [];
    const errors: RegoError[] = [];
    for (const m of modules) {
      const r = parseModule(m.source, { file: m.file, regoVersion: m.regoVersion ?? options.regoVersion ?? 1 });
      if (r.ok) parsed.push(r.value);
      else errors.push(...r.errors);
    }
    if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
    const compiled = compileModules(parsed, { allowDeprecatedBuiltins: options.allowDeprecatedBuiltins });
    if (!compiled.ok) return compiled;
    let data: Value;
    try {
      data = options.data === undefined ? new ObjectValue() : fromJS(options.data);
    } catch (e) {
      return { ok: false, errors: [new RegoError('rego_compile_error', `invalid data: ${(e as Error).message}`)] };
    }
    if (!(data instanceof ObjectValue))
      return { ok: false, errors: [new RegoError('rego_compile_error', 'data must be an object')] };
    return { ok: true, value: new RegoEngine(compiled.value, data) };
  }

  prepare(query: string): Result<PreparedQuery> {
    const parsed = parseQuery(query, { file: 'query' });
    if (!parsed.ok) return parsed;
    const compiled = compileQuery(this.policy, parsed.value);
    if (!compiled.ok) return compiled;
    return { ok: true, value: new Prepared(this.policy, this.data, compiled.value) };
  }
}

class Prepared implements PreparedQuery {
  constructor(
    private readonly policy: CompiledPolicy,
    private readonly data: Value,
    private readonly query: CompiledQuery,
  ) {}

  evaluate(input?: unknown, options: EvalOptions = {}): EvalOutcome {
    try {
      const evaluator = new Evaluator({
        tree: this.policy.tree,
        functions: this.policy.functions.targets,
        data: this.data,
        input: input === undefined ? undefined : fromJS(input),
        strictBuiltinErrors: options.strictBuiltinErrors ?? false,
        limits: { ...DEFAULT_LIMITS, ...options.limits },
        print: options.print ?? (() => {}),
        env: options.env ?? {},
        timeNs: options.timeNs ?? nowNs(),
      });
      const results: QueryResult[] = [];
      const q = this.query;
      evaluator.evalQuery(q, (frame) => {
        const bindings: Record<string, Value> = {};
        for (const [name, slot] of q.vars) {
          const v = frame[slot];
          if (v !== undefined) bindings[name] = v;
        }
        const expressions = q.expressions.map((e) => ({
          value: e.slot === undefined ? true : (frame[e.slot] ?? true),
          text: e.text,
          location: e.location,
        }));
        results.push({ expressions, bindings });
      });
      return { ok: true, results, builtinErrors: evaluator.builtinErrors };
    } catch (e) {
      return { ok: false, error: asRegoError(e) };
    }
  }
}

// The wall clock has millisecond resolution; the monotonic clock has nanoseconds. Anchoring
// the second to the first once gives `time.now_ns()` both: wall-clock time, in nanoseconds.
const WALL_ANCHOR_NS = BigInt(Date.now()) * 1_000_000n;
const MONO_ANCHOR_NS = process.hrtime.bigint();

/** Nanoseconds since the epoch, with nanosecond resolution. */
export function nowNs(): bigint {
  return WALL_ANCHOR_NS + (process.hrtime.bigint() - MONO_ANCHOR_NS);
}

/** Anything thrown during evaluation, as an error value (never a silent pass). */
export function asRegoError(e: unknown, location?: Location): RegoError {
  if (e instanceof RegoError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new RegoError(
      'eval_limit_error',
      'evaluation exceeded the maximum nesting the engine supports',
      location,
      'simplify deeply nested rules or values',
    );
  }
  return new RegoError('eval_internal_error', e instanceof Error ? e.message : String(e), location);
}

/** A Rego term written in source (e.g. `{"a": {1, 2}}`) as a value; only constant terms. */
export function termValue(text: string): Result<Value> {
  const r = parseTerm(text);
  if (!r.ok) return r;
  const v = constantValue(r.value);
  if (v === undefined)
    return { ok: false, errors: [new RegoError('rego_parse_error', 'the term must be a constant value', r.value.loc)] };
  return { ok: true, value: v };
}
