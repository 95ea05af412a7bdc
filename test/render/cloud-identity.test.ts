// Workloads that read buckets get the cloud identity the profile maps them to, and egress to
// the identity endpoints (GKE metadata server); workloads that read none get neither.
import { describe, expect, it } from 'vitest';
import { renderedExamples } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';

describe('cloud identity', () => {
  it('maps every bucket-reading workload of GKE prod to its Google service account', async () => {
    const all = await renderedExamples();
    const { set } = all.find((r) => r.set.environment === 'prod' && r.set.system === 'card-fraud')!;
    const accounts = set.objects.filter((o) => o.kind === 'ServiceAccount');
    const gsa = (name: string) =>
      accounts.find((o) => o.metadata.name === name)!.metadata.annotations?.['iam.gke.io/gcp-service-account'];
    for (const name of [
      'card-fraud-standard',
      'card-fraud-enterprise',
      'card-fraud-train',
      'card-fraud-feature-server',
      'card-fraud-feature-materialize',
    ])
      expect(gsa(name), name).toBe('card-fraud-prod@acme-ml-prod.iam.gserviceaccount.com');
    // The drift submitter only talks to the Kubernetes API.
    expect(gsa('card-fraud-retrain')).toBeUndefined();
    const policy = set.objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'card-fraud-standard')!;
    const egress = (policy.spec as Json).egress as Json[];
    expect(egress).toContainEqual({
      ports: [{ port: 80, protocol: 'TCP' }],
      to: [{ ipBlock: { cidr: '169.254.169.254/32' } }],
    });
    expect(egress).toContainEqual({
      ports: [{ port: 988, protocol: 'TCP' }],
      to: [{ ipBlock: { cidr: '169.254.169.252/32' } }],
    });
  });

  it('uses the EKS role annotation on EKS profiles, and nothing where the profile has no identity', async () => {
    const all = await renderedExamples();
    const role = (env: string, system: string, name: string) =>
      all
        .find((r) => r.set.environment === env && r.set.system === system)!
        .set.objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === name)!.metadata.annotations ?? {};
    expect(role('staging', 'card-fraud', 'card-fraud-standard')['eks.amazonaws.com/role-arn']).toBe(
      'arn:aws:iam::210987654321:role/ml-payments-risk-card-fraud-staging',
    );
    const onPrem = role('prod', 'churn-small', 'churn-small-cpu');
    expect(Object.keys(onPrem).filter((k) => /iam|role-arn|client-id/.test(k))).toEqual([]);
  });
});
