// The system's alert rules: latency SLO and error rate per serving tier, data drift per tier,
// freshness per online feature view, failed training runs, and the runtime's own safety nets
// (a drained canary, a rejected config). Each alert: summary, description and runbook_url
// annotations; `severity` and the receiver from `monitoring.alerts` as routing labels.
import { METRICS } from '../../../runtime/contract/metric-names.js';
import { durationSeconds, promDuration } from '../../schema/duration.js';
import type { RenderContext } from '../base/context.js';
import { FEATURE_METRICS } from '../base/feature-metrics.js';
import { datasetDrift, errorRatio, p99Latency } from '../base/promql.js';
import { servingMode, tierSeries } from '../base/serving-mode.js';

export type Severity = 'critical' | 'warning';

interface Alert {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly description: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertGroup {
  readonly name: string;
  readonly rules: readonly Record<string, unknown>[];
}

const SLO_WINDOW = '5m';

export function runbookUrl(base: string, alert: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}${alert}`;
}

function servingAlerts(ctx: RenderContext): Alert[] {
  const s = ctx.system;
  const slos = s.spec.monitoring.slos;
  return Object.keys(s.spec.serving.tiers)
    .sort()
    .flatMap((tier): Alert[] => {
      const series = tierSeries(s, tier);
      const p99 = durationSeconds(s.spec.serving.tiers[tier]!.latencySlo.p99);
      const labels = { tier };
      return [
        {
          alert: 'ServingLatencySLOBreached',
          expr: `${p99Latency(series, SLO_WINDOW)} > ${p99}`,
          for: '10m',
          severity: 'critical',
          summary: `${s.name} tier ${tier}: p99 latency above ${promDuration(p99)}`,
          description:
            `p99 latency of ${s.name} (${s.environment}, tier ${tier}) is {{ $value | humanizeDuration }} over ` +
            `${SLO_WINDOW}; the objective is ${promDuration(p99)}.`,
          labels,
        },
        {
          alert: 'ServingErrorRateHigh',
          expr: `${errorRatio(series, SLO_WINDOW)} > ${slos.errorRate}`,
          for: '5m',
          severity: 'critical',
          summary: `${s.name} tier ${tier}: error rate above ${slos.errorRate * 100}%`,
          description:
            `{{ $value | humanizePercentage }} of requests to ${s.name} (${s.environment}, tier ${tier}) failed ` +
            `over ${SLO_WINDOW}; the objective is at most ${slos.errorRate * 100}%.`,
          labels,
        },
        {
          alert: 'ModelInputDrift',
          expr: `${datasetDrift(series)} == 1`,
          for: '15m',
          severity: 'warning',
          summary: `${s.name} tier ${tier}: input data drifted from the training baseline`,
          description:
            `The runtime flagged dataset drift for ${s.spec.model.name} in ${s.environment} (tier ${tier}): ` +
            `per-feature PSI and ${s.spec.monitoring.drift.correction}-corrected tests over ` +
            `${s.spec.monitoring.drift.window}. See ${METRICS.driftPsi} by feature.`,
          labels,
        },
      ];
    });
}

function featureAlerts(ctx: RenderContext): Alert[] {
  const s = ctx.system;
  return Object.keys(s.spec.features.views)
    .sort()
    .filter((view) => s.spec.features.views[view]!.online)
    .map((view) => {
      const freshness = durationSeconds(s.spec.features.views[view]!.freshness);
      return {
        alert: 'FeatureViewStale',
        expr:
          `time() - max(${FEATURE_METRICS.lastEventTimestamp}{namespace="${s.namespace}", system="${s.name}", ` +
          `view="${view}"}) > ${freshness}`,
        for: '5m',
        severity: 'warning',
        summary: `${s.name}: feature view ${view} older than ${promDuration(freshness)}`,
        description:
          `The newest value of feature view ${view} in the online store is {{ $value | humanizeDuration }} old; ` +
          `the freshness objective is ${promDuration(freshness)}. Check the materialization job and the ` +
          `streaming ingestor.`,
        labels: { view },
      };
    });
}

function trainingAlerts(ctx: RenderContext): Alert[] {
  const s = ctx.system;
  const prefix = ctx.names.trainingPrefix;
  // kube-state-metrics: with Argo Workflows a failed step pod; with Jobs a Job that gave up.
  const expr = s.cluster.components.argoWorkflows
    ? `max by (pod) (kube_pod_status_phase{namespace="${s.namespace}", pod=~"${prefix}-.*", phase="Failed"}) > 0`
    : `max by (job_name) (kube_job_failed{namespace="${s.namespace}", job_name=~"${prefix}-.*", condition="true"}) > 0`;
  return [
    {
      alert: 'TrainingRunFailed',
      expr,
      for: '0m',
      severity: 'warning',
      summary: `${s.name}: a training run failed`,
      description:
        `A training run of ${s.name} in ${s.environment} failed ({{ $labels.pod }}{{ $labels.job_name }}); the ` +
        `serving model is unchanged. Check the step logs.`,
    },
  ];
}

function runtimeAlerts(ctx: RenderContext): Alert[] {
  const s = ctx.system;
  const tiers = Object.keys(s.spec.serving.tiers).sort();
  const sel = `{namespace="${s.namespace}", service=~"${tiers.map((t) => tierSeries(s, t).service).join('|')}"}`;
  const alerts: Alert[] = [
    {
      alert: 'RuntimeConfigRejected',
      expr: `min by (pod) (${METRICS.configReloadOk}${sel}) == 0`,
      for: '5m',
      severity: 'warning',
      summary: `${s.name}: the serving runtime rejected its new config`,
      description:
        `Pod {{ $labels.pod }} keeps serving its previous config because the new one is invalid or a model ` +
        `failed to load; see the pod's log.`,
    },
  ];
  if (s.spec.rollout?.strategy === 'canary' && servingMode(s) === 'runtime-split') {
    alerts.push({
      alert: 'CanaryDrained',
      expr: `sum by (service) (increase(${METRICS.canaryDrains}${sel}[10m])) > 0`,
      for: '0m',
      severity: 'warning',
      summary: `${s.name}: canary ${s.spec.model.version} was drained`,
      description:
        `The runtime moved the canary's traffic back to the stable release after an analysis gate broke. Fix or ` +
        `roll back the model in the spec.`,
    });
  }
  return alerts;
}

export function alertGroups(ctx: RenderContext): AlertGroup[] {
  const s = ctx.system;
  const routing = s.spec.monitoring.alerts;
  const rule = (a: Alert) => ({
    alert: a.alert,
    expr: a.expr,
    for: a.for,
    labels: {
      severity: a.severity,
      receiver: routing[a.severity],
      system: s.name,
      team: s.team,
      environment: s.environment,
      ...(a.labels ?? {}),
    },
    annotations: {
      summary: a.summary,
      description: a.description,
      runbook_url: runbookUrl(routing.runbookBaseUrl, a.alert),
    },
  });
  const groups: [string, Alert[]][] = [
    ['serving', [...servingAlerts(ctx), ...runtimeAlerts(ctx)]],
    ['features', featureAlerts(ctx)],
    ['training', trainingAlerts(ctx)],
  ];
  return groups
    .filter(([, alerts]) => alerts.length > 0)
    .map(([name, alerts]) => ({ name: `${s.name}.${name}`, rules: alerts.map(rule) }));
}
