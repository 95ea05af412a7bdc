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
import { type Inventory, inventoryOf } from './review.js';

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

export interface PreparedGatekeeper {
  evaluate(system: ResolvedSystem, rendered: ManifestSet, limits?: Partial<EvalLimits>): Finding[];
}

export function prepareGatekeeper(spec: GatekeeperSetSpec): PreparedGatekeeper {
  const compiled = new Map<string, CompiledTemplate>();
  for (const t of spec.templates) {
    const c = compileTemplate(t);
    // Templates were compiled in the main thread already: failing here is a bug.
    if (c.ok) compiled.set(t.kind, c.value);
  }
  return {
    evaluate(system, rendered, limits) {
      const namespace = namespaceObject(system.namespace, [namespaceUse(system)]);
      let inventory: Inventory | undefined;
      const findings: Finding[] = [];
      for (const constraint of spec.constraints) {
        const template = compiled.get(constraint.kind);
        if (!template || !constraint.severity) continue;
        // The synced objects of the cluster, as far as this review knows them: what it renders.
        const synced = template.template.requiresSyncData
          ? (inventory ??= inventoryOf([namespace, ...rendered.objects]))
          : { cluster: {}, namespace: {} };
        rendered.objects.forEach((object, i) => {
          const base = {
            policy: constraintPolicyId(constraint),
            system: system.name,
            environment: system.environment,
            pointer: rendered.sources[i] ?? '',
            object: ref(object),
          };
          const failed = (error: string) =>
            findings.push({ ...base, severity: 'deny', message: `the constraint could not be evaluated: ${error}` });
          const resultants = expand(object, spec.expansions ?? []);
          if ('error' in resultants) return failed(resultants.error);
          // The object itself, then what its controller will create from it.
          const reviewed = [{ object, prefix: '', severity: constraint.severity! }].concat(
            resultants.map((r) => ({
              object: r.object,
              prefix: `[Implied by ${r.template.name}] `,
              severity: r.template.severity ?? constraint.severity!,
            })),
          );
          for (const r of reviewed) {
            const own = r.object.metadata.namespace === namespace.metadata.name ? namespace : undefined;
            const matched = matches(constraint.match, r.object, own);
            if (matched === false) continue;
            if (matched !== true) return failed(matched.error);
            const judged = template.judge(constraint, r.object, synced, limits);
            if (!judged.ok) return failed(judged.error);
            for (const v of judged.violations)
              findings.push({ ...base, severity: r.severity, message: r.prefix + v.msg });
          }
        });
      }
      return findings;
    },
  };
}

function ref(o: K8sObject) {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata.name,
  };
}
