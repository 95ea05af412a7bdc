// The fourth example (specs/query-intent.yaml on the GKE profile `gke-us`) puts together what the
// other three do not: MIG partitions, workload identity, Kueue gang scheduling, a Gateway API
// route and a shadow mirrored by Istio. Each concept is tested in its own file; this checks
// that the example really exercises them.
import { describe, expect, it } from 'vitest';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { renderedExamples } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';

async function queryIntent(env: string): Promise<ManifestSet> {
  return (await renderedExamples()).find((r) => r.set.environment === env && r.set.system === 'query-intent')!.set;
}
const find = (set: ManifestSet, kind: string, name: string) =>
  set.objects.find((o) => o.kind === kind && o.metadata.name === name) as Json;

describe('the GKE example', () => {
  it('staging: a shadow mirrored by Istio, reached through a Gateway API route, on MIG slices', async () => {
    const set = await queryIntent('staging');
    const canary = find(set, 'Rollout', 'query-intent-mig').spec.strategy.canary;
    expect(canary.steps[1].setMirrorRoute).toMatchObject({ name: 'shadow', percentage: 10 });
    expect(find(set, 'HTTPRoute', 'query-intent-mig').spec).toMatchObject({
      parentRefs: [{ name: 'ml-gateway', namespace: 'istio-ingress', sectionName: 'https' }],
      hostnames: ['intent.search.ml.acme.io'],
      rules: [{ backendRefs: [{ name: 'query-intent-mig-stable', port: 8080 }] }],
    });
    const pod = find(set, 'Deployment', 'query-intent-mig').spec.template.spec;
    expect(pod.nodeSelector['cloud.google.com/gke-gpu-partition-size']).toBe('1g.10gb');
    expect(find(set, 'AuthorizationPolicy', 'query-intent-mig').spec.rules[1].from[0].source.principals).toEqual([
      'cluster.local/ns/search/sa/search-frontend',
    ]);
    // Workload identity: the serving account maps to its Google service account.
    expect(find(set, 'ServiceAccount', 'query-intent-mig').metadata.annotations['iam.gke.io/gcp-service-account']).toBe(
      'query-intent-staging@acme-ml-us.iam.gserviceaccount.com',
    );
  });

  it('training: four whole-GPU workers admitted as one Kueue gang, off the partitioned nodes', async () => {
    const set = await queryIntent('prod');
    const templates = find(set, 'WorkflowTemplate', 'query-intent-train').spec.templates as Json[];
    const leader = templates.find((t) => t.name === 'train-leader')!;
    expect(leader.metadata.annotations).toEqual({ 'kueue.x-k8s.io/pod-group-total-count': '4' });
    expect(leader.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('search-ml-training');
    expect(leader.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'cloud.google.com/gke-gpu-partition-size', operator: 'DoesNotExist' }] },
    ]);
    expect(leader.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '32768Mi' } });
    // prod takes the model as a canary, with exact weights through Istio.
    expect(find(set, 'Rollout', 'query-intent-mig').spec.strategy.canary.trafficRouting.istio).toBeDefined();
  });
});
