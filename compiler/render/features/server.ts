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
import { restrictPod, schedulePod, securePod } from '../base/workload.js';
import { disruptionBudget, drainBeforeStop, spreadWorkload } from '../base/availability.js';
import { allowTraffic, identityRules, onlineStoreRule } from '../base/network-policy.js';
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
import { FEATURE_SERVER_PORT, featureRetrievalPlan } from '../base/feature-retrieval.js';

export { FEATURE_SERVER_PORT };
export const FEATURE_SERVER_REPLICAS = 2;
/** Endpoints drop a stopping replica before it stops answering (see drainBeforeStop). */
export const FEATURE_SERVER_DRAIN_SECONDS = 5;

export function featureServerName(ctx: RenderContext): string {
  return ctx.names.part('feature-server');
}

export function renderFeatureServer(ctx: RenderContext, repo: FeatureRepo): void {
  const s = ctx.system;
  const name = featureServerName(ctx);
  const role: ObjectRole = { component: 'features', workload: name };
  const account = serviceAccount(ctx, { role, cloudIdentity: true });
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
    terminationGracePeriod: Duration.seconds(FEATURE_SERVER_DRAIN_SECONDS + 30),
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
  schedulePod(ctx, deployment, 'features');
  restrictPod(deployment).select(kplus.LabelSelector.of({ labels: pod.selector }));
  spreadWorkload(deployment, pod.selector);
  drainBeforeStop(deployment, 'feature-server', FEATURE_SERVER_DRAIN_SECONDS);
  disruptionBudget(ctx, { role, selector: pod.selector });

  new kplus.Service(ctx.chart, `Service-${name}`, {
    metadata: ctx.metadata(name, role),
    selector: kplus.Pods.select(ctx.chart, `Service-${name}-pods`, { labels: { ...pod.selector } }),
    ports: [{ name: 'http', port: FEATURE_SERVER_PORT, targetPort: FEATURE_SERVER_PORT }],
  });

  // Exactly the tiers that retrieve features online (none when callers send every input).
  const tiers = Object.keys(s.spec.serving.tiers)
    .sort()
    .filter((t) => featureRetrievalPlan(s, t) !== undefined);
  allowTraffic(ctx, {
    role,
    ingress: [
      ...(tiers.length
        ? [{ peers: tiers.map((t) => ({ workload: ctx.names.tier(t) })), ports: [{ port: FEATURE_SERVER_PORT }] }]
        : []),
      metricsScrapeRule(ctx),
    ],
    egress: [onlineStoreRule(ctx), ...identityRules(ctx), ...registryRules(ctx)],
  });
  for (const tier of tiers) {
    allowTraffic(ctx, {
      role: { component: 'serving', workload: ctx.names.tier(tier), tier },
      name: ctx.names.tierPart(tier, 'to-feature-server'),
      podLabels: { [LABEL.system]: s.name, [LABEL.name]: ctx.names.tier(tier) },
      egress: [{ peers: [{ workload: name }], ports: [{ port: FEATURE_SERVER_PORT }] }],
    });
  }
}
