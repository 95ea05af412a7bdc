// Runs OPA's conformance cases (../shared/opa-testdata/v1, format in its README) against the
// engine. Shared by conformance.test.ts and bench/rego-conformance.ts (the per-topic report).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYAML } from 'yaml';
import { RegoEngine, termValue } from '../../../compiler/rego/engine.js';
import { compare, equals, fromJS, type Value } from '../../../compiler/rego/value.js';
import { toJS } from '../../../compiler/rego/convert.js';

export interface ConformanceCase {
  /** `<topic>/<file without .json>#<index in file>`: notes are not unique, this is. */
  readonly id: string;
  readonly topic: string;
  readonly note: string;
  readonly query: string;
  readonly modules?: string[];
  readonly data?: unknown;
  readonly input?: unknown;
  readonly input_term?: string;
  readonly want_result?: Record<string, unknown>[];
  readonly want_error_code?: string;
  readonly want_error?: string;
  readonly sort_bindings?: boolean;
  readonly strict_error?: boolean;
  readonly env?: Record<string, string>;
}

export type Outcome = { pass: true } | { pass: false; reason: string };

/** The repository root (the directory with package.json), from this file's location. */
export function repoRoot(): string {
  if (process.env.MLSPEC_REPO_ROOT) return process.env.MLSPEC_REPO_ROOT;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

/**
 * The cases directory: `$MLSPEC_OPA_TESTDATA/v1`, or next to the repository
 * (`../shared/opa-testdata/v1`). A missing directory fails the suite rather than skipping it:
 * the conformance gate must not disappear silently.
 */
export function casesDir(): string {
  const root = process.env.MLSPEC_OPA_TESTDATA ?? resolve(repoRoot(), '..', 'shared', 'opa-testdata');
  const dir = join(root, 'v1');
  if (!existsSync(dir))
    throw new Error(
      `OPA's conformance cases are not at ${dir}: ` +
        'put opa-testdata next to the repository or set MLSPEC_OPA_TESTDATA to its folder',
    );
  return dir;
}

export function loadCases(dir = casesDir()): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const topic of readdirSync(dir).sort()) {
    for (const file of readdirSync(join(dir, topic)).sort()) {
      if (!file.endsWith('.json')) continue;
      const cases = (
        JSON.parse(readFileSync(join(dir, topic, file), 'utf8')) as { cases: Omit<ConformanceCase, 'id' | 'topic'>[] }
      ).cases;
      cases.forEach((c, i) => out.push({ ...c, id: `${topic}/${file.replace(/\.json$/, '')}#${i}`, topic }));
    }
  }
  return out;
}

/** The newer upstream cases kept in their original YAML (`upstream-yaml/v1`, see SOURCES.tsv). */
export function loadUpstreamYamlCases(dir = resolve(casesDir(), '..', 'upstream-yaml', 'v1')): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const topic of readdirSync(dir).sort()) {
    for (const file of readdirSync(join(dir, topic)).sort()) {
      if (!file.endsWith('.yaml')) continue;
      const { cases } = parseYAML(readFileSync(join(dir, topic, file), 'utf8')) as {
        cases: Omit<ConformanceCase, 'id' | 'topic'>[];
      };
      cases.forEach((c, i) => out.push({ ...c, id: `${topic}/${file.replace(/\.yaml$/, '')}#${i}`, topic }));
    }
  }
  return out;
}

/** A result binding as OPA's harness sees it: JSON (sets become sorted arrays). */
function normalize(v: Value, sortArrays: boolean): Value {
  const json = fromJS(toJS(v));
  return sortArrays && Array.isArray(json) ? [...json].sort(compare) : json;
}

function sameResults(got: Record<string, Value>[], want: Record<string, unknown>[], sortArrays: boolean): boolean {
  if (got.length !== want.length) return false;
  const wanted = want.map((w) =>
    Object.fromEntries(Object.entries(w).map(([k, v]) => [k, normalize(fromJS(v), sortArrays)])),
  );
  const used = new Set<number>();
  for (const g of got) {
    const gn = Object.fromEntries(Object.entries(g).map(([k, v]) => [k, normalize(v, sortArrays)]));
    const i = wanted.findIndex(
      (w, j) =>
        !used.has(j) &&
        Object.keys(w).length === Object.keys(gn).length &&
        Object.keys(w).every((k) => gn[k] !== undefined && equals(gn[k]!, w[k]!)),
    );
    if (i < 0) return false;
    used.add(i);
  }
  return true;
}

const show = (x: unknown) => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? String(v) : v));

export function runCase(c: ConformanceCase): Outcome {
  const engine = RegoEngine.load(
    (c.modules ?? []).map((source, i) => ({ file: `test-${i}.rego`, source })),
    { data: c.data ?? {} },
  );
  if (!engine.ok) return { pass: false, reason: `compile: ${engine.errors.map(String).join('; ')}` };
  const query = engine.value.prepare(c.query);
  if (!query.ok) return { pass: false, reason: `query: ${query.errors.map(String).join('; ')}` };
  let input: Value | undefined;
  if (c.input_term !== undefined) {
    const t = termValue(c.input_term);
    if (!t.ok) return { pass: false, reason: `input_term: ${t.errors.map(String).join('; ')}` };
    input = t.value;
  } else if (c.input !== undefined) {
    input = fromJS(c.input);
  }
  const out = query.value.evaluate(input, { strictBuiltinErrors: c.strict_error ?? false, env: c.env ?? {} });
  const wantsError = c.want_error_code !== undefined || c.want_error !== undefined;
  if (!out.ok) {
    if (!wantsError) return { pass: false, reason: `unexpected error: ${out.error.toString()}` };
    if (c.want_error_code !== undefined && out.error.code !== c.want_error_code)
      return {
        pass: false,
        reason: `error code ${out.error.code}, want ${c.want_error_code}: ${out.error.toString()}`,
      };
    if (c.want_error !== undefined && !out.error.toString().includes(c.want_error))
      return { pass: false, reason: `error ${show(out.error.toString())} does not contain ${show(c.want_error)}` };
    return { pass: true };
  }
  if (wantsError) {
    const results = show(out.results.map((r) => toJS(fromJS(r.bindings))));
    return {
      pass: false,
      reason: `no error, want ${c.want_error_code ?? ''} ${c.want_error ?? ''}; results ${results}`,
    };
  }
  const got = out.results.map((r) => r.bindings);
  if (c.want_result !== undefined && !sameResults(got, c.want_result, c.sort_bindings ?? false)) {
    return { pass: false, reason: `results ${show(got.map((b) => toJS(fromJS(b))))}, want ${show(c.want_result)}` };
  }
  return { pass: true };
}

/** Runs a case, turning a crash of the engine itself into a failure with the stack's top. */
export function runCaseSafely(c: ConformanceCase): Outcome {
  try {
    return runCase(c);
  } catch (e) {
    const err = e as Error;
    return { pass: false, reason: `crash: ${err.message} ${err.stack?.split('\n')[1]?.trim() ?? ''}` };
  }
}
