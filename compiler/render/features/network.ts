// Where the Feast workloads connect, as NetworkPolicy rules (default deny is already in place):
//   registry        every Feast process reads it: object storage over HTTPS, or the SQL
//                   database's host and port;
//   online store    from the cluster profile (onlineStoreRule);
//   batch sources   the materializer reads them: HTTPS (s3://, gs://, bigquery://), nothing
//                   for file:// (a path inside the pod);
//   stream brokers  Kafka bootstrap `host:port` list → peers by host (see feature-endpoints.ts);
//                   the brokers a Kafka client then talks to are the ones the bootstrap servers
//                   advertise, assumed to share their namespace (in-cluster) or port (managed).
//                   Kinesis is an AWS HTTPS endpoint.
import type { FeatureView } from '../../schema/features.js';
import type { RenderContext } from '../base/context.js';
import { endpointRules, parseHostPort, uriEndpoint } from './endpoints.js';
import { objectStorageRule, type TrafficRule } from '../base/network-policy.js';
import { FEATURE_METRICS_PORT } from './pod.js';

const SQL_PORTS: Record<string, number> = { postgresql: 5432, mysql: 3306 };
const KAFKA_PORT = 9092;

/** Egress to the Feast registry. */
export function registryRules(ctx: RenderContext): TrafficRule[] {
  const uri = ctx.system.cluster.featureStore.registry;
  const scheme = /^([a-z]+)/.exec(uri)?.[1] ?? '';
  const port = SQL_PORTS[scheme];
  if (port !== undefined) {
    const endpoint = uriEndpoint(uri, port);
    if (endpoint) return endpointRules([endpoint]);
  }
  return [objectStorageRule()];
}

/** Egress to the batch sources of some views (deduplicated). */
export function batchSourceRules(uris: readonly string[]): TrafficRule[] {
  return uris.some((uri) => !uri.startsWith('file://')) ? [objectStorageRule()] : [];
}

/** Egress to a stream's brokers. */
export function streamRules(stream: NonNullable<FeatureView['streamSource']>): TrafficRule[] {
  if (stream.type === 'kinesis') return [objectStorageRule()];
  const servers = (stream.bootstrapServers ?? '').split(',').filter((s) => s.trim() !== '');
  return endpointRules(servers.map((s) => parseHostPort(s, KAFKA_PORT)));
}

/** Prometheus (the profile's monitoring namespace) scraping the feature metrics port. */
export function metricsScrapeRule(ctx: RenderContext): TrafficRule {
  return { peers: [{ namespace: ctx.system.cluster.monitoring.namespace }], ports: [{ port: FEATURE_METRICS_PORT }] };
}

/** Rules that are equal (same peers and ports) are kept once. */
export function uniqueRules(rules: readonly TrafficRule[]): TrafficRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
