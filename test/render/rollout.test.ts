// Argo Rollouts mode (canary and blue-green on a cluster with Argo Rollouts): a Rollout per
// tier taking its pod template from the tier's Deployment, the spec's steps, and an
// AnalysisTemplate whose Prometheus queries are the analysis gates. A/B, shadow without Istio,
// and clusters without Argo Rollouts use the runtime's split and plain Deployments.
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../runtime/contract/metric-names.js';
import type { K8sObject, ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { renderSystem } from '../../compiler/render/system.js';
import { exampleSystems, renderedExamples, variantSystems } from './helpers/examples.js';
import { servingMode } from '../../compiler/render/base/serving-mode.js';
import type { Json } from './helpers/pods.js';

const find = (set: ManifestSet, kind: string, name: string) => {
  const o = set.objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o)
    throw new Error(
      `no ${kind}/${name} in ${set.environment}/${set.system}: ` +
        `${set.objects.map((x) => `${x.kind}/${x.metadata.name}`)}`,
    );
  return o as Json;
};
const kinds = (set: ManifestSet) => new Set(set.objects.map((o: K8sObject) => o.kind));

describe('rollout', () => {
  it('canary on Argo Rollouts: Rollout with the spec steps over the 0-replica Deployment', async () => {
    const set = (await renderedExamples()).find(
      (r) => r.set.environment === 'prod' && r.set.system === 'card-fraud',
    )!.set;
    const rollout = find(set, 'Rollout', 'card-fraud-standard');
    expect(rollout.spec.workloadRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'card-fraud-standard',
      scaleDown: 'never',
    });
    expect(rollout.spec.replicas).toBeUndefined();
    expect(rollout.spec.selector.matchLabels).toEqual(
      find(set, 'Deployment', 'card-fraud-standard').spec.selector.matchLabels,
    );
    expect(rollout.spec.strategy.canary.steps).toEqual([
      { setWeight: 5 },
      { pause: { duration: '30m' } },
      { setWeight: 25 },
      { pause: { duration: '1h' } },
      { setWeight: 50 },
      { pause: { duration: '2h' } },
      { setWeight: 100 },
    ]);
    expect(rollout.spec.strategy.canary.analysis).toEqual({
      templates: [{ templateName: 'card-fraud-standard-gates' }],
    });
    expect(find(set, 'Deployment', 'card-fraud-standard').spec.replicas).toBe(0);
    expect(find(set, 'HorizontalPodAutoscaler', 'card-fraud-standard').spec.scaleTargetRef).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'card-fraud-standard',
    });
    expect(find(set, 'ScaledObject', 'card-fraud-enterprise').spec.scaleTargetRef.kind).toBe('Rollout');
  });

  it('the AnalysisTemplate checks the gates on the new release with Prometheus', async () => {
    const set = (await renderedExamples()).find(
      (r) => r.set.environment === 'prod' && r.set.system === 'card-fraud',
    )!.set;
    const metrics = find(set, 'AnalysisTemplate', 'card-fraud-standard-gates').spec.metrics as Json[];
    expect(metrics.map((m) => [m.name, m.successCondition, m.interval, m.failureLimit])).toEqual([
      ['error-rate', 'result[0] <= 0.005', '1m', 0],
      ['p99-latency', 'result[0] <= 0.06', '1m', 0],
      ['drift', 'result[0] <= 0.25', '1m', 0],
    ]);
    for (const m of metrics)
      expect(m.provider.prometheus.address).toBe('http://prometheus-operated.monitoring.svc:9090');
    const [errors, latency, drift] = metrics.map((m) => m.provider.prometheus.query as string);
    const fresh = 'namespace="fraud-prod", service="card-fraud-standard", variant="v3-2-0"';
    expect(errors).toBe(
      `((sum(rate(${METRICS.errors}{${fresh}}[10m])) / sum(rate(${METRICS.requests}{${fresh}}[10m]))) and on() ` +
        `(sum(increase(${METRICS.requests}{${fresh}}[10m])) >= 500)) or on() vector(0)`,
    );
    expect(latency).toContain(`histogram_quantile(0.99, sum by (le) (rate(${METRICS.latency}_bucket{${fresh}}[10m])))`);
    expect(drift).toBe(
      `(max(${METRICS.driftPsi}{namespace="fraud-prod", service="card-fraud-standard"})) or on() vector(0)`,
    );
  });

  it('blue-green on Argo Rollouts: active and preview Services, promotion settings, a bounded analysis', async () => {
    const set = (await renderedExamples()).find(
      (r) => r.set.environment === 'prod' && r.set.system === 'churn-small',
    )!.set;
    const bg = find(set, 'Rollout', 'churn-small-cpu').spec.strategy.blueGreen;
    expect(bg).toEqual({
      activeService: 'churn-small-cpu',
      previewService: 'churn-small-cpu-preview',
      autoPromotionEnabled: false,
      scaleDownDelaySeconds: 1800,
      postPromotionAnalysis: { templates: [{ templateName: 'churn-small-cpu-gates' }] },
    });
    const preview = find(set, 'Service', 'churn-small-cpu-preview');
    expect(preview.spec.selector).toEqual(find(set, 'Service', 'churn-small-cpu').spec.selector);
    expect(preview.metadata.labels['mlspec.io/component']).toBe('serving-preview');
    // Promotion waits for the analysis: it measures for one window (1h every 5m).
    for (const m of find(set, 'AnalysisTemplate', 'churn-small-cpu-gates').spec.metrics as Json[])
      expect([m.interval, m.count]).toEqual(['5m', 12]);
  });

  it('A/B, shadow and clusters without Argo Rollouts use the runtime split', async () => {
    const systems = [...(await exampleSystems()), ...(await variantSystems())].filter(
      (s) => servingMode(s) === 'runtime-split',
    );
    const names = systems.map((s) => `${s.environment}/${s.name}`);
    // A/B (ranker) and blue-green on a cluster with Argo Rollouts, canary without it (a shadow
    // with Argo Rollouts and Istio is mirrored by Istio: routing.test.ts).
    for (const n of [
      'prod/product-ranker',
      'a/ab-sticky-field',
      'staging/card-fraud',
      'a/canary-runtime',
      'a/bluegreen-runtime',
    ])
      expect(names).toContain(n);
    const sets = systems.map((s) => renderSystem(s));
    for (const set of sets) {
      expect(kinds(set).has('Rollout'), `${set.environment}/${set.system}`).toBe(false);
      expect(kinds(set).has('AnalysisTemplate')).toBe(false);
      const serving = set.objects.filter(
        (o) => o.kind === 'Deployment' && o.metadata.labels?.['mlspec.io/component'] === 'serving',
      ) as Json[];
      expect(serving.length).toBeGreaterThan(0);
      for (const d of serving) expect(d.spec.replicas).toBeUndefined();
    }
    const bgArgo = renderSystem((await variantSystems()).find((s) => s.name === 'bluegreen-argo')!);
    expect(find(bgArgo, 'Rollout', 'bluegreen-argo-standard').spec.strategy.blueGreen.autoPromotionEnabled).toBe(true);
  });
});
