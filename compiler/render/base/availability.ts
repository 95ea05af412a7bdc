// Keeping a long-running workload available: a PodDisruptionBudget so node drains take one
// pod at a time, and topology spread so replicas land on different zones and nodes.
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { RenderContext } from './context.js';
import type { ObjectRole } from './labels.js';

export interface DisruptionBudgetProps {
  readonly role: ObjectRole;
  readonly selector: Readonly<Record<string, string>>;
  /** Pods that may be down at once. Default 1: never blocks a drain, never empties a tier. */
  readonly maxUnavailable?: number;
}

/** cdk8s-plus has no PodDisruptionBudget construct; the generated k8s type is typed too. */
export function disruptionBudget(ctx: RenderContext, props: DisruptionBudgetProps): kplus.k8s.KubePodDisruptionBudget {
  const name = props.role.workload;
  return new kplus.k8s.KubePodDisruptionBudget(ctx.chart, `PodDisruptionBudget-${name}`, {
    metadata: ctx.metadata(name, props.role),
    spec: {
      maxUnavailable: kplus.k8s.IntOrString.fromNumber(props.maxUnavailable ?? 1),
      selector: { matchLabels: { ...props.selector } },
      // Pods that never became ready may be evicted even when the budget is spent.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}

/** Spread over zones and nodes; `ScheduleAnyway` so a small cluster still schedules. */
export function topologySpreadJson(selector: Readonly<Record<string, string>>): Record<string, unknown>[] {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selector } },
  }));
}

/**
 * cdk8s-plus expresses spreading as pod anti-affinity only; topologySpreadConstraints (which
 * balance rather than merely separate) are added to the pod template by a JSON patch.
 */
export function spreadWorkload(
  workload: kplus.Deployment | kplus.StatefulSet,
  selector: Readonly<Record<string, string>>,
): void {
  ApiObject.of(workload).addJsonPatch(
    JsonPatch.add('/spec/template/spec/topologySpreadConstraints', topologySpreadJson(selector)),
  );
}
