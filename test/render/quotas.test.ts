// The accelerator quotas of each environment, enforced by the cluster: a ResourceQuota per team
// namespace, MIG slices counted under their own resource where the device plugin advertises
// one; with Kueue, ResourceFlavors, a ClusterQueue per team with its GPU and MIG quotas, and a
// LocalQueue in each team namespace. Every object validates against its upstream schema.
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../compiler/render/base/manifest-set.js';
import { namespaceObjects } from '../../compiler/render/namespace/namespace-objects.js';
import { namespaceQuotaUse } from '../../compiler/render/namespace/quota-use.js';
import { exampleSystems } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';
import { upstreamProblems } from './helpers/upstream.js';

type Obj = K8sObject & Json;

async function objects(environment: string): Promise<Obj[]> {
  const systems = (await exampleSystems()).filter((s) => s.environment === environment);
  return namespaceObjects(systems.map(namespaceQuotaUse)) as Obj[];
}
const find = (list: Obj[], kind: string, name: string, namespace?: string) =>
  list.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);

describe('accelerator quotas', () => {
  it('a ResourceQuota per team namespace; MIG slices count under their own resource (NVIDIA mixed)', async () => {
    // staging-eu: commerce-ml has 32 A100 and 24 L4 (both `nvidia.com/gpu`) and 16 1g.10gb slices.
    const staging = await objects('staging');
    expect(find(staging, 'ResourceQuota', 'mlspec-accelerators', 'commerce-ml-staging')!.spec.hard).toEqual({
      'requests.nvidia.com/gpu': '56',
      'requests.nvidia.com/mig-1g.10gb': '16',
      'requests.nvidia.com/mig-3g.40gb': '0',
    });
    // A team without a GPU quota gets none (growth-analytics stages on prod-me).
    expect(find(staging, 'ResourceQuota', 'mlspec-accelerators', 'growth-analytics-staging')!.spec.hard).toEqual({
      'requests.nvidia.com/gpu': '0',
      'requests.nvidia.com/mig-1g.10gb': '0',
      'requests.nvidia.com/mig-2g.20gb': '0',
    });
  });

  it('GKE slices are `nvidia.com/gpu` too: the namespace limit is the sum, Kueue tells them apart', async () => {
    const prod = await objects('prod');
    expect(find(prod, 'ResourceQuota', 'mlspec-accelerators', 'commerce-ml-prod')!.spec.hard).toEqual({
      'requests.nvidia.com/gpu': '72',
    });
    const queue = find(prod, 'ClusterQueue', 'commerce-ml-prod')!.spec;
    expect(queue.namespaceSelector).toEqual({
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['commerce-ml-prod'] }],
    });
    const gpu = (queue.resourceGroups as Json[]).find((g) => g.coveredResources.includes('nvidia.com/gpu'))!;
    // Slices first: Kueue gives a pod the first flavor that fits its node selector.
    expect(gpu.flavors).toEqual([
      { name: 'prod-eu-a100-80gb-1g-10gb', resources: [{ name: 'nvidia.com/gpu', nominalQuota: '16' }] },
      { name: 'prod-eu-a100-80gb', resources: [{ name: 'nvidia.com/gpu', nominalQuota: '32' }] },
      { name: 'prod-eu-l4', resources: [{ name: 'nvidia.com/gpu', nominalQuota: '24' }] },
    ]);
    expect(find(prod, 'ResourceFlavor', 'prod-eu-a100-80gb-1g-10gb')!.spec.nodeLabels).toEqual({
      'cloud.google.com/gke-accelerator': 'nvidia-a100-80gb',
      'cloud.google.com/gke-gpu-partition-size': '1g.10gb',
    });
    expect(find(prod, 'ResourceFlavor', 'prod-eu-a100-80gb')!.spec.nodeLabels).toEqual({
      'cloud.google.com/gke-accelerator': 'nvidia-a100-80gb',
    });
  });

  it('Kueue: a LocalQueue in each team namespace feeding the team ClusterQueue; none without Kueue', async () => {
    const prod = await objects('prod');
    expect(find(prod, 'LocalQueue', 'commerce-ml-training', 'commerce-ml-prod')!.spec).toEqual({
      clusterQueue: 'commerce-ml-prod',
    });
    expect(find(prod, 'LocalQueue', 'payments-risk-training', 'fraud-prod')!.spec).toEqual({
      clusterQueue: 'payments-risk-prod',
    });
    // The queue must hold a whole distributed group: CPU and memory for the four train workers.
    const ranker = (await exampleSystems()).find((s) => s.name === 'product-ranker' && s.environment === 'prod')!;
    const cq = find(prod, 'ClusterQueue', 'commerce-ml-prod')!.spec;
    const cpu = (cq.resourceGroups[0].flavors[0].resources as Json[]).find((r) => r.name === 'cpu')!;
    const workers = ranker.spec.training.pipeline.train.distributed!.workers;
    expect(Number.parseInt(cpu.nominalQuota, 10)).toBeGreaterThanOrEqual(
      workers * Number(ranker.spec.training.pipeline.train.resources.cpu) * 1000,
    );
    expect((await objects('dev')).filter((o) => o.apiVersion.startsWith('kueue.x-k8s.io'))).toEqual([]);
  });

  it('every quota and queue object of every environment validates; the check catches a broken one', async () => {
    const problems: string[] = [];
    for (const env of ['dev', 'staging', 'prod'])
      for (const o of await objects(env)) problems.push(...(await upstreamProblems(o)));
    expect(problems).toEqual([]);
    const queue = structuredClone(find(await objects('prod'), 'ClusterQueue', 'commerce-ml-prod')!);
    queue.spec.resourceGroups[1].flavors[0].resources[0].nominalQuota = 'lots';
    queue.spec.queueingStrategy = 'Fifo';
    queue.spec.resourceGroups[0].flavors[0].resources.reverse();
    expect(await upstreamProblems(queue)).toEqual([
      'ClusterQueue/commerce-ml-prod: /spec/queueingStrategy must be equal to one of the allowed values',
      expect.stringContaining('/spec/resourceGroups/1/flavors/0/resources/0/nominalQuota must'),
      expect.stringContaining('/spec/resourceGroups/1/flavors/0/resources/0/nominalQuota must'),
      expect.stringContaining('/spec/resourceGroups/1/flavors/0/resources/0/nominalQuota must'),
      'ClusterQueue/commerce-ml-prod: flavor prod-default of resource group 0 does not list the covered ' +
        'resources in order',
    ]);
    const local = structuredClone(
      find(await objects('prod'), 'LocalQueue', 'commerce-ml-training', 'commerce-ml-prod')!,
    );
    local.spec.clusterqueue = local.spec.clusterQueue;
    delete local.spec.clusterQueue;
    expect(await upstreamProblems(local)).toEqual([
      "LocalQueue/commerce-ml-training: /spec must have required property 'clusterQueue'",
      'LocalQueue/commerce-ml-training: /spec must NOT have additional properties',
    ]);
  });
});
