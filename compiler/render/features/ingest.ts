// Streaming ingestion: for each feature view with a `streamSource`, a Deployment running
//   python /etc/feast/ingest.py          (MLSPEC_STREAM: the stream, as JSON)
// which consumes the Kafka topic or Kinesis stream and pushes rows into the online store
// through the view's PushSource (see feature-scripts.ts for delivery guarantees). One replica:
// a Kafka consumer group could take more, but Kinesis reading has no shard leases here, and
// one writer per view keeps the freshness metric simple. Credentials for the brokers (TLS,
// SASL, Schema Registry) come from the optional Secret `<system>-stream`; Kinesis uses the
// pod's cloud identity.
import * as kplus from 'cdk8s-plus-28';
import type { RenderContext } from '../base/context.js';
import type { ObjectRole } from '../base/labels.js';
import { sanitize } from '../base/names.js';
import { serviceAccount } from '../base/identity.js';
import { securePod } from '../base/workload.js';
import { allowTraffic, onlineStoreRule } from '../base/network-policy.js';
import { feastProject } from './store-config.js';
import { pushSourceName } from './definitions.js';
import {
  featureContainer,
  repoVolume,
  FEATURE_REPO_DIGEST_ANNOTATION,
  FEATURE_METRICS_LABEL,
  FEATURE_METRICS_PORT,
  FEATURE_METRICS_PORT_NAME,
  FEATURE_RESOURCES,
  type FeatureRepo,
  type SecretEnv,
} from './pod.js';
import { metricsScrapeRule, registryRules, streamRules, uniqueRules } from './network.js';
import { FEAST_REPO_DIR } from './store-config.js';

/** Keys read from the optional `<system>-stream` Secret. */
export const STREAM_SECRET_KEYS = [
  'KAFKA_SECURITY_PROTOCOL',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'SCHEMA_REGISTRY_URL',
] as const;

export function renderStreamIngestion(ctx: RenderContext, repo: FeatureRepo): void {
  const s = ctx.system;
  const streamSecret = ctx.names.part('stream');
  for (const view of Object.keys(s.spec.features.views).sort()) {
    const spec = s.spec.features.views[view]!;
    const stream = spec.streamSource;
    if (!stream) continue;
    const name = ctx.names.part('feature-ingest', sanitize(view));
    const role: ObjectRole = { component: 'features', workload: name };
    const account = serviceAccount(ctx, { role });
    const pod = securePod(ctx, {
      role,
      account,
      annotations: { [FEATURE_REPO_DIGEST_ANNOTATION]: repo.startupDigest },
    });
    pod.props.podMetadata.labels[FEATURE_METRICS_LABEL] = 'true';
    const config = {
      bootstrapServers: stream.bootstrapServers ?? '',
      format: stream.format,
      group: `${feastProject(s)}.${view}`,
      pushSource: pushSourceName(view),
      system: s.name,
      timestampField: stream.timestampField,
      topic: stream.topic,
      type: stream.type,
      view,
    };
    const secretEnv: SecretEnv[] =
      stream.type === 'kafka' || stream.format !== 'json'
        ? STREAM_SECRET_KEYS.map((key) => ({ env: key, secret: streamSecret, key, optional: true }))
        : [];
    const metrics = kplus.Probe.fromHttpGet('/metrics', { port: FEATURE_METRICS_PORT });
    const deployment = new kplus.Deployment(ctx.chart, `Deployment-${name}`, {
      ...pod.props,
      metadata: ctx.metadata(name, role),
      replicas: 1,
      // Never two consumers of one stream at once (Kinesis has no leases here).
      strategy: kplus.DeploymentStrategy.recreate(),
      containers: [
        featureContainer(ctx, repoVolume(ctx, repo, name), pod, {
          name: 'ingest',
          command: ['python', `${FEAST_REPO_DIR}/ingest.py`],
          env: { MLSPEC_STREAM: JSON.stringify(config) },
          secretEnv,
          resources: FEATURE_RESOURCES.ingest,
          ports: [{ name: FEATURE_METRICS_PORT_NAME, number: FEATURE_METRICS_PORT }],
          liveness: metrics,
        }),
      ],
    });
    deployment.select(kplus.LabelSelector.of({ labels: pod.selector }));
    allowTraffic(ctx, {
      role,
      ingress: [metricsScrapeRule(ctx)],
      egress: [onlineStoreRule(ctx), ...uniqueRules([...registryRules(ctx), ...streamRules(stream)])],
    });
  }
}
