// Scaling a serving tier between its replica bounds. CPU targets use a HorizontalPodAutoscaler.
// Request-based targets (requests per second, requests in flight) need the runtime's metrics:
// with KEDA in the cluster profile they become a ScaledObject with a Prometheus trigger;
// without it the tier falls back to an HPA on CPU, and says so in an annotation.
import * as kplus from 'cdk8s-plus-28';
import type { ServingTier } from '../../schema/serving.js';
import type { RenderContext } from '../base/context.js';
import { customResource } from '../base/custom-resource.js';
import type { ObjectRole } from '../base/labels.js';
import { inflightRequests, requestRate, type SeriesSelector } from '../base/promql.js';
import { SCRAPE_INTERVAL } from '../base/service-monitor.js';
import { durationSeconds, promDuration } from '../../schema/duration.js';

/** CPU utilisation target when a request-based target cannot be honoured. */
export const FALLBACK_CPU_PERCENT = 70;
export const AUTOSCALING_NOTE = 'mlspec.io/autoscaling-note';
/**
 * Four scrapes: a rate needs two samples, and one lost scrape must not leave it empty (a `1m`
 * window over a 30 s scrape holds two samples at best).
 */
export const RATE_WINDOW = promDuration(4 * durationSeconds(SCRAPE_INTERVAL));
/** Failed Prometheus queries in a row before KEDA holds the fallback replica count. */
const FALLBACK_FAILURES = 3;

/** What is scaled: a cdk8s-plus Deployment, or an adapter for a custom workload (a Rollout). */
export interface ScaleTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Marks the target as autoscaled (so it renders no fixed replica count) and feeds the HPA. */
  readonly scalable: kplus.IScalable;
}

export interface AutoscalerProps {
  readonly role: ObjectRole;
  readonly tier: ServingTier;
  readonly target: ScaleTarget;
  readonly series: SeriesSelector;
}

function hpa(ctx: RenderContext, props: AutoscalerProps, percent: number, note?: string): void {
  const metadata = ctx.metadata(props.role.workload, props.role);
  new kplus.HorizontalPodAutoscaler(ctx.chart, `HorizontalPodAutoscaler-${props.role.workload}`, {
    metadata: note ? { ...metadata, annotations: { [AUTOSCALING_NOTE]: note } } : metadata,
    target: props.target.scalable,
    minReplicas: props.tier.replicas.min,
    maxReplicas: props.tier.replicas.max,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(percent))],
  });
}

function scaledObject(ctx: RenderContext, props: AutoscalerProps, query: string): void {
  props.target.scalable.markHasAutoscaler();
  customResource(ctx, {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    name: props.role.workload,
    role: props.role,
    body: {
      spec: {
        scaleTargetRef: { apiVersion: props.target.apiVersion, kind: props.target.kind, name: props.target.name },
        minReplicaCount: props.tier.replicas.min,
        maxReplicaCount: props.tier.replicas.max,
        pollingInterval: 15,
        cooldownPeriod: 300,
        // Blind (Prometheus unreachable), the tier keeps its full size rather than shrinking.
        fallback: { failureThreshold: FALLBACK_FAILURES, replicas: props.tier.replicas.max },
        triggers: [
          {
            type: 'prometheus',
            // AverageValue: KEDA divides the tier-wide value by the replica count, so the
            // threshold is the spec's per-pod target.
            metricType: 'AverageValue',
            metadata: {
              serverAddress: ctx.system.cluster.monitoring.prometheusUrl,
              query,
              threshold: String(props.tier.autoscaling.target),
            },
          },
        ],
      },
    },
  });
}

export function autoscaler(ctx: RenderContext, props: AutoscalerProps): void {
  const { metric, target } = props.tier.autoscaling;
  if (metric === 'cpu') return hpa(ctx, props, target);
  if (!ctx.system.cluster.components.keda) {
    return hpa(
      ctx,
      props,
      FALLBACK_CPU_PERCENT,
      `${metric} scaling needs KEDA, which cluster profile ${ctx.system.cluster.name} does not have; scaling ` +
        `on CPU at ${FALLBACK_CPU_PERCENT}% instead`,
    );
  }
  const query =
    metric === 'requestsPerSecond'
      ? requestRate(props.series, RATE_WINDOW)
      : inflightRequests(props.series, RATE_WINDOW);
  scaledObject(ctx, props, query);
}

/** A cdk8s-plus Deployment as a scale target. */
export function deploymentTarget(deployment: kplus.Deployment): ScaleTarget {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name, scalable: deployment };
}
