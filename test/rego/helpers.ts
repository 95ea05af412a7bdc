// Small helpers for the Rego engine's unit tests.
import { RegoEngine, type EngineOptions, type EvalOptions, type EvalOutcome } from '../../compiler/rego/engine.js';
import { toJS } from '../../compiler/rego/convert.js';

export interface Run extends EngineOptions, EvalOptions {
  readonly input?: unknown;
}

/** Loads `modules` (named test-<i>.rego), prepares `query`, evaluates it; throws on load/prepare errors. */
export function evaluate(modules: string[], query: string, run: Run = {}): EvalOutcome {
  const engine = RegoEngine.load(
    modules.map((source, i) => ({ file: `test-${i}.rego`, source })),
    run,
  );
  if (!engine.ok) throw new Error(engine.errors.map(String).join('\n'));
  const prepared = engine.value.prepare(query);
  if (!prepared.ok) throw new Error(prepared.errors.map(String).join('\n'));
  return prepared.value.evaluate(run.input, run);
}

/** The bindings of every result, as JSON-like JS values. */
export function bindings(modules: string[], query: string, run: Run = {}): Record<string, unknown>[] {
  const out = evaluate(modules, query, run);
  if (!out.ok) throw new Error(out.error.toString());
  return out.results.map((r) => Object.fromEntries(Object.entries(r.bindings).map(([k, v]) => [k, toJS(v)])));
}

/** The value of `x` in `query` (which must bind x once), or undefined when there is no result. */
export function valueOf(modules: string[], query: string, run: Run = {}): unknown {
  const rs = bindings(modules, query, run);
  if (rs.length > 1) throw new Error(`expected at most one result, got ${rs.length}`);
  return rs[0]?.x;
}

/** The errors loading `modules` (and preparing `query`, if given) reports, as OPA's one-line text. */
export function compileErrors(modules: string[], query?: string, options: EngineOptions = {}): string[] {
  const engine = RegoEngine.load(
    modules.map((source, i) => ({ file: `test-${i}.rego`, source })),
    options,
  );
  if (!engine.ok) return engine.errors.map(String);
  if (query === undefined) return [];
  const prepared = engine.value.prepare(query);
  return prepared.ok ? [] : prepared.errors.map(String);
}
