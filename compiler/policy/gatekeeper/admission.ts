// The policy stage's Gatekeeper part: every constraint judges every rendered object of a
// system-environment it matches, as the validating webhook would when Argo CD creates them.
// Violations become findings at the object (its file in out/) and at the spec element it was
// made from; a template that cannot be evaluated is a `deny` finding, never a pass.
import { namespaceObject, namespaceUse } from '../../render/base/namespace.js';
import type { K8sObject, ManifestSet } from '../../render/base/manifest-set.js';
import type { ResolvedSystem } from '../../resolve/resolved.js';
import type { EvalLimits } from '../../rego/engine.js';
import type { Finding } from '../finding.js';
import type { PolicyInfo } from '../metadata.js';
import { type CompiledTemplate, compileTemplate } from './evaluate.js';
import { type ExpansionTemplate, expand } from './expansion.js';
import { matches } from './match.js';
import type { GatekeeperConstraint, GatekeeperTemplate } from './resources.js';
import type { Inventory } from './review.js';

/** The Gatekeeper resources of a run as plain data (they travel to render workers). */
export interface GatekeeperSetSpec {
  readonly templates: readonly GatekeeperTemplate[];
  /** Only constraints whose template has Rego and that the validating webhook enforces. */
  readonly constraints: readonly GatekeeperConstraint[];
  readonly expansions?: readonly ExpansionTemplate[];
}

/** A constraint's policy id: waivers name it, e.g. `gatekeeper.K8sRequiredLabels.must_have_owner`. */
export function constraintPolicyId(c: Pick<GatekeeperConstraint, 'kind' | 'name'>): string {
  return `gatekeeper.${c.kind}.${c.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

export function constraintInfo(c: GatekeeperConstraint): PolicyInfo {
  return {
    id: constraintPolicyId(c),
    file: c.file,
    title: `Gatekeeper ${c.kind} ${c.name}`,
    severity: c.severity ?? 'info',
    controls: [],
  };
}

/** An object a render worker hands to the environment's review (for constraints that read the inventory). */
export interface HeldObject {
  readonly object: K8sObject;
  /** The JSON pointer of the spec element it was made from. */
  readonly source: string;
}

export interface SystemReview {
  readonly findings: Finding[];
  /** Every rendered object, when a constraint needs the whole environment's inventory; else none. */
  readonly held: HeldObject[];
}

export interface PreparedGatekeeper {
  /**
   * Judges a system-environment's objects by every constraint that needs nothing beyond them;
   * those whose template reads `data.inventory` wait for the environment (environment.ts).
   */
  evaluate(system: ResolvedSystem, rendered: ManifestSet, limits?: Partial<EvalLimits>): SystemReview;
}

export interface JudgedConstraint {
  readonly constraint: GatekeeperConstraint;
  readonly template: CompiledTemplate;
}

/** Each constraint with its compiled template (the ones admission runs). */
export function judgedConstraints(spec: GatekeeperSetSpec): JudgedConstraint[] {
  const compiled = new Map<string, CompiledTemplate>();
  for (const t of spec.templates) {
    const c = compileTemplate(t);
    // Templates were compiled in the main thread already: failing here is a bug.
    if (c.ok) compiled.set(t.kind, c.value);
  }
  return spec.constraints.flatMap((constraint) => {
    const template = compiled.get(constraint.kind);
    return template && constraint.severity ? [{ constraint, template }] : [];
  });
}

export const readsInventory = (j: JudgedConstraint): boolean => j.template.template.syncs !== undefined;

export function prepareGatekeeper(spec: GatekeeperSetSpec): PreparedGatekeeper {
  const all = judgedConstraints(spec);
  const local = all.filter((j) => !readsInventory(j));
  const waiting = all.length > local.length;
  const empty: Inventory = { cluster: {}, namespace: {} };
  return {
    evaluate(system, rendered, limits) {
      const namespace = namespaceObject(system.namespace, [namespaceUse(system)]);
      const findings = rendered.objects.flatMap((object, i) =>
        judgeObject(local, object, {
          namespaceOf: (ns) => (ns === namespace.metadata.name ? namespace : undefined),
          inventory: empty,
          expansions: spec.expansions ?? [],
          limits,
          base: { system: system.name, environment: system.environment, pointer: rendered.sources[i] ?? '' },
        }),
      );
      const held = waiting ? rendered.objects.map((object, i) => ({ object, source: rendered.sources[i] ?? '' })) : [];
      return { findings, held };
    },
  };
}

export interface JudgeContext {
  /** The rendered Namespace of that name, if any (for namespaceSelector). */
  readonly namespaceOf: (name: string) => K8sObject | undefined;
  readonly inventory: Inventory;
  readonly expansions: readonly ExpansionTemplate[];
  readonly limits: Partial<EvalLimits> | undefined;
  /** What every finding about the object carries: whose it is and where it came from. */
  readonly base: Pick<Finding, 'system' | 'environment' | 'pointer'>;
}

/**
 * One object under some constraints, as admission would: the object itself, then what its
 * controller will create from it (expansion). A constraint that cannot be evaluated is one
 * `deny` finding for the object.
 */
export function judgeObject(constraints: readonly JudgedConstraint[], object: K8sObject, ctx: JudgeContext): Finding[] {
  const findings: Finding[] = [];
  const resultants = expand(object, ctx.expansions);
  for (const { constraint, template } of constraints) {
    const base = { ...ctx.base, policy: constraintPolicyId(constraint), object: ref(object) };
    const failed = (error: string) =>
      findings.push({ ...base, severity: 'deny', message: `the constraint could not be evaluated: ${error}` });
    if ('error' in resultants) {
      failed(resultants.error);
      continue;
    }
    const reviewed = [{ object, prefix: '', severity: constraint.severity! }].concat(
      resultants.map((r) => ({
        object: r.object,
        prefix: `[Implied by ${r.template.name}] `,
        severity: r.template.severity ?? constraint.severity!,
      })),
    );
    for (const r of reviewed) {
      const ns = r.object.metadata.namespace;
      const matched = matches(constraint.match, r.object, ns ? ctx.namespaceOf(ns) : undefined);
      if (matched === false) continue;
      if (matched !== true) {
        failed(matched.error);
        break;
      }
      const judged = template.judge(constraint, r.object, ctx.inventory, ctx.limits);
      if (!judged.ok) {
        failed(judged.error);
        break;
      }
      for (const v of judged.violations) findings.push({ ...base, severity: r.severity, message: r.prefix + v.msg });
    }
  }
  return findings;
}

function ref(o: K8sObject) {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata.name,
  };
}
