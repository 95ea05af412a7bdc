// `opa test` for mlspec: every rule named `test_*` is a test that passes when it evaluates to
// true; `todo_*` rules are listed as skipped. A test that is undefined or false fails; one
// whose evaluation errors (conflict, limits, strict builtin error) is an error, never a pass.
import type { Location, RegoError } from '../errors.js';
import type { EvalOptions } from '../policy-engine.js';
import type { RegoEngine } from '../rego-engine.js';

export interface TestCase {
  /** `data.k8s.test_deny` */
  readonly path: string;
  readonly pkg: string;
  readonly name: string;
  readonly location: Location;
  readonly skip: boolean;
}

export type TestStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface TestResult {
  readonly test: TestCase;
  readonly status: TestStatus;
  readonly durationMs: number;
  readonly error?: RegoError;
  /** Lines printed with `print()` during the test. */
  readonly output: readonly string[];
}

export interface TestSummary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly errors: number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const refOf = (parts: readonly string[]) =>
  parts.map((p, i) => (i === 0 || IDENT.test(p) ? (i === 0 ? p : `.${p}`) : `[${JSON.stringify(p)}]`)).join('');

/** The tests of the loaded modules, in file order then source order; one entry per name. */
export function discoverTests(engine: RegoEngine): TestCase[] {
  const seen = new Set<string>();
  const out: TestCase[] = [];
  for (const m of engine.policy.modules) {
    for (const rule of m.rules) {
      const head = rule.ref[0];
      if (rule.ref.length !== 1 || rule.args || head?.type !== 'var') continue;
      const skip = head.name.startsWith('todo_');
      if (!skip && !head.name.startsWith('test_')) continue;
      const path = refOf(['data', ...m.pkg, head.name]);
      if (seen.has(path)) continue;
      seen.add(path);
      out.push({ path, pkg: refOf(['data', ...m.pkg]), name: head.name, location: rule.loc, skip });
    }
  }
  return out;
}

export interface RunOptions extends Omit<EvalOptions, 'print'> {
  /** Only tests whose path matches. */
  readonly filter?: RegExp;
}

export function runTests(engine: RegoEngine, options: RunOptions = {}): TestResult[] {
  return discoverTests(engine)
    .filter((t) => !options.filter || options.filter.test(t.path))
    .map((test) => runTest(engine, test, options));
}

function runTest(engine: RegoEngine, test: TestCase, options: RunOptions): TestResult {
  if (test.skip) return { test, status: 'skip', durationMs: 0, output: [] };
  const output: string[] = [];
  const started = performance.now();
  const prepared = engine.prepare(test.path);
  if (!prepared.ok) return { test, status: 'error', durationMs: 0, error: prepared.errors[0], output };
  const out = prepared.value.evaluate(undefined, { ...options, print: (line) => output.push(line) });
  const durationMs = performance.now() - started;
  if (!out.ok) return { test, status: 'error', durationMs, error: out.error, output };
  const value = out.results[0]?.expressions[0]?.value;
  return { test, status: out.results.length === 1 && value === true ? 'pass' : 'fail', durationMs, output };
}

export function summarize(results: readonly TestResult[]): TestSummary {
  const count = (s: TestStatus) => results.filter((r) => r.status === s).length;
  return { passed: count('pass'), failed: count('fail'), skipped: count('skip'), errors: count('error') };
}
