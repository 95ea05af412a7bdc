// The alert rules run in Prometheus's own rule engine (`promtool test rules`) against series
// shaped like the exporters': a failed training run alerts and clears once a later run
// succeeds; a feature view whose freshness metric is missing is stale; an aborted or degraded
// Rollout alerts. Skipped only where promtool is not installed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { tempDir } from '../helpers/cli.js';
import { renderedExamples } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';

const PROMTOOL = spawnSync('promtool', ['--version']).status === 0;

const rulesOf = (set: ManifestSet) =>
  (set.objects.find((o) => o.kind === 'PrometheusRule') as Json).spec.groups as Json[];
const rule = (set: ManifestSet, alert: string, label?: [string, string]) =>
  rulesOf(set)
    .flatMap((g) => g.rules as Json[])
    .find((r) => r.alert === alert && (!label || r.labels[label[0]] === label[1]))!;

/** Runs `promtool test rules`; returns its output when a test fails, '' when all pass. */
function promtoolTest(set: ManifestSet, tests: Json[]): string {
  const { dir, cleanup } = tempDir();
  try {
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: rulesOf(set) }));
    writeFileSync(join(dir, 'test.yaml'), stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }));
    const r = spawnSync('promtool', ['test', 'rules', 'test.yaml'], { cwd: dir, encoding: 'utf8' });
    return r.status === 0 ? '' : `${r.stdout}${r.stderr}`;
  } finally {
    cleanup();
  }
}

async function example(env: string, system: string): Promise<ManifestSet> {
  return (await renderedExamples()).find((r) => r.set.environment === env && r.set.system === system)!.set;
}

/** What promtool expects of a firing alert: the rule's labels (plus the series'), its annotations. */
const firing = (r: Json, extra: Record<string, string> = {}, annotations: Json = r.annotations) => ({
  exp_labels: { ...extra, ...r.labels },
  exp_annotations: annotations,
});

describe.skipIf(!PROMTOOL)('alert rules in promtool', () => {
  it('Argo Workflows: a failed run alerts until a later run succeeds; a retried step alerts never', async () => {
    const set = await example('prod', 'card-fraud');
    const counter = (phase: string) =>
      `argo_workflows_workflowtemplate_triggered_total{namespace="fraud-prod", name="card-fraud-train", ` +
      `cluster_scope="false", phase="${phase}"}`;
    const failed = rule(set, 'TrainingRunFailed');
    expect(
      promtoolTest(set, [
        {
          interval: '1m',
          input_series: [
            // A run fails 10 minutes in; the next one succeeds three hours in.
            { series: counter('Failed'), values: '_x10 1x400' },
            { series: counter('Succeeded'), values: '_x180 1x230' },
          ],
          alert_rule_test: [
            { eval_time: '5m', alertname: 'TrainingRunFailed', exp_alerts: [] },
            { eval_time: '60m', alertname: 'TrainingRunFailed', exp_alerts: [firing(failed)] },
            { eval_time: '200m', alertname: 'TrainingRunFailed', exp_alerts: [] },
          ],
        },
        {
          interval: '1m',
          // A step failed and passed on its retry: the Workflow succeeded, no Failed counter moves.
          input_series: [{ series: counter('Succeeded'), values: '_x30 1x100' }],
          alert_rule_test: [{ eval_time: '60m', alertname: 'TrainingRunFailed', exp_alerts: [] }],
        },
      ]),
    ).toBe('');
  });

  it('Jobs: the newest driver Job decides; a later complete run clears the alert', async () => {
    const set = await example('dev', 'card-fraud');
    const job = (name: string, metric: string, extra = '') =>
      `${metric}{namespace="fraud-dev", job_name="${name}"${extra}}`;
    expect(
      promtoolTest(set, [
        {
          interval: '1m',
          input_series: [
            { series: job('card-fraud-train-3f0b3152', 'kube_job_status_start_time'), values: '600x300' },
            { series: job('card-fraud-train-3f0b3152', 'kube_job_failed', ', condition="true"'), values: '0x20 1x280' },
            { series: job('card-fraud-train-5b198bc0', 'kube_job_status_start_time'), values: '_x100 6000x200' },
            {
              series: job('card-fraud-train-5b198bc0', 'kube_job_complete', ', condition="true"'),
              values: '_x100 0x20 1x180',
            },
          ],
          alert_rule_test: [
            { eval_time: '60m', alertname: 'TrainingRunFailed', exp_alerts: [firing(rule(set, 'TrainingRunFailed'))] },
            { eval_time: '150m', alertname: 'TrainingRunFailed', exp_alerts: [] },
          ],
        },
      ]),
    ).toBe('');
  });

  it('a feature view with no freshness series is stale; a fresh one is not', async () => {
    const set = await example('prod', 'card-fraud');
    const stale = rule(set, 'FeatureViewStale', ['view', 'merchant_risk']);
    expect(
      promtoolTest(set, [
        {
          interval: '1m',
          input_series: [
            {
              series:
                'mlspec_feature_view_last_event_timestamp_seconds{namespace="fraud-prod", system="card-fraud", ' +
                'view="card_txn_stats"}',
              // The newest event is always now.
              values: '0+60x60',
            },
          ],
          alert_rule_test: [
            {
              eval_time: '30m',
              alertname: 'FeatureViewStale',
              // absent() keeps the selector's equality labels.
              exp_alerts: [firing(stale, { namespace: 'fraud-prod' })],
            },
          ],
        },
      ]),
    ).toBe('');
  });

  it('a degraded or aborted Rollout alerts, per Rollout', async () => {
    const set = await example('prod', 'card-fraud');
    const degraded = rule(set, 'ServingRolloutDegraded');
    expect(
      promtoolTest(set, [
        {
          interval: '1m',
          input_series: [
            {
              series:
                'rollout_info{namespace="fraud-prod", name="card-fraud-standard", strategy="canary", phase="Degraded"}',
              values: '1x30',
            },
            {
              series:
                'rollout_info{namespace="fraud-prod", name="card-fraud-enterprise", strategy="canary", ' +
                'phase="Healthy"}',
              values: '1x30',
            },
          ],
          alert_rule_test: [
            {
              eval_time: '10m',
              alertname: 'ServingRolloutDegraded',
              exp_alerts: [
                firing(
                  degraded,
                  { name: 'card-fraud-standard' },
                  {
                    ...degraded.annotations,
                    summary: 'card-fraud: rollout card-fraud-standard aborted or degraded',
                    description: degraded.annotations.description.replace('{{ $labels.name }}', 'card-fraud-standard'),
                  },
                ),
              ],
            },
          ],
        },
      ]),
    ).toBe('');
  });
});
