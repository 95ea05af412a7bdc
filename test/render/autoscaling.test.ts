// Autoscaling: CPU targets → HPA; request targets → KEDA ScaledObject with a Prometheus query
// on the runtime's metrics when the cluster has KEDA, else an HPA on CPU that says why.
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../runtime/contract/metric-names.js';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { renderSystem } from '../../compiler/render/system.js';
import { AUTOSCALING_NOTE, FALLBACK_CPU_PERCENT } from '../../compiler/render/serving/autoscaling.js';
import { renderedExamples, variantSystems } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';

const get = (set: ManifestSet, kind: string, name: string) =>
  set.objects.find((o) => o.kind === kind && o.metadata.name === name) as Json | undefined;

describe('autoscaling', () => {
  it('a CPU target becomes an HPA between the replica bounds', async () => {
    const set = (await renderedExamples()).find(
      (r) => r.set.environment === 'staging' && r.set.system === 'card-fraud',
    )!.set;
    const hpa = get(set, 'HorizontalPodAutoscaler', 'card-fraud-standard')!;
    expect(hpa.spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 4,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'card-fraud-standard' },
    });
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } } },
    ]);
    expect(get(set, 'Deployment', 'card-fraud-standard')!.spec.replicas).toBeUndefined();
  });

  it('requests per second and requests in flight become KEDA Prometheus triggers', async () => {
    const all = await renderedExamples();
    const staging = all.find((r) => r.set.environment === 'staging' && r.set.system === 'card-fraud')!.set;
    const rps = get(staging, 'ScaledObject', 'card-fraud-enterprise')!;
    expect(rps.spec).toMatchObject({
      minReplicaCount: 1,
      maxReplicaCount: 2,
      scaleTargetRef: { kind: 'Deployment', name: 'card-fraud-enterprise' },
    });
    expect(rps.spec.triggers).toEqual([
      {
        type: 'prometheus',
        metricType: 'AverageValue',
        metadata: {
          serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
          query:
            `sum(rate(${METRICS.requests}{namespace="fraud-staging", service="card-fraud-enterprise", ` +
            `variant=~"stable|canary"}[2m]))`,
          threshold: '800',
        },
      },
    ]);
    // Four 30 s scrapes per window (above: `[2m]`); blind, the tier holds its full size.
    expect(rps.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2 });
    expect(get(staging, 'HorizontalPodAutoscaler', 'card-fraud-enterprise')).toBeUndefined();
    expect(get(staging, 'Deployment', 'card-fraud-enterprise')!.spec.replicas).toBeUndefined();
    const ranker = all.find((r) => r.set.environment === 'prod' && r.set.system === 'product-ranker')!.set;
    const inflight = get(ranker, 'ScaledObject', 'product-ranker-gpu')!.spec.triggers[0].metadata;
    expect(inflight.query).toBe(
      `sum(rate(${METRICS.latency}_sum{namespace="commerce-ml-prod", service="product-ranker-gpu", ` +
        `variant=~"ranker-a|ranker-b"}[2m]))`,
    );
    expect(inflight.threshold).toBe('32');
  });

  it('without KEDA a request target falls back to CPU and says so', async () => {
    const set = renderSystem((await variantSystems()).find((s) => s.name === 'bare-cluster')!);
    const hpa = get(set, 'HorizontalPodAutoscaler', 'bare-cluster-enterprise')!;
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(FALLBACK_CPU_PERCENT);
    expect(hpa.metadata.annotations[AUTOSCALING_NOTE]).toMatch(
      /requestsPerSecond scaling needs KEDA, which cluster profile bare does not have/,
    );
    expect(set.objects.some((o) => o.kind === 'ScaledObject')).toBe(false);
  });

  it('every tier has a disruption budget over its pods and spreads over zones and nodes', async () => {
    for (const { system, set } of await renderedExamples()) {
      for (const tier of Object.keys(system.spec.serving.tiers)) {
        const name = `${system.name}-${tier}`;
        const selector = get(set, 'Deployment', name)!.spec.selector.matchLabels;
        expect(get(set, 'PodDisruptionBudget', name)!.spec).toEqual({
          maxUnavailable: 1,
          selector: { matchLabels: selector },
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        });
        const spread = get(set, 'Deployment', name)!.spec.template.spec.topologySpreadConstraints as Json[];
        expect(spread.map((s) => s.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      }
    }
  });
});
