// Network isolation: every pod of a system is under a default-deny policy, may resolve names,
// and gets exactly the allows its workload needs.
import { describe, expect, it } from 'vitest';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { renderedExamples } from './helpers/examples.js';
import { podTemplates, type Json } from './helpers/pods.js';

const policies = (set: ManifestSet) => set.objects.filter((o) => o.kind === 'NetworkPolicy') as Json[];
const get = (set: ManifestSet, name: string) => policies(set).find((p) => p.metadata.name === name)!;
const selects = (selector: Json, labels: Json) =>
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);

describe('network policy', () => {
  it('default deny covers every pod of every system; no policy selects other systems', async () => {
    for (const { system, set } of await renderedExamples()) {
      const deny = get(set, `${system.name}-default-deny`);
      expect(deny.spec).toEqual({
        podSelector: { matchLabels: { 'mlspec.io/system': system.name } },
        policyTypes: ['Egress', 'Ingress'],
      });
      for (const o of set.objects) {
        const labelsOf =
          (o.spec as Json)?.template?.metadata?.labels ??
          (o.spec as Json)?.jobTemplate?.spec?.template?.metadata?.labels;
        for (const t of podTemplates(o))
          if (labelsOf) expect(selects(deny.spec.podSelector, labelsOf), t.where).toBe(true);
      }
      for (const p of policies(set))
        expect(p.spec.podSelector.matchLabels['mlspec.io/system'], p.metadata.name).toBe(system.name);
      const dns = get(set, `${system.name}-allow-dns`).spec;
      expect(dns.egress).toEqual([
        {
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
        },
      ]);
    }
  });

  it('serving: gateway and Prometheus in on 8080; out to the online store and the approved model bucket', async () => {
    const all = await renderedExamples();
    const prod = all.find((r) => r.set.environment === 'prod' && r.set.system === 'card-fraud')!.set;
    const tier = get(prod, 'card-fraud-standard').spec;
    expect(tier.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'card-fraud-standard',
      'mlspec.io/system': 'card-fraud',
    });
    expect(tier.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' } },
            podSelector: { matchLabels: { istio: 'ingressgateway' } },
          },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: {} },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    // prod-eu: a managed online store, by address range.
    expect(tier.egress).toEqual([
      { ports: [{ port: 6378, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '10.20.0.0/24' } }] },
      // The model bucket's approved endpoint (s3-eu): its ranges only, never 0.0.0.0/0.
      ...['3.5.64.0/21', '3.5.72.0/23', '52.92.0.0/17', '52.218.0.0/17'].map((cidr) => ({
        ports: [{ port: 443, protocol: 'TCP' }],
        to: [{ ipBlock: { cidr } }],
      })),
      // GKE workload identity: the metadata server, and its Dataplane V2 address.
      { ports: [{ port: 80, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '169.254.169.254/32' } }] },
      { ports: [{ port: 988, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '169.254.169.252/32' } }] },
    ]);
    // dev-eu: a self-hosted store, by namespace.
    const dev = all.find((r) => r.set.environment === 'dev' && r.set.system === 'card-fraud')!.set;
    expect(get(dev, 'card-fraud-standard').spec.egress[0]).toEqual({
      ports: [{ port: 6379, protocol: 'TCP' }],
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'feast' } }, podSelector: {} }],
    });
  });
});
