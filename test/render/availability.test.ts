// Serving and feature-server pods stay available through updates and drains: a preStop delay
// while endpoints drop the pod (within the grace period), spread over zones per revision, a
// disruption budget; and Argo Workflows step pods run the Istio sidecar natively.
import { describe, expect, it } from 'vitest';
import { renderedExamples } from './helpers/examples.js';
import { podTemplates, type Json } from './helpers/pods.js';
import {
  SERVER_LIMITS,
  SERVING_DRAIN_SECONDS,
  TERMINATION_GRACE_SECONDS,
} from '../../compiler/render/serving/runtime-config.js';

describe('availability', () => {
  it('serving and feature-server pods drain before they stop, within the grace period', async () => {
    let checked = 0;
    for (const { set } of await renderedExamples()) {
      for (const o of set.objects) {
        if (o.kind !== 'Deployment' || !['serving', 'features'].includes(o.metadata.labels!['mlspec.io/component']!))
          continue;
        if (o.metadata.name.includes('feature-ingest')) continue;
        const pod = (o.spec as Json).template.spec as Json;
        const main = (pod.containers as Json[])[0]!;
        const sleep = main.lifecycle?.preStop?.sleep?.seconds as number;
        expect(sleep, `${set.environment}/${o.metadata.name}`).toBeGreaterThan(0);
        expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(sleep);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
    expect(TERMINATION_GRACE_SECONDS).toBeGreaterThanOrEqual(
      SERVING_DRAIN_SECONDS + SERVER_LIMITS.shutdownTimeoutMs / 1000,
    );
  });

  it('serving and feature-server pods spread over zones per revision, with a disruption budget', async () => {
    const { set } = (await renderedExamples()).find(
      (r) => r.set.environment === 'prod' && r.set.system === 'card-fraud',
    )!;
    for (const name of ['card-fraud-standard', 'card-fraud-enterprise', 'card-fraud-feature-server']) {
      const d = set.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
      const spread = (d.spec as Json).template.spec.topologySpreadConstraints as Json[];
      const zone = spread.find((c) => c.topologyKey === 'topology.kubernetes.io/zone')!;
      expect(zone.whenUnsatisfiable).toBe('DoNotSchedule');
      expect(zone.matchLabelKeys).toContain('pod-template-hash');
      expect(zone.matchLabelKeys).toContain('rollouts-pod-template-hash');
      expect(set.objects.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === name)).toBe(true);
    }
  });

  it('Argo Workflows step pods under Istio run a native sidecar; elsewhere no annotation', async () => {
    let seen = 0;
    for (const { system, set } of await renderedExamples()) {
      for (const o of set.objects.filter((x) => x.kind === 'WorkflowTemplate')) {
        for (const t of podTemplates(o)) {
          const native = t.annotations['sidecar.istio.io/nativeSidecar'];
          expect(native, `${set.environment}/${t.where}`).toBe(system.cluster.components.istio ? 'true' : undefined);
          seen++;
        }
      }
      const run = set.objects.find((x) => x.kind === 'Workflow');
      if (run && system.cluster.components.istio)
        expect((run.spec as Json).podMetadata.annotations['sidecar.istio.io/nativeSidecar']).toBe('true');
    }
    expect(seen).toBeGreaterThan(5);
  });
});
