// Where the Feast workloads connect, as NetworkPolicy rules (default deny is already in place).
// Every host was checked against the cluster profile's approved endpoints by resolve
// (`ResolvedSystem.egress`); the rules open those endpoints' peers only:
//   registry        every Feast process reads it (object storage, or a SQL database);
//   online store    from the cluster profile (onlineStoreRule);
//   batch sources   the materializer reads them (nothing for file://, a path inside the pod);
//   streams         Kafka brokers (the ones the bootstrap servers advertise must be approved
//                   by the same endpoint) or Kinesis, and the schema registry.
import type { RenderContext } from '../base/context.js';
import { approvedRules, type TrafficRule } from '../base/network-policy.js';
import { FEATURE_METRICS_PORT } from './pod.js';

/** Egress to the Feast registry. */
export function registryRules(ctx: RenderContext): TrafficRule[] {
  return approvedRules(ctx, ctx.system.egress.registry);
}

/** Egress of the materializer: the registry and the batch sources of `views`. */
export function materializeRules(ctx: RenderContext, views: readonly string[]): TrafficRule[] {
  const e = ctx.system.egress;
  return approvedRules(ctx, [...e.registry, ...views.flatMap((v) => e.batch[v] ?? [])]);
}

/** Egress of one view's stream ingestor: the registry, the brokers and the schema registry. */
export function streamRules(ctx: RenderContext, view: string): TrafficRule[] {
  const e = ctx.system.egress;
  return approvedRules(ctx, [...e.registry, ...(e.streams[view] ?? [])]);
}

/** Prometheus (the profile's monitoring namespace) scraping the feature metrics port. */
export function metricsScrapeRule(ctx: RenderContext): TrafficRule {
  return { peers: [{ namespace: ctx.system.cluster.monitoring.namespace }], ports: [{ port: FEATURE_METRICS_PORT }] };
}
