// How a system's serving traffic is divided among model releases on its cluster, decided once
// here and read by the renderers (serving, monitoring) and the warnings below.
//
//   runtime-split  one pod runs every variant and its router splits traffic exactly (A/B tests,
//                  and every strategy on clusters without Argo Rollouts).
//   argo-rollouts  each pod revision serves one release; Argo Rollouts moves traffic between
//                  revisions: canary and blue-green where the cluster has Argo Rollouts, and
//                  shadow where it also has Istio (the copies are Istio mirrors).
//
// Under Argo Rollouts the canary weights are exact only through a traffic router: with Istio,
// Argo sets the weights (and the mirror) in the tier's VirtualService; without it, Argo reaches
// a weight by scaling the canary's replica count.
import type { MLSystemBody } from '../schema/mlsystem.js';
import type { Components } from '../schema/platform.js';

export type ServingMode = 'runtime-split' | 'argo-rollouts';
export type TrafficRouter = 'runtime' | 'istio' | 'replicas';

export function servingModeOf(spec: Pick<MLSystemBody, 'rollout'>, components: Components): ServingMode {
  const strategy = spec.rollout?.strategy;
  if (!components.argoRollouts) return 'runtime-split';
  if (strategy === 'canary' || strategy === 'blueGreen') return 'argo-rollouts';
  return strategy === 'shadow' && components.istio ? 'argo-rollouts' : 'runtime-split';
}

/** What divides a tier's traffic: the runtime, Istio (under Argo Rollouts), or replica counts. */
export function trafficRouterOf(spec: Pick<MLSystemBody, 'rollout'>, components: Components): TrafficRouter {
  if (servingModeOf(spec, components) === 'runtime-split') return 'runtime';
  // Blue-green switches Services whole; it needs no weights.
  if (spec.rollout?.strategy === 'blueGreen') return 'runtime';
  return components.istio ? 'istio' : 'replicas';
}
