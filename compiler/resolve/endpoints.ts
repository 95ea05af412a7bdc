// Every network endpoint a system reaches must be one the platform team approved for the
// cluster profile (`clusters.<name>.endpoints`): Kafka brokers, schema registries, object
// storage behind model, dataset and batch-source URIs, the Feast registry. A spec names hosts;
// only approved hosts (exactly, or by a pattern of the profile) and their ports pass, and
// network policy later opens exactly the approved endpoint's peers. Anything else is a located
// error: a spec in a pull request must not be able to open egress to the API server, Vault or
// the internet by naming it.
import type { MLSystemBody } from '../schema/mlsystem.js';
import type { ApprovedEndpoint } from '../schema/platform.js';
import { joinPointer } from '../../core/json-pointer.js';
import { compareCodeUnits } from '../../core/compare.js';
import type { EndpointUse, ResolvedCluster, ResolvedEgress } from './resolved.js';
import type { Reporter } from './report.js';

export const KAFKA_PORT = 9092;
const HTTPS = 443;

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** `host:port` (port optional); IPv6 literals as `[addr]:port`. Undefined when malformed. */
export function parseHostPort(text: string, defaultPort: number): HostPort | undefined {
  const m = /^(\[[^\]]+\]|[^:/\s]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const port = m[2] ? Number(m[2]) : defaultPort;
  return port >= 1 && port <= 65535 ? { host: m[1]!.toLowerCase(), port } : undefined;
}

/** `scheme://[user@]host[:port]/...` → its host and port (scheme default). */
export function urlHostPort(url: string): HostPort | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?([^/?#]*)/i.exec(url);
  if (!m || m[2] === '') return undefined;
  const scheme = m[1]!.toLowerCase();
  const port =
    scheme === 'http' ? 80 : scheme.startsWith('postgresql') ? 5432 : scheme.startsWith('mysql') ? 3306 : HTTPS;
  return parseHostPort(m[2]!, port);
}

/** AWS region of the system's S3 buckets and Kinesis streams: the profile's, else the cluster's. */
export function awsRegion(cluster: ResolvedCluster): string {
  return cluster.objectStorage?.s3?.region ?? cluster.region;
}

/** The bucket of an `s3://` or `gs://` URI. */
export function bucketOf(uri: string): string {
  return /^[a-z0-9]+:\/\/([^/]+)/.exec(uri)?.[1] ?? '';
}

/**
 * Where a data URI is read from, as the fetcher and the Feast/training images reach it:
 * undefined for local files; `null` when the scheme names no known service.
 */
export function storageEndpoint(uri: string, cluster: ResolvedCluster): HostPort | undefined | null {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(uri)?.[1];
  switch (scheme) {
    case 'file':
      return undefined;
    case 's3': {
      const s3 = cluster.objectStorage?.s3;
      if (s3?.endpoint) return urlHostPort(s3.endpoint) ?? null;
      return { host: `${bucketOf(uri)}.s3.${awsRegion(cluster)}.amazonaws.com`, port: HTTPS };
    }
    case 'gs':
      return { host: 'storage.googleapis.com', port: HTTPS };
    case 'bigquery':
      return { host: 'bigquery.googleapis.com', port: HTTPS };
    case 'https':
    case 'http':
    case 'postgresql':
    case 'mysql':
      return urlHostPort(uri) ?? null;
    default:
      return null;
  }
}

function hostPattern(pattern: string): RegExp {
  const body = pattern
    .split('.')
    .map((label) => label.replace(/[^a-z0-9*-]/g, '').replaceAll('*', '[a-z0-9-]*'))
    .join('\\.');
  return new RegExp(`^${body}$`);
}

/** The approved endpoint (first by name) that allows `host` on `port`, if any. */
export function approvedEndpoint(
  endpoints: Readonly<Record<string, ApprovedEndpoint>>,
  target: HostPort,
): string | undefined {
  return Object.keys(endpoints)
    .sort(compareCodeUnits)
    .find((name) => {
      const e = endpoints[name]!;
      return e.ports.includes(target.port) && e.hosts.some((h) => hostPattern(h).test(target.host));
    });
}

function describeApproved(cluster: ResolvedCluster, port: number): string {
  const hosts = Object.values(cluster.endpoints)
    .filter((e) => e.ports.includes(port))
    .flatMap((e) => e.hosts);
  return hosts.length
    ? `approved for port ${port} on \`${cluster.name}\`: ${[...new Set(hosts)].sort().join(', ')}`
    : `\`${cluster.name}\` approves no endpoint on port ${port}`;
}

/** Checks targets against the profile; approved ones are returned, the others reported at `pointer`. */
class EndpointChecker {
  constructor(
    private readonly cluster: ResolvedCluster,
    private readonly r: Reporter,
  ) {}

  check(targets: readonly HostPort[], pointer: string, what: string): EndpointUse[] {
    const uses: EndpointUse[] = [];
    for (const t of targets) {
      const endpoint = approvedEndpoint(this.cluster.endpoints, t);
      if (endpoint) uses.push({ endpoint, host: t.host, port: t.port });
      else
        this.r.report(
          'unapproved_endpoint',
          `${what} \`${t.host}:${t.port}\` is not an approved endpoint of cluster profile \`${this.cluster.name}\``,
          pointer,
          `${describeApproved(this.cluster, t.port)}; or ask the platform team to approve it under ` +
            `\`clusters.${this.cluster.name}.endpoints\``,
        );
    }
    return uses;
  }

  uri(uri: string, pointer: string, what: string): EndpointUse[] {
    const target = storageEndpoint(uri, this.cluster);
    if (target === undefined) return [];
    if (target === null) {
      this.r.report(
        'unsupported_uri',
        `${what} \`${uri.slice(0, 80)}\` names no service mlspec can reach`,
        pointer,
        'use an `s3://`, `gs://` or `https://` URI',
      );
      return [];
    }
    return this.check([target], pointer, what);
  }
}

function sortedUses(uses: readonly EndpointUse[]): EndpointUse[] {
  const seen = new Map(uses.map((u) => [`${u.endpoint}\u0000${u.host}\u0000${u.port}`, u]));
  return [...seen.entries()].sort(([a], [b]) => compareCodeUnits(a, b)).map(([, u]) => u);
}

/** Every endpoint the spec and the profile's Feast registry make the system reach. */
export function checkEndpoints(
  spec: MLSystemBody,
  cluster: ResolvedCluster,
  r: Reporter,
  platformReporter: Reporter,
): ResolvedEgress {
  const c = new EndpointChecker(cluster, r);
  const models: EndpointUse[] = [];
  models.push(...c.uri(spec.model.artifact.uri, '/model/artifact/uri', 'model artifact'));
  const rollout = spec.rollout;
  if (rollout?.stable) models.push(...c.uri(rollout.stable.artifact.uri, '/rollout/stable/artifact/uri', 'model'));
  for (const [name, v] of Object.entries(rollout?.abTest?.variants ?? {})) {
    if (v.artifact)
      models.push(...c.uri(v.artifact.uri, `${joinPointer('/rollout/abTest/variants', name)}/artifact/uri`, 'model'));
  }
  const datasets = Object.entries(spec.training.datasets).flatMap(([name, d]) =>
    c.uri(d.uri, `${joinPointer('/training/datasets', name)}/uri`, `dataset \`${name}\``),
  );
  const batch: Record<string, EndpointUse[]> = {};
  const streams: Record<string, EndpointUse[]> = {};
  for (const [name, view] of Object.entries(spec.features.views)) {
    const at = joinPointer('/features/views', name);
    batch[name] = sortedUses(c.uri(view.batchSource.uri, `${at}/batchSource/uri`, `batch source of \`${name}\``));
    const stream = view.streamSource;
    if (!stream) continue;
    const uses: EndpointUse[] = [];
    if (stream.type === 'kafka') {
      const pointer = `${at}/streamSource/bootstrapServers`;
      const targets: HostPort[] = [];
      for (const server of (stream.bootstrapServers ?? '').split(',').filter((s) => s.trim() !== '')) {
        const hp = parseHostPort(server, KAFKA_PORT);
        if (hp) targets.push(hp);
        else
          r.report(
            'invalid_value',
            `\`${server.trim().slice(0, 80)}\` is not \`host:port\``,
            pointer,
            'write the brokers as `host:port,host:port`',
          );
      }
      uses.push(...c.check(targets, pointer, 'Kafka broker'));
    } else {
      const host = `kinesis.${awsRegion(cluster)}.amazonaws.com`;
      uses.push(...c.check([{ host, port: HTTPS }], `${at}/streamSource/type`, 'Kinesis endpoint'));
    }
    if (stream.schemaRegistry) {
      const target = urlHostPort(stream.schemaRegistry);
      if (target) uses.push(...c.check([target], `${at}/streamSource/schemaRegistry`, 'schema registry'));
    }
    streams[name] = sortedUses(uses);
  }
  (cluster.identity?.endpoints ?? []).forEach((name, i) => {
    if (!cluster.endpoints[name])
      platformReporter.report(
        'unknown_reference',
        `identity endpoint \`${name}\` is not an approved endpoint of cluster profile \`${cluster.name}\``,
        `/clusters/${cluster.name}/identity/endpoints/${i}`,
        `define it under \`clusters.${cluster.name}.endpoints\``,
      );
  });
  const registry = new EndpointChecker(cluster, platformReporter).uri(
    cluster.featureStore.registry,
    `/clusters/${cluster.name}/featureStore/registry`,
    'Feast registry',
  );
  return { models: sortedUses(models), datasets: sortedUses(datasets), registry, batch, streams };
}
