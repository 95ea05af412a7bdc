// Which mode a system's tiers are served in, and where their metrics are found. Shared by
// serving (which builds the tier) and monitoring (which alerts on it).
import type { ResolvedSystem } from '../../resolve/resolved.js';
import { objectName } from './names.js';
import type { SeriesSelector } from './promql.js';
import { liveVariants, runtimeSplit } from './traffic-split.js';

/** Name of the runtime's HTTP port on serving pods and Services (scraped, routed to). */
export const HTTP_PORT_NAME = 'http';

/** `runtime-split`: the runtime divides traffic; `argo-rollouts`: Argo moves it between revisions. */
export type ServingMode = 'runtime-split' | 'argo-rollouts';

/** Canary and blue-green go to Argo Rollouts when the cluster has it; A/B and shadow never do. */
export function servingMode(system: ResolvedSystem): ServingMode {
  const strategy = system.spec.rollout?.strategy;
  const argo = system.cluster.components.argoRollouts && (strategy === 'canary' || strategy === 'blueGreen');
  return argo ? 'argo-rollouts' : 'runtime-split';
}

/**
 * The user-facing requests of a tier: in runtime-split mode the variants with live traffic
 * (not shadows, not blue-green previews); under Argo Rollouts every revision behind the Service.
 */
export function tierSeries(system: ResolvedSystem, tier: string): SeriesSelector {
  const series = { namespace: system.namespace, service: objectName(system.name, tier) };
  if (servingMode(system) === 'argo-rollouts') return series;
  return { ...series, variants: liveVariants(runtimeSplit(system, tier)) };
}
