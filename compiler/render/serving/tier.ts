// One serving tier: its runtime config (ConfigMap), a Deployment whose pod runs the runtime
// with every model variant in-process, a Service, an autoscaler, a disruption budget, and the
// network allows the tier needs. In Argo Rollouts mode the Deployment only holds the pod
// template and a Rollout (rollout.ts) runs the pods.
//
// Why one Deployment per tier rather than per variant: sticky A/B assignment, shadow copies
// and an instant canary drain all need one process that sees each request and can send it to
// any variant. Separate Deployments would need a mesh to do the same, less exactly.
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { contentDigest } from '../../../core/canonical-json.js';
import type { RenderContext } from '../base/context.js';
import { ANNOTATION, type ObjectRole } from '../base/labels.js';
import { serviceAccount } from '../base/identity.js';
import { restrictPod, schedulePod, securePod } from '../base/workload.js';
import { servingContainers, RUNTIME_CONTAINER } from './pod.js';
import { HTTP_PORT_NAME } from '../base/serving-mode.js';
import { placeWorkload } from '../base/placement.js';
import { disruptionBudget, drainBeforeStop, spreadWorkload } from '../base/availability.js';
import { autoscaler, deploymentTarget } from './autoscaling.js';
import { renderRollout } from './rollout.js';
import { renderTierRouting } from './routing.js';
import {
  allowTraffic,
  approvedRules,
  identityRules,
  onlineStoreRule,
  type TrafficRule,
} from '../base/network-policy.js';
import { meshPodAnnotations } from '../base/mesh.js';
import { RUNTIME_PORT, SERVING_DRAIN_SECONDS, TERMINATION_GRACE_SECONDS, runtimeConfig } from './runtime-config.js';
import {
  releaseVariantName,
  runtimeSplit,
  singleRelease,
  type Release,
  type TrafficPlan,
} from '../base/traffic-split.js';
import { tierSeries, type ServingMode } from '../base/serving-mode.js';
import { toYaml } from '../base/yaml.js';
import type { RuntimeConfig } from '../../../runtime/contract/config.js';

export interface ServingTierProps {
  readonly tier: string;
  readonly mode: ServingMode;
}

interface ConfigFiles {
  /** ConfigMap key → config. */
  readonly files: Record<string, RuntimeConfig>;
  /** The file this template's pods run, and its traffic plan. */
  readonly active: string;
  readonly plan: TrafficPlan;
}

/**
 * Runtime split: one `runtime.yaml`. Argo Rollouts: one file per release, named by its digest,
 * for the new release and the stable one. Pods of the previous revision keep finding (and
 * hot-reloading) their file while the rollout runs, because the stable release is in the spec.
 */
function configFiles(ctx: RenderContext, tier: string, mode: ServingMode): ConfigFiles {
  const s = ctx.system;
  if (mode === 'runtime-split') {
    const plan = runtimeSplit(s, tier);
    return { files: { 'runtime.yaml': runtimeConfig(s, tier, plan) }, active: 'runtime.yaml', plan };
  }
  const fileOf = (r: Release) => `release-${r.artifact.sha256.slice(0, 12)}.yaml`;
  const fresh: Release = { version: s.spec.model.version, artifact: s.spec.model.artifact };
  const releases = [fresh, ...(s.spec.rollout?.stable ? [s.spec.rollout.stable] : [])];
  const files = Object.fromEntries(releases.map((r) => [fileOf(r), runtimeConfig(s, tier, singleRelease(r))]));
  return { files, active: fileOf(fresh), plan: singleRelease(fresh) };
}

/** One ingress rule for the namespaces of the spec's callers (policy cannot name service accounts). */
function callerRules(callers: readonly { readonly namespace: string }[]): TrafficRule[] {
  const namespaces = [...new Set(callers.map((c) => c.namespace))].sort();
  return namespaces.length
    ? [{ peers: namespaces.map((namespace) => ({ namespace })), ports: [{ port: RUNTIME_PORT }] }]
    : [];
}

export function renderServingTier(ctx: RenderContext, props: ServingTierProps): void {
  const s = ctx.system;
  const { tier, mode } = props;
  const spec = s.spec.serving.tiers[tier]!;
  const workload = ctx.names.tier(tier);
  const role: ObjectRole = { component: 'serving', workload, tier };

  const config = configFiles(ctx, tier, mode);
  const configMap = new kplus.ConfigMap(ctx.chart, `ConfigMap-${workload}`, {
    metadata: ctx.metadata(ctx.names.tierPart(tier, 'runtime'), role),
    data: Object.fromEntries(Object.entries(config.files).map(([file, c]) => [file, toYaml(c)])),
  });

  const account = serviceAccount(ctx, { role, cloudIdentity: true });
  const pod = securePod(ctx, {
    role,
    account,
    annotations: {
      'kubectl.kubernetes.io/default-container': RUNTIME_CONTAINER,
      // Init containers fetch the model files once per pod: new files need new pods.
      [ANNOTATION.modelsDigest]: contentDigest(config.plan.variants.map((v) => [v.name, v.uri, v.sha256])).slice(0, 16),
      ...meshPodAnnotations(ctx, { fetchesOverHttps: true }),
    },
  });
  const containers = servingContainers(ctx, {
    tier: spec,
    pod,
    configMap,
    configFile: config.active,
    variants: config.plan.variants,
    events: config.plan.traffic.strategy === 'abTest',
  });
  const deployment = new kplus.Deployment(ctx.chart, `Deployment-${workload}`, {
    ...pod.props,
    metadata: ctx.metadata(workload, role),
    ...containers,
    // The autoscaler owns the replica count; in Argo Rollouts mode this Deployment only lends
    // its template to the Rollout and runs no pods itself.
    ...(mode === 'argo-rollouts' ? { replicas: 0 } : {}),
    strategy: kplus.DeploymentStrategy.rollingUpdate({
      maxSurge: kplus.PercentOrAbsolute.percent(25),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
    }),
    terminationGracePeriod: Duration.seconds(TERMINATION_GRACE_SECONDS),
  });
  schedulePod(ctx, deployment, 'serving');
  restrictPod(deployment).select(kplus.LabelSelector.of({ labels: pod.selector }));
  spreadWorkload(deployment, pod.selector);
  drainBeforeStop(deployment, RUNTIME_CONTAINER, SERVING_DRAIN_SECONDS);
  const placement = s.placement.tiers[tier];
  if (placement) placeWorkload(deployment, RUNTIME_CONTAINER, placement);

  new kplus.Service(ctx.chart, `Service-${workload}`, {
    metadata: ctx.metadata(workload, role),
    selector: kplus.Pods.select(ctx.chart, `Service-${workload}-pods`, { labels: { ...pod.selector } }),
    ports: [{ name: HTTP_PORT_NAME, port: RUNTIME_PORT, targetPort: RUNTIME_PORT }],
  });

  const istio = renderTierRouting(ctx, { role, tier, selector: pod.selector, service: workload });
  const series = tierSeries(s, tier);
  const target =
    mode === 'argo-rollouts'
      ? renderRollout(ctx, {
          role,
          tier,
          spec,
          deployment,
          selector: pod.selector,
          service: workload,
          series,
          newRelease: { ...series, variants: [releaseVariantName(s.spec.model.version)] },
          ...(istio ? { istio } : {}),
        })
      : deploymentTarget(deployment);
  autoscaler(ctx, { role, tier: spec, target, series });
  disruptionBudget(ctx, { role, selector: pod.selector });

  const cluster = s.cluster;
  allowTraffic(ctx, {
    role,
    ingress: [
      {
        peers: [{ namespace: cluster.gateway.namespace, podLabels: cluster.gateway.podLabels }],
        ports: [{ port: RUNTIME_PORT }],
      },
      // Prometheus scrapes /metrics on the same port.
      { peers: [{ namespace: cluster.monitoring.namespace }], ports: [{ port: RUNTIME_PORT }] },
      // In-cluster callers the spec lists (with Istio, the authorization policy names their accounts).
      ...callerRules(s.spec.serving.callers ?? []),
    ],
    // The model fetchers' object storage (network policy applies per pod).
    egress: [onlineStoreRule(ctx), ...approvedRules(ctx, s.egress.models), ...identityRules(ctx)],
  });
}
