// Argo Rollouts mode (canary and blue-green, when the cluster profile has Argo Rollouts): a
// Rollout per tier moves traffic between pod revisions, and an AnalysisTemplate checks the
// analysis gates with Prometheus, rolling back on a breach.
//
// The Rollout references the tier's Deployment (`workloadRef`) for its pod template, so pods
// are built by the same typed code in both modes; that Deployment is kept at 0 replicas.
// Each revision serves one release (see traffic-split.ts), whose metrics carry the release's
// variant name (`v3-2-0`): the gates query exactly the new release's requests.
//
// With Istio, Argo sets the canary weights in the tier's VirtualService (routing.ts), so they are
// exact; a shadow is a canary that gets no live traffic: Argo scales it to the mirrored share
// and adds a mirror route, then holds (a shadow is compared, never promoted by itself). Without
// a traffic router, canary weights are reached by replica counts (Argo's basic canary), so a
// small tier moves in coarse steps (resolve warns); the runtime split is exact.
import * as kplus from 'cdk8s-plus-28';
import type { ServingTier } from '../../schema/serving.js';
import { promDuration } from '../../schema/duration.js';
import { durationSeconds } from '../../schema/duration.js';
import type { RenderContext } from '../base/context.js';
import { customResource } from '../base/custom-resource.js';
import type { ObjectRole } from '../base/labels.js';
import type { ScaleTarget } from './autoscaling.js';
import { errorRatio, maxDriftPsi, p99Latency, whenEnoughTraffic, type SeriesSelector } from '../base/promql.js';
import { gatesFor } from '../base/traffic-split.js';
import { HTTP_PORT_NAME } from '../base/serving-mode.js';
import { RUNTIME_PORT } from './runtime-config.js';
import { CANARY_SUBSET, MIRROR_ROUTE, RELEASE_ROLE_LABEL, STABLE_SUBSET, type IstioRouting } from './routing.js';

export const ROLLOUT_API = 'argoproj.io/v1alpha1';

export interface RolloutProps {
  readonly role: ObjectRole;
  readonly tier: string;
  readonly spec: ServingTier;
  /** The 0-replica Deployment holding the pod template. */
  readonly deployment: kplus.Deployment;
  readonly selector: Readonly<Record<string, string>>;
  /** The tier's Service (the active one for blue-green). */
  readonly service: string;
  /** Metrics of the tier, and of the new release (by variant). */
  readonly series: SeriesSelector;
  readonly newRelease: SeriesSelector;
  /** The tier's Istio objects, when Istio divides its traffic. */
  readonly istio?: IstioRouting;
}

interface GateMetric {
  readonly name: string;
  readonly successCondition: string;
  readonly query: string;
}

function gateMetrics(ctx: RenderContext, props: RolloutProps): GateMetric[] {
  const g = gatesFor(ctx.system, props.tier);
  const window = promDuration(g.windowSeconds);
  const fresh = props.newRelease;
  const metrics: GateMetric[] = [
    {
      name: 'error-rate',
      successCondition: `result[0] <= ${g.maxErrorRate}`,
      query: whenEnoughTraffic(errorRatio(fresh, window), fresh, window, g.minRequests),
    },
    {
      name: 'p99-latency',
      successCondition: `result[0] <= ${g.maxP99LatencySeconds}`,
      query: whenEnoughTraffic(p99Latency(fresh, window), fresh, window, g.minRequests),
    },
  ];
  // Drift is a property of the input data, which every revision of the tier sees alike.
  if (g.maxDriftScore !== undefined)
    metrics.push({
      name: 'drift',
      successCondition: `result[0] <= ${g.maxDriftScore}`,
      query: `(${maxDriftPsi(props.series)}) or on() vector(0)`,
    });
  return metrics;
}

function analysisTemplate(ctx: RenderContext, props: RolloutProps, blueGreen: boolean): string {
  const g = gatesFor(ctx.system, props.tier);
  const name = ctx.names.tierPart(props.tier, 'gates');
  const address = ctx.system.cluster.monitoring.prometheusUrl;
  // Blue-green promotion waits for the analysis to finish: measure for one window. A canary's
  // background analysis runs until the rollout completes.
  const count = blueGreen ? { count: Math.max(1, Math.ceil(g.windowSeconds / g.intervalSeconds)) } : {};
  customResource(ctx, {
    apiVersion: ROLLOUT_API,
    kind: 'AnalysisTemplate',
    name,
    role: props.role,
    body: {
      spec: {
        metrics: gateMetrics(ctx, props).map((m) => ({
          name: m.name,
          interval: promDuration(g.intervalSeconds),
          ...count,
          // Gates are hard limits: the first breach rolls back.
          failureLimit: 0,
          successCondition: m.successCondition,
          provider: { prometheus: { address, query: m.query } },
        })),
      },
    },
  });
  return name;
}

function trafficRouting(routing: IstioRouting, mirror: boolean): Record<string, unknown> {
  return {
    trafficRouting: {
      ...(mirror ? { managedRoutes: [{ name: MIRROR_ROUTE }] } : {}),
      istio: {
        virtualService: { name: routing.virtualService, routes: [...routing.routes] },
        destinationRule: {
          name: routing.destinationRule,
          stableSubsetName: STABLE_SUBSET,
          canarySubsetName: CANARY_SUBSET,
        },
      },
    },
    // Kept on the pods and moved on promotion: the `-stable` Service selects by it.
    stableMetadata: { labels: { [RELEASE_ROLE_LABEL]: STABLE_SUBSET } },
    canaryMetadata: { labels: { [RELEASE_ROLE_LABEL]: CANARY_SUBSET } },
  };
}

/** The shadow's steps: canary pods for the mirrored share, the mirror route, then hold. */
function shadowSteps(ctx: RenderContext): Record<string, unknown>[] {
  const percent = ctx.system.spec.rollout?.shadow?.percent ?? 100;
  return [
    { setCanaryScale: { weight: percent } },
    // Every request (resolve refuses a gateway path prefix here: Argo's mirror route rewrites none).
    { setMirrorRoute: { name: MIRROR_ROUTE, percentage: percent, match: [{ path: { prefix: '/' } }] } },
    // A shadow answers no one: it is compared until the spec moves on (a canary, or a new model).
    { pause: {} },
  ];
}

function canaryStrategy(ctx: RenderContext, props: RolloutProps, template: string): Record<string, unknown> {
  const shadow = ctx.system.spec.rollout?.strategy === 'shadow';
  const steps = shadow
    ? shadowSteps(ctx)
    : (ctx.system.spec.rollout?.canary?.steps ?? []).flatMap((s) => {
        const pause = durationSeconds(s.pause);
        return [{ setWeight: s.weight }, ...(pause > 0 ? [{ pause: { duration: promDuration(pause) } }] : [])];
      });
  return {
    canary: {
      steps,
      analysis: { templates: [{ templateName: template }] },
      ...(props.istio ? trafficRouting(props.istio, shadow) : {}),
    },
  };
}

function blueGreenStrategy(ctx: RenderContext, props: RolloutProps, template: string): Record<string, unknown> {
  const bg = ctx.system.spec.rollout!.blueGreen!;
  const preview = ctx.names.tierPart(props.tier, 'preview');
  // Its own component, so the ServiceMonitor (which selects `serving`) does not scrape the
  // same pods twice.
  const role: ObjectRole = { ...props.role, component: 'serving-preview', workload: preview };
  new kplus.Service(ctx.chart, `Service-${preview}`, {
    metadata: ctx.metadata(preview, role),
    selector: kplus.Pods.select(ctx.chart, `Service-${preview}-pods`, { labels: { ...props.selector } }),
    ports: [{ name: HTTP_PORT_NAME, port: RUNTIME_PORT, targetPort: RUNTIME_PORT }],
  });
  return {
    blueGreen: {
      activeService: props.service,
      previewService: preview,
      autoPromotionEnabled: bg.autoPromote,
      scaleDownDelaySeconds: durationSeconds(bg.scaleDownDelay),
      // After the switch the gates watch live traffic. The old revision stays up until the
      // analysis has passed (then for scaleDownDelaySeconds), so a breach switches straight back.
      postPromotionAnalysis: { templates: [{ templateName: template }] },
    },
  };
}

export function renderRollout(ctx: RenderContext, props: RolloutProps): ScaleTarget {
  const strategy = ctx.system.spec.rollout!.strategy;
  const template = analysisTemplate(ctx, props, strategy === 'blueGreen');
  const name = props.role.workload;
  customResource(ctx, {
    apiVersion: ROLLOUT_API,
    kind: 'Rollout',
    name,
    role: props.role,
    body: {
      spec: {
        // No replica count: the autoscaler owns it.
        revisionHistoryLimit: 3,
        selector: { matchLabels: { ...props.selector } },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.deployment.name, scaleDown: 'never' },
        strategy:
          strategy === 'blueGreen' ? blueGreenStrategy(ctx, props, template) : canaryStrategy(ctx, props, template),
      },
    },
  });
  let autoscaled = false;
  const scalable: kplus.IScalable = {
    get hasAutoscaler() {
      return autoscaled;
    },
    markHasAutoscaler: () => {
      autoscaled = true;
    },
    toScalingTarget: () => ({
      apiVersion: ROLLOUT_API,
      kind: 'Rollout',
      name,
      containers: props.deployment.containers,
    }),
  };
  return { apiVersion: ROLLOUT_API, kind: 'Rollout', name, scalable };
}
