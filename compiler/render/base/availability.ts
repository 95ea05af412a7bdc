// Keeping a long-running workload available: a PodDisruptionBudget so node drains take one
// pod at a time, and topology spread so replicas land on different zones and nodes.
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { RenderContext } from './context.js';
import type { ObjectRole } from './labels.js';
import { addLatePatch } from './late-patch.js';

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

/**
 * Labels that tell one revision's pods from another's (Deployments and Argo Rollouts name them
 * differently; a key the pod lacks is ignored): each revision is spread on its own, so a
 * rolling update does not count the old pods it is about to remove.
 */
export const REVISION_LABEL_KEYS = ['pod-template-hash', 'rollouts-pod-template-hash'] as const;

/**
 * Spread over zones (required: losing a zone must not take the workload down) and nodes
 * (preferred, so a small cluster still schedules). Zones whose nodes the pod cannot use
 * (taints it does not tolerate, another accelerator) do not count as domains.
 */
export function topologySpreadJson(selector: Readonly<Record<string, string>>): Record<string, unknown>[] {
  const spread = (topologyKey: string, whenUnsatisfiable: string) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: { matchLabels: { ...selector } },
    matchLabelKeys: [...REVISION_LABEL_KEYS],
    nodeTaintsPolicy: 'Honor',
  });
  return [spread('topology.kubernetes.io/zone', 'DoNotSchedule'), spread('kubernetes.io/hostname', 'ScheduleAnyway')];
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

/**
 * A stopping pod keeps serving for `seconds` before it gets SIGTERM: endpoints (kube-proxy,
 * gateways, sidecars) learn of the removal asynchronously, and requests routed meanwhile would
 * fail. The kubelet's own `sleep` action (Kubernetes 1.30+, beta and on by default) needs no
 * `sleep` binary in the (distroless) image. The termination grace period must cover it.
 */
export function drainBeforeStop(
  workload: kplus.Deployment | kplus.StatefulSet,
  container: string,
  seconds: number,
): void {
  const index = workload.containers.findIndex((c) => c.name === container);
  if (index < 0) throw new Error(`internal: no container \`${container}\` to drain`);
  addLatePatch(
    ApiObject.of(workload),
    JsonPatch.add(`/spec/template/spec/containers/${index}/lifecycle`, { preStop: { sleep: { seconds } } }),
  );
}
