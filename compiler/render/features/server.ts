// The online feature server: `feast serve` (HTTP, port 6566) behind a Service, reachable from
// this system's serving pods only, plus the freshness exporter (freshness.py) as a second
// container of the same pod: it needs the same repository, registry and network, and its
// metric is the same whichever replica serves it (the alert takes the max).
//
// NetworkPolicies apply to both ends: the server's policy admits the serving tiers, and a
// second policy lets the serving pods out to the server (their own policy, rendered by the
// serving concept, only allows the online store and object storage).
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { RenderContext } from '../base/context.js';
import { LABEL, type ObjectRole } from '../base/labels.js';
import { serviceAccount } from '../base/identity.js';
import { securePod } from '../base/workload.js';
import { allowTraffic, onlineStoreRule } from '../base/network-policy.js';
import { FEAST_REPO_DIR } from './store-config.js';
import {
  featureContainer,
  repoVolume,
  FEATURE_REPO_DIGEST_ANNOTATION,
  FEATURE_METRICS_LABEL,
  FEATURE_METRICS_PORT,
  FEATURE_METRICS_PORT_NAME,
  FEATURE_RESOURCES,
  type FeatureRepo,
} from './pod.js';
import { metricsScrapeRule, registryRules } from './network.js';

export const FEATURE_SERVER_PORT = 6566;
export const FEATURE_SERVER_REPLICAS = 2;

export function featureServerName(ctx: RenderContext): string {
  return ctx.names.part('feature-server');
}

export function renderFeatureServer(ctx: RenderContext, repo: FeatureRepo): void {
  const s = ctx.system;
  const name = featureServerName(ctx);
  const role: ObjectRole = { component: 'features', workload: name };
  const account = serviceAccount(ctx, { role });
  const pod = securePod(ctx, {
    role,
    account,
    annotations: {
      'kubectl.kubernetes.io/default-container': 'feature-server',
      [FEATURE_REPO_DIGEST_ANNOTATION]: repo.startupDigest,
    },
  });
  pod.props.podMetadata.labels[FEATURE_METRICS_LABEL] = 'true';
  const volume = repoVolume(ctx, repo, name);
  const health = (failureThreshold: number) =>
    kplus.Probe.fromHttpGet('/health', {
      port: FEATURE_SERVER_PORT,
      periodSeconds: Duration.seconds(10),
      timeoutSeconds: Duration.seconds(2),
      failureThreshold,
    });

  const deployment = new kplus.Deployment(ctx.chart, `Deployment-${name}`, {
    ...pod.props,
    metadata: ctx.metadata(name, role),
    replicas: FEATURE_SERVER_REPLICAS,
    strategy: kplus.DeploymentStrategy.rollingUpdate({
      maxSurge: kplus.PercentOrAbsolute.absolute(1),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
    }),
    containers: [
      featureContainer(ctx, volume, pod, {
        name: 'feature-server',
        command: [
          'feast',
          '--chdir',
          FEAST_REPO_DIR,
          'serve',
          '--host',
          '0.0.0.0',
          '--port',
          String(FEATURE_SERVER_PORT),
          '--no-access-log',
        ],
        resources: FEATURE_RESOURCES.server,
        ports: [{ name: 'http', number: FEATURE_SERVER_PORT }],
        // /health answers 200 once the registry has been read.
        readiness: health(3),
        liveness: health(6),
        startup: health(30),
      }),
      featureContainer(ctx, volume, pod, {
        name: 'freshness',
        command: ['python', `${FEAST_REPO_DIR}/freshness.py`],
        resources: FEATURE_RESOURCES.freshness,
        ports: [{ name: FEATURE_METRICS_PORT_NAME, number: FEATURE_METRICS_PORT }],
      }),
    ],
  });
  deployment.select(kplus.LabelSelector.of({ labels: pod.selector }));

  new kplus.Service(ctx.chart, `Service-${name}`, {
    metadata: ctx.metadata(name, role),
    selector: kplus.Pods.select(ctx.chart, `Service-${name}-pods`, { labels: { ...pod.selector } }),
    ports: [{ name: 'http', port: FEATURE_SERVER_PORT, targetPort: FEATURE_SERVER_PORT }],
  });

  const tiers = Object.keys(s.spec.serving.tiers).sort();
  allowTraffic(ctx, {
    role,
    ingress: [
      ...(tiers.length
        ? [{ peers: tiers.map((t) => ({ workload: ctx.names.tier(t) })), ports: [{ port: FEATURE_SERVER_PORT }] }]
        : []),
      metricsScrapeRule(ctx),
    ],
    egress: [onlineStoreRule(ctx), ...registryRules(ctx)],
  });
  allowTraffic(ctx, {
    role,
    name: ctx.names.part('serving-to-feature-server'),
    podLabels: { [LABEL.system]: s.name, [LABEL.mlComponent]: 'serving' },
    egress: [{ peers: [{ workload: name }], ports: [{ port: FEATURE_SERVER_PORT }] }],
  });
}
