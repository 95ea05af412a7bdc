// Accelerator placement appears exactly where an accelerator is requested: the serving tiers
// and training steps with a Placement get its node selector, tolerations and extended resource
// (request = limit = count) on the container that uses it; every other pod and container gets
// none of it.
import { describe, expect, it } from 'vitest';
import type { Placement, ResolvedSystem } from '../../compiler/resolve/resolved.js';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { renderSystem } from '../../compiler/render/system.js';
import { renderedExamples, variantSystems } from './helpers/examples.js';
import { extendedResources, podTemplates, type Json } from './helpers/pods.js';

function placements(s: ResolvedSystem): Placement[] {
  return [...Object.values(s.placement.training), ...Object.values(s.placement.tiers)].filter(
    (p): p is Placement => p !== undefined,
  );
}

function sameTolerations(actual: Json[] | undefined, expected: Placement['tolerations']): boolean {
  const norm = (t: Json) => JSON.stringify([t.key, t.operator ?? 'Equal', t.value ?? '', t.effect ?? '']);
  const have = new Set((actual ?? []).map(norm));
  return expected.every((t) => have.has(norm(t as Json)));
}

function problems(system: ResolvedSystem, set: ManifestSet): { gpuPods: number; problems: string[] } {
  const out: string[] = [];
  const all = placements(system);
  const gpuSelectorKeys = new Set(
    Object.values(system.cluster.accelerators).flatMap((a) => Object.keys(a.nodeSelector)),
  );
  const gpuTaints = new Set(Object.values(system.cluster.accelerators).flatMap((a) => a.tolerations.map((t) => t.key)));
  let gpuPods = 0;
  for (const t of set.objects.flatMap(podTemplates)) {
    // Init containers count too: a step may run as one (the pod is placed as a whole).
    const using = [...t.containers, ...t.initContainers].filter((c) => Object.keys(extendedResources(c)).length > 0);
    if (using.length === 0) {
      const selectors = Object.keys((t.pod.nodeSelector ?? {}) as Json).filter((k) => gpuSelectorKeys.has(k));
      if (selectors.length) out.push(`${t.where}: GPU node selector ${selectors} without a GPU request`);
      if (((t.pod.tolerations ?? []) as Json[]).some((x) => gpuTaints.has(x.key)))
        out.push(`${t.where}: GPU toleration without a GPU request`);
      continue;
    }
    gpuPods++;
    for (const c of using) {
      const resources = extendedResources(c);
      const match = all.find(
        (p) =>
          Object.keys(resources).length === 1 &&
          resources[p.resource]?.request === String(p.count) &&
          resources[p.resource]?.limit === String(p.count) &&
          JSON.stringify(t.pod.nodeSelector ?? {}) ===
            JSON.stringify(Object.fromEntries(Object.entries(p.nodeSelector).sort())) &&
          sameTolerations(t.pod.tolerations as Json[] | undefined, p.tolerations),
      );
      if (!match)
        out.push(
          `${t.where}: container ${c.name} requests ${JSON.stringify(resources)} with node selector ` +
            `${JSON.stringify(t.pod.nodeSelector)}, matching no placement`,
        );
    }
  }
  // Serving, tier by tier: the runtime container has the tier's accelerator exactly when the tier has a placement.
  for (const [tier, placement] of Object.entries(system.placement.tiers)) {
    const d = set.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === `${system.name}-${tier}`) as
      | Json
      | undefined;
    if (!d) {
      out.push(`no Deployment for tier ${tier}`);
      continue;
    }
    const runtime = (d.spec.template.spec.containers as Json[]).find((c) => c.name === 'runtime')!;
    const got = extendedResources(runtime);
    for (const c of d.spec.template.spec.initContainers as Json[])
      if (Object.keys(extendedResources(c)).length)
        out.push(`tier ${tier}: init container ${c.name} requests an accelerator`);
    if (placement) {
      if (got[placement.resource]?.limit !== String(placement.count))
        out.push(`tier ${tier}: runtime lacks ${placement.resource}: ${placement.count}`);
    } else if (Object.keys(got).length) out.push(`tier ${tier}: CPU tier requests ${Object.keys(got)}`);
  }
  return { gpuPods, problems: out.map((p) => `${set.environment}/${set.system} ${p}`) };
}

describe('GPU placement', () => {
  it('appears exactly where an accelerator is requested, in every example and environment', async () => {
    const all = await renderedExamples();
    let gpuPods = 0;
    const found: string[] = [];
    for (const { system, set } of all) {
      const r = problems(system, set);
      gpuPods += r.gpuPods;
      found.push(...r.problems);
    }
    expect(found).toEqual([]);
    expect(gpuPods).toBeGreaterThan(0);
  });

  it('renders whole GPUs and MIG slices with the cluster profile labels and taints', async () => {
    const all = await renderedExamples();
    const deployment = (env: string, system: string, name: string) =>
      all
        .find((r) => r.set.environment === env && r.set.system === system)!
        .set.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name) as Json;
    const l4 = deployment('prod', 'card-fraud', 'card-fraud-enterprise').spec.template.spec;
    expect(l4.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-l4' });
    expect(l4.tolerations).toEqual([
      { effect: 'NoSchedule', key: 'nvidia.com/gpu', operator: 'Equal', value: 'present' },
    ]);
    const runtime = l4.containers.find((c: Json) => c.name === 'runtime');
    expect(runtime.resources.requests['nvidia.com/gpu']).toBe('1');
    expect(runtime.resources.limits['nvidia.com/gpu']).toBe('1');
    // NVIDIA `mixed` strategy (staging-eu): the slice is its own resource.
    const mixed = deployment('staging', 'product-ranker', 'product-ranker-gpu').spec.template.spec;
    expect(mixed.containers.find((c: Json) => c.name === 'runtime').resources.limits).toMatchObject({
      'nvidia.com/mig-1g.10gb': '1',
    });
    expect(mixed.affinity).toBeUndefined();
    const cpu = deployment('prod', 'card-fraud', 'card-fraud-standard').spec.template.spec;
    expect(cpu.nodeSelector).toBeUndefined();
    expect(cpu.tolerations).toBeUndefined();
  });

  it('GKE MIG: slice pods select the partition size, whole-GPU pods stay off partitioned nodes', async () => {
    const all = await renderedExamples();
    const ranker = all.find((r) => r.set.environment === 'prod' && r.set.system === 'product-ranker')!.set;
    const slice = (
      ranker.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'product-ranker-gpu') as Json
    ).spec.template.spec;
    expect(slice.nodeSelector).toEqual({
      'cloud.google.com/gke-accelerator': 'nvidia-a100-80gb',
      'cloud.google.com/gke-gpu-partition-size': '1g.10gb',
    });
    // GKE advertises a slice as a whole `nvidia.com/gpu`.
    expect(slice.containers.find((c: Json) => c.name === 'runtime').resources.limits['nvidia.com/gpu']).toBe('1');
    expect(slice.affinity).toBeUndefined();
    const avoid = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'cloud.google.com/gke-gpu-partition-size', operator: 'DoesNotExist' }] },
          ],
        },
      },
    };
    const templates = (ranker.objects.find((o) => o.kind === 'WorkflowTemplate') as Json).spec.templates as Json[];
    const whole = templates.filter((t) => t.container?.resources?.limits?.['nvidia.com/gpu']);
    expect(whole.map((t) => t.name).sort()).toEqual(['train-leader', 'train-worker', 'validate']);
    for (const t of whole) {
      expect(t.nodeSelector, t.name).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-a100-80gb' });
      expect(t.affinity, t.name).toEqual(avoid);
    }
    // An accelerator without partitions (L4) needs no such rule.
    const fraud = all.find((r) => r.set.environment === 'prod' && r.set.system === 'card-fraud')!.set;
    const l4 = (
      fraud.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'card-fraud-enterprise') as Json
    ).spec.template.spec;
    expect(l4.affinity).toBeUndefined();
  });

  it('holds for the variant specs', async () => {
    const found = (await variantSystems()).flatMap((s) => problems(s, renderSystem(s)).problems);
    expect(found).toEqual([]);
  });

  it('the check finds a GPU where none was requested', async () => {
    const { system, set } = (await renderedExamples()).find(
      (r) => r.set.environment === 'prod' && r.set.system === 'card-fraud',
    )!;
    const broken = structuredClone(set) as any;
    const cpu = broken.objects.find((o: Json) => o.kind === 'Deployment' && o.metadata.name === 'card-fraud-standard');
    cpu.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = '1';
    expect(problems(system, broken).problems.length).toBeGreaterThan(0);
  });
});
