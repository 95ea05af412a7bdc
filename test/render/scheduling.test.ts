// Cluster profiles rank workload kinds (serving above training above batch) and send kinds to
// dedicated node pools; the rendered pods carry exactly that.
import { describe, expect, it } from 'vitest';
import { renderedExamples } from './helpers/examples.js';
import { podTemplates, type Json } from './helpers/pods.js';

describe('scheduling per workload kind', () => {
  it('gives each kind its priority class and the training pool its tolerations on prod-eu', async () => {
    const all = await renderedExamples();
    const { set } = all.find((r) => r.set.environment === 'prod' && r.set.system === 'card-fraud')!;
    const pod = (kind: string, name: string) =>
      podTemplates(set.objects.find((o) => o.kind === kind && o.metadata.name === name)!)[0]!.pod;
    expect(pod('Deployment', 'card-fraud-standard').priorityClassName).toBe('ml-serving');
    expect(pod('Deployment', 'card-fraud-feature-server').priorityClassName).toBe('ml-features');
    expect(pod('CronJob', 'card-fraud-materialize-merchant-risk').priorityClassName).toBe('ml-batch');
    const template = set.objects.find((o) => o.kind === 'WorkflowTemplate')!.spec as Json;
    expect(template.podPriorityClassName).toBe('ml-training');
    const pool = { key: 'acme.io/pool', operator: 'Equal', value: 'ml-training', effect: 'NoSchedule' };
    expect(template.tolerations).toEqual([pool]);
    // The GPU step lists its accelerator's taint and the pool's (a template's list replaces the workflow's).
    const train = (template.templates as Json[]).find((t) => t.name === 'train')!;
    expect(train.tolerations).toContainEqual(pool);
    expect(train.tolerations.some((t: Json) => t.key === 'nvidia.com/gpu')).toBe(true);
    // Serving does not tolerate the training pool.
    expect(pod('Deployment', 'card-fraud-standard').tolerations ?? []).not.toContainEqual(pool);
  });

  it('sets nothing where the profile has no scheduling', async () => {
    const all = await renderedExamples();
    const { set } = all.find((r) => r.set.environment === 'staging' && r.set.system === 'card-fraud')!;
    const templates = set.objects.flatMap(podTemplates);
    expect(templates.filter((t) => t.pod.priorityClassName !== undefined)).toEqual([]);
  });
});
