// What a spec asks for that its cluster profile can only do approximately or with a risk: not
// errors (the output runs), but the author must know. Each warning is at the spec element it
// concerns and names the cluster.
import { quote } from '../../core/diagnostics/quote.js';
import type { MLSystemBody } from '../schema/mlsystem.js';
import type { ResolvedCluster } from './resolved.js';
import type { Reporter } from './report.js';
import { trafficRouterOf } from './traffic.js';

export function warnClusterLimits(spec: MLSystemBody, cluster: ResolvedCluster, r: Reporter): void {
  const distributed = spec.training.pipeline.train.distributed;
  if (distributed && !cluster.components.argoWorkflows) {
    r.warn(
      'degraded_training',
      `cluster ${quote(cluster.name)} has no Argo Workflows: the ${distributed.workers} training workers run ` +
        `as plain ` +
        `Jobs without a shared workspace`,
      '/training/pipeline/train/distributed',
      'train on a single pod in this environment (`distributed: null` in its overrides), or use a cluster ' +
        'profile with Argo Workflows',
    );
  }
  if (distributed && !cluster.components.kueue) {
    r.warn(
      'no_gang_scheduling',
      `cluster ${quote(cluster.name)} has no Kueue: the ${distributed.workers} training workers are scheduled one by ` +
        `one, and a partly placed group holds its GPUs idle until the rest fit or the step times out`,
      '/training/pipeline/train/distributed',
      'use a cluster profile with Kueue (the workers are then admitted together), or keep the group small ' +
        'enough to fit the node pool',
    );
  }
  const strategy = spec.rollout?.strategy;
  const router = trafficRouterOf(spec, cluster.components);
  if (router === 'replicas' && strategy === 'canary') {
    const min = Math.min(...Object.values(spec.serving.tiers).map((t) => t.replicas.min));
    r.warn(
      'approximate_weights',
      `cluster ${quote(cluster.name)} has Argo Rollouts but no Istio: canary weights are approximate, reached by ` +
        `replica counts (a tier at ${min} replicas moves in steps of about ${Math.round(100 / (min + 1))}%)`,
      '/rollout/canary/steps',
      'use a cluster profile with Istio for exact weights, or weights that are multiples of the replica share',
    );
  }
  // Listing the in-mesh callers says that they are the ones the split or the mirror is for.
  if (router === 'istio' && cluster.gateway.routes?.kind === 'httpRoute' && !spec.serving.callers?.length) {
    const what = strategy === 'shadow' ? 'mirrored' : 'split by the canary weights';
    r.warn(
      'mesh_only_routing',
      `cluster ${quote(cluster.name)} routes gateway traffic with Gateway API HTTPRoutes: requests through the ` +
        `gateway reach the stable release only; in-mesh callers are ${what} (Istio applies VirtualServices at ` +
        `sidecars, not at a Gateway API gateway)`,
      `/rollout/${strategy}`,
      'list the in-mesh callers under `serving.callers`, or use a cluster profile whose `gateway.routes.kind` is ' +
        '`virtualService`',
    );
  }
}
