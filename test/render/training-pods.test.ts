// What a training pod gets beyond its step's container: a sized /dev/shm memory volume, a scratch
// volume of the declared `ephemeralStorage` (the container's ephemeral storage covering it and
// /tmp), and, where the cluster profile has Kueue, the queue label on every GPU pod and one pod
// group for the workers of a distributed train step.
import { describe, expect, it } from 'vitest';
import { renderSystem } from '../../compiler/render/system.js';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { analyzeVariants, cardFraudSpec, example, exampleSystems } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';

const templates = (set: ManifestSet) =>
  (set.objects.find((o) => o.kind === 'WorkflowTemplate') as Json).spec.templates as Json[];
const named = (set: ManifestSet, name: string) => templates(set).find((t) => t.name === name)!;
const stepPod = (set: ManifestSet, step: string) =>
  (set.objects.find((o) => o.kind === 'CronJob' && o.metadata.name === `${set.system}-train-step-${step}`) as Json).spec
    .jobTemplate;

async function rendered(name: string, env: string): Promise<ManifestSet> {
  return renderSystem(example(await exampleSystems(), name, env));
}

describe('training pods', () => {
  it('Argo steps: /dev/shm of a quarter of the memory (or `sharedMemory`), scratch of `ephemeralStorage`', async () => {
    const set = await rendered('product-ranker', 'prod');
    const leader = named(set, 'train-leader');
    expect(leader.volumes).toEqual([
      // 480Gi of memory per worker: a quarter of it for NCCL's shared memory.
      { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '122880Mi' } },
      { name: 'scratch', emptyDir: { sizeLimit: '1024Mi' } },
    ]);
    expect(leader.container.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'dshm', mountPath: '/dev/shm' },
        { name: 'scratch', mountPath: '/scratch' },
      ]),
    );
    expect(leader.container.env).toContainEqual({ name: 'MLSPEC_SCRATCH_DIR', value: '/scratch' });
    // The kubelet counts /tmp (256Mi) and the scratch volume against the pod: the request covers both.
    expect(leader.container.resources.requests['ephemeral-storage']).toBe('2048Mi');
    expect(named(set, 'train-worker').volumes).toEqual(leader.volumes);
  });

  it('Jobs steps get the same volumes, and an explicit `sharedMemory` sets /dev/shm', async () => {
    const system = example(await exampleSystems(), 'churn-small', 'dev');
    const spec = structuredClone(system.spec) as any;
    spec.training.pipeline.train.sharedMemory = '3Gi';
    spec.training.pipeline.train.resources.ephemeralStorage = '40Gi';
    const set = renderSystem({ ...system, spec });
    const pod = stepPod(set, 'train').spec.template.spec;
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '3072Mi' } },
        { name: 'scratch', emptyDir: { sizeLimit: '40960Mi' } },
      ]),
    );
    const main = pod.containers[0];
    expect(main.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'dshm', mountPath: '/dev/shm', readOnly: false },
        { name: 'scratch', mountPath: '/scratch', readOnly: false },
      ]),
    );
    // 40Gi of scratch and 256Mi of /tmp, in whole gibibytes.
    expect(main.resources.limits['ephemeral-storage']).toBe('41Gi');
  });

  it('with Kueue: GPU pods queue in the team LocalQueue, and the distributed workers form one pod group', async () => {
    const system = example(await exampleSystems(), 'product-ranker', 'prod');
    const set = renderSystem(system);
    const count = String(system.spec.training.pipeline.train.distributed!.workers);
    for (const name of ['train-leader', 'train-worker']) {
      const meta = named(set, name).metadata;
      expect(meta.labels, name).toMatchObject({
        'kueue.x-k8s.io/queue-name': 'commerce-ml-training',
        'kueue.x-k8s.io/pod-group-name': '{{workflow.uid}}-train',
      });
      expect(meta.annotations, name).toEqual({ 'kueue.x-k8s.io/pod-group-total-count': count });
    }
    // A single-GPU step is a workload of its own; CPU steps are not queued.
    expect(named(set, 'validate').metadata).toEqual({
      labels: { 'kueue.x-k8s.io/queue-name': 'commerce-ml-training' },
    });
    expect(named(set, 'preprocess').metadata).toBeUndefined();
    // Failed pods do not outlive the run: a failed gang frees its quota, a retried step its alert.
    expect((set.objects.find((o) => o.kind === 'WorkflowTemplate') as Json).spec.podGC).toEqual({
      strategy: 'OnWorkflowCompletion',
      deleteDelayDuration: '1h',
    });
  });

  it('with Kueue and no Argo: the GPU step Job carries the queue label; without Kueue nothing does', async () => {
    const system = example(await exampleSystems(), 'card-fraud', 'dev');
    const queued = renderSystem({
      ...system,
      cluster: { ...system.cluster, components: { ...system.cluster.components, kueue: true } },
    });
    expect(stepPod(queued, 'train').metadata).toEqual({
      labels: { 'kueue.x-k8s.io/queue-name': 'payments-risk-training' },
    });
    expect(stepPod(queued, 'preprocess').metadata).toBeUndefined();
    const plain = renderSystem(system);
    expect(JSON.stringify(plain.objects)).not.toContain('kueue.x-k8s.io');
  });

  it('distributed training without Kueue is a warning at the spec that names the risk', async () => {
    const warnings = async (kueue: boolean) => {
      const spec = cardFraudSpec();
      spec.training.pipeline.train.distributed = { workers: 3 };
      spec.environments = { a: { cluster: 'variant' } };
      const { diagnostics } = await analyzeVariants({ 'card-fraud': spec }, (p) => {
        p.clusters.variant = structuredClone(p.clusters['prod-eu']);
        p.clusters.variant.components.kueue = kueue;
      });
      return diagnostics.filter((d) => d.code === 'no_gang_scheduling');
    };
    const [warning] = await warnings(false);
    expect(warning!.severity).toBe('warning');
    expect(warning!.message).toContain(
      'cluster `variant` has no Kueue: the 3 training workers are scheduled one by one',
    );
    expect(warning!.pointer).toBe('/training/pipeline/train/distributed');
    expect(await warnings(true)).toEqual([]);
  });
});
