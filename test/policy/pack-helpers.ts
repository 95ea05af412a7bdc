// The policy pack (policies/) on the engine, as the policy stage runs it: every policy's deny,
// warn and info findings for one system-environment, builtin errors strict.
import { policyInput } from '../../compiler/policy/input.js';
import type { K8sObject } from '../../compiler/render/base/manifest-set.js';
import type { ResolvedSystem } from '../../compiler/resolve/resolved.js';
import { RegoEngine, type PreparedQuery } from '../../compiler/rego/engine.js';
import { loadPolicyPaths } from '../../compiler/rego/loader.js';
import { toJS } from '../../compiler/rego/engine.js';
import { repoRoot } from '../rego/conformance/harness.js';

/** The repository (also when run from dist/, as the benchmark is). */
export const ROOT = repoRoot();

export type Severity = 'deny' | 'warn' | 'info';

export interface PackFinding {
  readonly policy: string;
  readonly severity: Severity;
  readonly msg: string;
  readonly pointer?: string;
  readonly object?: { readonly kind: string; readonly name: string };
  readonly remediation?: string;
}

const QUERY =
  'findings := [[name, severity, f] | some name; some severity in ["deny", "warn", "info"]; ' +
  'some f in data.mlspec[name][severity]]';

let prepared: { engine: RegoEngine; query: PreparedQuery } | undefined;

/** The pack, loaded and compiled once per test file. */
export function pack(): { engine: RegoEngine; query: PreparedQuery } {
  if (prepared) return prepared;
  const files = loadPolicyPaths(['policies'], ROOT);
  if (files.errors.length > 0) throw new Error(files.errors.map(String).join('\n'));
  const engine = RegoEngine.load(files.modules, { data: files.data });
  if (!engine.ok) throw new Error(engine.errors.map(String).join('\n'));
  const query = engine.value.prepare(QUERY);
  if (!query.ok) throw new Error(query.errors.map(String).join('\n'));
  prepared = { engine: engine.value, query: query.value };
  return prepared;
}

/** Every finding of the pack for one input document; an evaluation error throws. */
export function evaluateInput(input: unknown): PackFinding[] {
  const out = pack().query.evaluate(input, { strictBuiltinErrors: true });
  if (!out.ok) throw new Error(`the pack failed: ${out.error.message}`);
  const rows = toJS(out.results[0]!.bindings.findings!) as [
    string,
    Severity,
    Omit<PackFinding, 'policy' | 'severity'>,
  ][];
  return rows.map(([policy, severity, f]) => ({ policy, severity, ...f }));
}

export function evaluatePack(system: ResolvedSystem, objects: readonly K8sObject[]): PackFinding[] {
  return evaluateInput(policyInput(system, objects));
}
