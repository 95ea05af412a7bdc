// Monitoring objects (with prometheus-operator) and encryption in transit (with Istio).
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../runtime/contract/metric-names.js';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { renderSystem } from '../../compiler/render/system.js';
import { FEATURE_METRICS } from '../../compiler/render/base/feature-metrics.js';
import { example, exampleSystems, renderedExamples, variantSystems, withoutMesh } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';

const get = (set: ManifestSet, kind: string, name: string) =>
  set.objects.find((o) => o.kind === kind && o.metadata.name === name) as Json | undefined;
const rules = (set: ManifestSet) =>
  (get(set, 'PrometheusRule', set.system)!.spec.groups as Json[]).flatMap((g) => g.rules as Json[]);

describe('monitoring', () => {
  it('every alert has summary, description, runbook and routing labels', async () => {
    for (const { system, set } of await renderedExamples()) {
      const routing = system.spec.monitoring.alerts;
      for (const r of rules(set)) {
        const at = `${set.environment}/${set.system} ${r.alert}`;
        expect(Object.keys(r.annotations).sort(), at).toEqual(['description', 'runbook_url', 'summary']);
        expect(r.annotations.summary.length, at).toBeGreaterThan(10);
        expect(r.annotations.runbook_url, at).toBe(`${routing.runbookBaseUrl}${r.alert}`);
        expect(['critical', 'warning'], at).toContain(r.labels.severity);
        expect(r.labels, at).toMatchObject({
          receiver: routing[r.labels.severity as 'critical' | 'warning'],
          system: system.name,
          team: system.team,
          environment: system.environment,
        });
      }
    }
  });

  it('alerts on latency SLO, error rate and drift per tier, freshness per view, training failures', async () => {
    const { system, set } = (await renderedExamples()).find(
      (r) => r.set.environment === 'prod' && r.set.system === 'card-fraud',
    )!;
    const all = rules(set);
    const of = (alert: string) => all.filter((r) => r.alert === alert);
    expect(of('ServingLatencySLOBreached').map((r) => [r.labels.tier, r.expr])).toEqual([
      [
        'enterprise',
        `histogram_quantile(0.99, sum by (le) (rate(${METRICS.latency}_bucket{namespace="fraud-prod", ` +
          `service="card-fraud-enterprise"}[5m]))) > 0.025`,
      ],
      [
        'standard',
        `histogram_quantile(0.99, sum by (le) (rate(${METRICS.latency}_bucket{namespace="fraud-prod", ` +
          `service="card-fraud-standard"}[5m]))) > 0.05`,
      ],
    ]);
    expect(of('ServingErrorRateHigh').map((r) => r.expr)).toContain(
      `sum(rate(${METRICS.errors}{namespace="fraud-prod", service="card-fraud-standard"}[5m])) / ` +
        `sum(rate(${METRICS.requests}{namespace="fraud-prod", service="card-fraud-standard"}[5m])) > 0.005`,
    );
    expect(of('ModelInputDrift').map((r) => r.expr)).toContain(
      `max(${METRICS.datasetDrift}{namespace="fraud-prod", service="card-fraud-standard"}) == 1`,
    );
    expect(of('FeatureViewStale').map((r) => [r.labels.view, r.expr])).toEqual(
      Object.keys(system.spec.features.views)
        .sort()
        .map((v) => {
          const labels = `namespace="fraud-prod", system="card-fraud", view="${v}"`;
          const series = `${FEATURE_METRICS.lastEventTimestamp}{${labels}}`;
          // A view no writer reports on is stale too (alert-rules.test.ts runs these in promtool).
          return [v, `(time() - max(${series}) > ${v === 'card_txn_stats' ? 900 : 93600}) or absent(${series})`];
        }),
    );
    // The Argo Workflows controller's per-template counters; `for` rides out a scrape gap.
    expect(of('TrainingRunFailed')[0]!.expr).toContain(
      'argo_workflows_workflowtemplate_triggered_total{namespace="fraud-prod", name="card-fraud-train"',
    );
    expect(of('TrainingRunFailed')[0]!.for).toBe('1m');
    expect(of('ServingRolloutDegraded')[0]!.expr).toContain('name=~"card-fraud-enterprise|card-fraud-standard"');
    expect(of('RuntimeConfigRejected')[0]!.expr).toContain(METRICS.configReloadOk);
    // Argo Rollouts does the canary in prod; the runtime drains it in staging.
    expect(of('CanaryDrained')).toEqual([]);
    const staging = (await renderedExamples()).find(
      (r) => r.set.environment === 'staging' && r.set.system === 'card-fraud',
    )!.set;
    expect(rules(staging).find((r) => r.alert === 'CanaryDrained')!.expr).toContain(METRICS.canaryDrains);
    expect(rules(staging).find((r) => r.alert === 'ServingErrorRateHigh')!.expr).toContain('variant=~"stable|canary"');
    const dev = (await renderedExamples()).find(
      (r) => r.set.environment === 'dev' && r.set.system === 'card-fraud',
    )!.set;
    expect(rules(dev).find((r) => r.alert === 'TrainingRunFailed')!.expr).toContain(
      'kube_job_failed{namespace="fraud-dev", job_name=~"card-fraud-train-([0-9a-f]{8}|[0-9]+|drift-[a-z0-9]{5})"',
    );
    // Without Argo Rollouts there is no Rollout to alert on.
    expect(rules(dev).find((r) => r.alert === 'ServingRolloutDegraded')).toBeUndefined();
  });

  it('the ServiceMonitor scrapes the serving Services, over mTLS where Istio runs', async () => {
    const all = await renderedExamples();
    const prod = all.find((r) => r.set.environment === 'prod' && r.set.system === 'card-fraud')!.set;
    const sm = get(prod, 'ServiceMonitor', 'card-fraud-serving')!;
    expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(get(prod, 'PrometheusRule', 'card-fraud')!.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(sm.spec.selector.matchLabels).toEqual({
      'mlspec.io/component': 'serving',
      'mlspec.io/system': 'card-fraud',
    });
    expect(sm.spec.endpoints[0]).toMatchObject({
      port: 'http',
      path: '/metrics',
      scheme: 'https',
      tlsConfig: { caFile: '/etc/prom-certs/root-cert.pem' },
    });
    const plain = renderSystem(withoutMesh(example(await exampleSystems(), 'card-fraud', 'dev')));
    expect(get(plain, 'ServiceMonitor', 'card-fraud-serving')!.spec.endpoints[0].scheme).toBeUndefined();
    for (const svc of prod.objects.filter(
      (o) => o.kind === 'Service' && o.metadata.labels?.['mlspec.io/component'] === 'serving',
    ) as Json[]) {
      expect(svc.spec.ports.map((p: Json) => p.name)).toContain('http');
    }
  });

  it('Istio clusters get STRICT mutual TLS and a way to istiod; other clusters neither', async () => {
    const all = await renderedExamples();
    const prod = all.find((r) => r.set.environment === 'prod' && r.set.system === 'card-fraud')!.set;
    expect(get(prod, 'PeerAuthentication', 'card-fraud')!.spec).toEqual({
      mtls: { mode: 'STRICT' },
      selector: { matchLabels: { 'mlspec.io/system': 'card-fraud' } },
    });
    expect(get(prod, 'NetworkPolicy', 'card-fraud-allow-istiod')!.spec.egress[0].ports).toEqual([
      { port: 15012, protocol: 'TCP' },
    ]);
    const pod = get(prod, 'Deployment', 'card-fraud-standard')!.spec.template;
    // The model downloads go through a native sidecar; no port bypasses the mesh.
    expect(pod.metadata.annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    expect(pod.metadata.annotations['traffic.sidecar.istio.io/excludeOutboundPorts']).toBeUndefined();
    const dev = renderSystem(withoutMesh(example(await exampleSystems(), 'card-fraud', 'dev')));
    expect(dev.objects.some((o) => o.kind === 'PeerAuthentication' || o.metadata.name.endsWith('allow-istiod'))).toBe(
      false,
    );
    expect(
      get(dev, 'Deployment', 'card-fraud-standard')!.spec.template.metadata.annotations[
        'sidecar.istio.io/nativeSidecar'
      ],
    ).toBeUndefined();
  });

  it('a cluster without prometheus-operator gets no monitoring objects', async () => {
    const set = renderSystem((await variantSystems()).find((s) => s.name === 'bare-cluster')!);
    expect(set.objects.filter((o) => ['ServiceMonitor', 'PrometheusRule', 'PodMonitor'].includes(o.kind))).toEqual([]);
  });
});
