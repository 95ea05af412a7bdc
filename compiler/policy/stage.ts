// The policy stage: after a system-environment is rendered, its policies judge what was asked
// (the resolved spec) and what will run (the rendered objects). It runs where the system was
// rendered (a render worker, or this thread), so the rendered objects never cross threads; only
// Gatekeeper constraints that read the inventory wait for the whole environment (gatekeeper/).
//
// Each policy package reports through `deny`, `warn` and `info` (sets of findings). Every
// failure fails closed: a rule that errors (a builtin error — evaluation is strict —, a limit,
// a conflict) or returns a malformed finding is itself a `deny` finding of that policy.
import type { K8sObject, ManifestSet } from '../render/base/manifest-set.js';
import type { ResolvedSystem } from '../resolve/resolved.js';
import { type EvalLimits, type PreparedQuery, RegoEngine, toJS } from '../rego/engine.js';
import type { Finding, FindingSeverity } from './finding.js';
import { policyInput } from './input.js';
import type { PolicyInfo } from './metadata.js';
import { type GatekeeperSetSpec, prepareGatekeeper, type SystemReview } from './gatekeeper/admission.js';
import type { BundleSpec } from './wasm/bundle-set.js';
import { WasmEngine } from './wasm/wasm-engine.js';

/** The policies of a run as plain data, so that every render worker can prepare them once. */
export interface PolicySetSpec {
  readonly modules: readonly { readonly file: string; readonly source: string }[];
  readonly data?: unknown;
  /** The Rego policies among `modules`. */
  readonly policies: readonly PolicyInfo[];
  /** OPA Wasm bundles (policy.bundles of the platform config). */
  readonly bundles?: readonly BundleSpec[];
  /** Gatekeeper templates and constraints (policy.gatekeeper of the platform config). */
  readonly gatekeeper?: GatekeeperSetSpec;
  /** Engine limits per evaluation; the engine's defaults when absent. */
  readonly limits?: Partial<EvalLimits>;
}

/** Policies ready to evaluate, prepared once per thread. */
export interface PreparedPolicies {
  /** Findings about one system-environment, and the objects its environment's review needs. */
  evaluate(system: ResolvedSystem, rendered: ManifestSet): SystemReview;
}

/** No policies (`--no-policies`, or none configured): the stage passes everything through. */
export const NO_POLICIES: PreparedPolicies = { evaluate: () => ({ findings: [], held: [] }) };

const SEVERITIES: readonly FindingSeverity[] = ['deny', 'warn', 'info'];

interface PreparedRule {
  readonly policy: PolicyInfo;
  readonly severity: FindingSeverity;
  readonly query: PreparedQuery;
}

export function preparePolicies(spec: PolicySetSpec | undefined): PreparedPolicies {
  if (!spec || (spec.policies.length === 0 && !spec.bundles?.length && !spec.gatekeeper?.constraints.length))
    return NO_POLICIES;
  const rules = [...regoRules(spec), ...(spec.bundles ?? []).flatMap((b) => bundleRules(b, spec.limits))];
  const gatekeeper = spec.gatekeeper && prepareGatekeeper(spec.gatekeeper);
  return {
    evaluate(system, rendered) {
      const input = policyInput(system, rendered.objects);
      const admission = gatekeeper?.evaluate(system, rendered, spec.limits);
      return {
        findings: [
          ...rules.flatMap((rule) => evaluateRule(rule, input, system, rendered, spec.limits)),
          ...(admission?.findings ?? []),
        ],
        held: admission?.held ?? [],
      };
    },
  };
}

// The set was compiled (and bundles loaded) in the main thread already: failing to prepare them
// here is a bug, not user input.
const internal = (what: string, e: { message: string } | undefined) => new Error(`internal: ${what}: ${e?.message}`);

function regoRules(spec: PolicySetSpec): PreparedRule[] {
  if (spec.policies.length === 0) return [];
  const engine = RegoEngine.load(spec.modules, { data: spec.data });
  if (!engine.ok) throw internal('policies compiled before no longer do', engine.errors[0]);
  const rules: PreparedRule[] = [];
  for (const policy of spec.policies) {
    for (const severity of SEVERITIES) {
      const q = engine.value.prepare(`data.${policy.id}.${severity}`);
      if (!q.ok) throw internal(`cannot prepare data.${policy.id}.${severity}`, q.errors[0]);
      rules.push({ policy, severity, query: q.value });
    }
  }
  return rules;
}

function bundleRules(bundle: BundleSpec, limits: Partial<EvalLimits> | undefined): PreparedRule[] {
  const engine = WasmEngine.load(
    { file: bundle.file, wasm: bundle.wasm, data: bundle.data, modules: [] },
    limits ? { limits } : {},
  );
  if (!engine.ok) throw internal(`bundle ${bundle.file} loaded before no longer does`, engine.errors[0]);
  return bundle.rules.map((r) => {
    const q = engine.value.prepare(r.entrypoint);
    if (!q.ok) throw internal(`cannot prepare ${r.entrypoint} of ${bundle.file}`, q.errors[0]);
    return { policy: bundle.policies.find((p) => p.id === r.policy)!, severity: r.severity, query: q.value };
  });
}

function evaluateRule(
  rule: PreparedRule,
  input: unknown,
  system: ResolvedSystem,
  rendered: ManifestSet,
  limits: Partial<EvalLimits> | undefined,
): Finding[] {
  const base = { policy: rule.policy.id, system: system.name, environment: system.environment };
  const failed = (msg: string): Finding[] => [{ ...base, severity: 'deny', message: msg, pointer: '' }];
  const out = rule.query.evaluate(input, { strictBuiltinErrors: true, ...(limits ? { limits } : {}) });
  if (!out.ok) return failed(`the policy could not be evaluated (${out.error.code}): ${out.error.message}`);
  if (out.builtinErrors.length > 0) {
    const e = out.builtinErrors[0]!;
    return failed(`the policy could not be evaluated (${e.code}): ${e.message}`);
  }
  const value = out.results[0]?.expressions[0]?.value;
  // An undefined rule (the package does not define `warn`, say) reports nothing.
  if (value === undefined) return [];
  const items = toJS(value);
  if (!Array.isArray(items)) return failed(`\`${rule.severity}\` must be a set of findings`);
  return items.map((item) => toFinding(item, rule, base, rendered));
}

type Base = Pick<Finding, 'policy' | 'system' | 'environment'>;

function toFinding(item: unknown, rule: PreparedRule, base: Base, rendered: ManifestSet): Finding {
  const finding = typeof item === 'string' ? { msg: item } : item;
  const malformed = (why: string): Finding => ({
    ...base,
    severity: 'deny',
    message: `a \`${rule.severity}\` finding ${why}: ${JSON.stringify(item).slice(0, 200)}`,
    pointer: '',
  });
  if (!finding || typeof finding !== 'object' || Array.isArray(finding)) return malformed('is not an object');
  const f = finding as Record<string, unknown>;
  if (typeof f.msg !== 'string') return malformed('has no `msg` string');
  if (f.pointer !== undefined && (typeof f.pointer !== 'string' || !/^(\/|$|platform:\/)/.test(f.pointer)))
    return malformed('has a `pointer` that is not a JSON pointer');
  const remediation = typeof f.remediation === 'string' ? f.remediation : rule.policy.remediation;
  const common = {
    ...base,
    severity: rule.severity,
    message: f.msg,
    ...(remediation ? { remediation } : {}),
    ...(rule.policy.controls.length > 0 ? { controls: rule.policy.controls } : {}),
  };
  if (f.object === undefined) return { ...common, pointer: (f.pointer as string | undefined) ?? '' };
  const ref = f.object as Record<string, unknown> | null;
  if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string')
    return malformed('names an `object` without `kind` and `name`');
  const index = rendered.objects.findIndex((o) => matches(o, ref));
  if (index < 0) return malformed(`names an object that was not rendered (${ref.kind}/${ref.name})`);
  const object = rendered.objects[index]!;
  return {
    ...common,
    pointer: (f.pointer as string | undefined) ?? rendered.sources[index] ?? '',
    object: {
      apiVersion: object.apiVersion,
      kind: object.kind,
      ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
      name: object.metadata.name,
    },
  };
}

function matches(o: K8sObject, ref: Record<string, unknown>): boolean {
  if (o.kind !== ref.kind || o.metadata.name !== ref.name) return false;
  return ref.namespace === undefined || ref.namespace === o.metadata.namespace;
}
