// Which mode a system's tiers are served in, and where their metrics are found. Shared by
// serving (which builds the tier) and monitoring (which alerts on it).
import type { ResolvedSystem } from '../../resolve/resolved.js';
import { objectName } from './names.js';
import type { SeriesSelector } from './promql.js';
import { liveVariants, releaseVariantName, runtimeSplit } from './traffic-split.js';
import { servingModeOf, trafficRouterOf, type ServingMode, type TrafficRouter } from '../../resolve/traffic.js';

/** Name of the runtime's HTTP port on serving pods and Services (scraped, routed to). */
export const HTTP_PORT_NAME = 'http';

export type { ServingMode, TrafficRouter } from '../../resolve/traffic.js';

/** `runtime-split`: the runtime divides traffic; `argo-rollouts`: Argo moves it between revisions. */
export function servingMode(system: ResolvedSystem): ServingMode {
  return servingModeOf(system.spec, system.cluster.components);
}

/** Under Argo Rollouts: Istio sets exact weights and mirrors, or replica counts approximate them. */
export function trafficRouter(system: ResolvedSystem): TrafficRouter {
  return trafficRouterOf(system.spec, system.cluster.components);
}

/**
 * The user-facing requests of a tier: in runtime-split mode the variants with live traffic
 * (not shadows, not blue-green previews); under Argo Rollouts every revision behind the Service,
 * except a shadow's, which only sees mirrored copies.
 */
export function tierSeries(system: ResolvedSystem, tier: string): SeriesSelector {
  const series = { namespace: system.namespace, service: objectName(system.name, tier) };
  const rollout = system.spec.rollout;
  if (servingMode(system) === 'argo-rollouts')
    return rollout?.strategy === 'shadow' && rollout.stable
      ? { ...series, variants: [releaseVariantName(rollout.stable.version)] }
      : series;
  return { ...series, variants: liveVariants(runtimeSplit(system, tier)) };
}
