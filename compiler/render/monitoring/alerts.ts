// The system's alert rules: latency SLO and error rate per serving tier, data drift per tier,
// freshness per online feature view, failed training runs, and the runtime's own safety nets
// (a drained canary, a rejected config), and an aborted or degraded Argo Rollout. Each alert:
// summary, description and runbook_url
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
/** How far back a failed training run is remembered (Argo Workflows controller counters). */
const RUN_HISTORY = '7d';

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
      const labels = `namespace="${s.namespace}", system="${s.name}", view="${view}"`;
      const series = `${FEATURE_METRICS.lastEventTimestamp}{${labels}}`;
      return {
        alert: 'FeatureViewStale',
        // A view no writer reports on is as stale as one whose writer stopped.
        expr: `(time() - max(${series}) > ${freshness}) or absent(${series})`,
        for: '5m',
        severity: 'warning',
        summary: `${s.name}: feature view ${view} older than ${promDuration(freshness)}`,
        description:
          `The newest value of feature view ${view} in the online store is older than its freshness objective ` +
          `of ${promDuration(freshness)}, or no writer reports its freshness at all. Check the materialization job, ` +
          `the streaming ingestor and the feature server's freshness exporter.`,
        labels: { view },
      };
    });
}

/**
 * Time of the newest increment of a counter within `RUN_HISTORY` (a series that appears counts
 * as an increment: Argo creates its counters on their first use).
 */
function lastIncrease(counter: string): string {
  const changed = `(increase(${counter}[10m]) > 0) or (${counter} unless ${counter} offset 10m)`;
  return `max(max_over_time(timestamp(${changed})[${RUN_HISTORY}:5m]))`;
}

/** Start time of the newest driver Job (a run) with the given final condition. */
function lastJobStart(namespace: string, jobs: string, condition: 'kube_job_failed' | 'kube_job_complete'): string {
  const sel = `{namespace="${namespace}", job_name=~"${jobs}"}`;
  const selCondition = `{namespace="${namespace}", job_name=~"${jobs}", condition="true"}`;
  return (
    `max(kube_job_status_start_time${sel} * on (namespace, job_name) group_left () (${condition}${selCondition} ` +
    `== 1))`
  );
}

/**
 * The newest run failed: a failed run newer than the newest successful one. A step that failed
 * and then passed on a retry never fails its run, so it raises nothing; the alert clears when a
 * later run succeeds (or, with Argo, after `RUN_HISTORY`).
 */
function trainingAlerts(ctx: RenderContext): Alert[] {
  const s = ctx.system;
  const prefix = ctx.names.trainingPrefix;
  let failed: string;
  let succeeded: string;
  if (s.cluster.components.argoWorkflows) {
    // The Argo Workflows controller (3.6+) counts every Workflow of a template as it enters a phase.
    const counter = (phase: string) =>
      `argo_workflows_workflowtemplate_triggered_total{namespace="${s.namespace}", name="${prefix}", ` +
      `cluster_scope="false", phase=${phase}}`;
    failed = lastIncrease(counter('~"Failed|Error"'));
    succeeded = lastIncrease(counter('"Succeeded"'));
  } else {
    // kube-state-metrics: driver Jobs are the runs (Git-managed, scheduled, drift); step Jobs
    // retry inside themselves, and their driver fails with them.
    const drivers = `${prefix}-([0-9a-f]{8}|[0-9]+|drift-[a-z0-9]{5})`;
    failed = lastJobStart(s.namespace, drivers, 'kube_job_failed');
    succeeded = lastJobStart(s.namespace, drivers, 'kube_job_complete');
  }
  return [
    {
      alert: 'TrainingRunFailed',
      expr: `${failed} > (${succeeded} or ${failed} * 0)`,
      for: '1m',
      severity: 'warning',
      summary: `${s.name}: the latest training run failed`,
      description:
        `The latest training run of ${s.name} in ${s.environment} failed and no run has succeeded since; the ` +
        `serving model is unchanged. Check the failed step's logs.`,
    },
  ];
}

/** An aborted or degraded Rollout (Argo Rollouts controller metrics, old and new label sets). */
function rolloutAlerts(ctx: RenderContext): Alert[] {
  const s = ctx.system;
  if (servingMode(s) !== 'argo-rollouts') return [];
  const tiers = Object.keys(s.spec.serving.tiers)
    .sort()
    .map((t) => ctx.names.tier(t));
  const sel = `namespace="${s.namespace}", name=~"${tiers.join('|')}"`;
  return [
    {
      alert: 'ServingRolloutDegraded',
      expr:
        `max by (name) (rollout_phase{${sel}, phase=~"Abort|Error|Timeout|InvalidSpec"} == 1) ` +
        `or max by (name) (rollout_info{${sel}, phase="Degraded"})`,
      for: '1m',
      severity: 'warning',
      summary: `${s.name}: rollout {{ $labels.name }} aborted or degraded`,
      description:
        `Argo Rollouts aborted or could not progress the rollout of ${s.spec.model.name} ${s.spec.model.version} ` +
        `in ${s.environment} ({{ $labels.name }}): an analysis gate broke, or the new pods did not become ` +
        `ready. Traffic is back on the stable release; fix the model or the spec, or roll back.`,
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
    ['serving', [...servingAlerts(ctx), ...runtimeAlerts(ctx), ...rolloutAlerts(ctx)]],
    ['features', featureAlerts(ctx)],
    ['training', trainingAlerts(ctx)],
  ];
  return groups
    .filter(([, alerts]) => alerts.length > 0)
    .map(([name, alerts]) => ({ name: `${s.name}.${name}`, rules: alerts.map(rule) }));
}
