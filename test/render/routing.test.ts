// How requests reach a serving tier: with Istio under Argo Rollouts, a VirtualService and
// DestinationRule subsets that Argo sets exact weights (and a shadow's mirror) on; without a
// mesh, a warning that weights are approximate; gateway routes (Istio VirtualService or Gateway
// API HTTPRoute) per tier; and an AuthorizationPolicy naming who may call.
import { describe, expect, it } from 'vitest';
import { renderSystem } from '../../compiler/render/system.js';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import type { ResolvedSystem } from '../../compiler/resolve/resolved.js';
import { analyzeVariants, cardFraudSpec, renderedExamples, variantSystems } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';

const find = (set: ManifestSet, kind: string, name: string) =>
  set.objects.find((o) => o.kind === kind && o.metadata.name === name) as Json | undefined;
const kinds = (set: ManifestSet) => set.objects.map((o) => o.kind);

async function prodCardFraud(): Promise<ManifestSet> {
  return (await renderedExamples()).find((r) => r.set.environment === 'prod' && r.set.system === 'card-fraud')!.set;
}

/** card-fraud in one environment `a` on a variant of prod-eu. */
async function onProdVariant(
  edit: (spec: Record<string, any>) => void,
  cluster: (c: Record<string, any>) => void,
): Promise<{ system: ResolvedSystem; warnings: string[] }> {
  const spec = cardFraudSpec();
  spec.environments = { a: { cluster: 'variant' } };
  edit(spec);
  const { resolved, diagnostics } = await analyzeVariants({ 'card-fraud': spec }, (p) => {
    p.clusters.variant = structuredClone(p.clusters['prod-eu']);
    cluster(p.clusters.variant);
  });
  return {
    system: resolved.find((s) => s.name === 'card-fraud')!,
    warnings: diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.code}: ${d.message}`),
  };
}

const httpRoutes = (c: Record<string, any>) => {
  c.gateway = {
    namespace: 'istio-ingress',
    podLabels: { 'gateway.networking.k8s.io/gateway-name': 'ml' },
    serviceAccount: 'ml-istio',
    routes: {
      kind: 'httpRoute',
      gateway: { name: 'ml', namespace: 'istio-ingress', sectionName: 'https' },
      hostname: '{tier}.{system}.{environment}.ml.acme.io',
      domains: ['ml.acme.io'],
    },
  };
};

describe('canary weights', () => {
  it('with Istio: the Rollout routes through the tier VirtualService and DestinationRule subsets', async () => {
    const set = await prodCardFraud();
    const canary = find(set, 'Rollout', 'card-fraud-standard')!.spec.strategy.canary;
    expect(canary.trafficRouting).toEqual({
      istio: {
        virtualService: { name: 'card-fraud-standard', routes: ['primary'] },
        destinationRule: { name: 'card-fraud-standard', stableSubsetName: 'stable', canarySubsetName: 'canary' },
      },
    });
    expect(canary.stableMetadata).toEqual({ labels: { 'mlspec.io/release-role': 'stable' } });
    expect(canary.canaryMetadata).toEqual({ labels: { 'mlspec.io/release-role': 'canary' } });
    const vs = find(set, 'VirtualService', 'card-fraud-standard')!.spec;
    // Gateway traffic (prod-eu routes by VirtualService) and in-mesh callers take the same split.
    expect(vs.gateways).toEqual(['istio-ingress/ml-gateway', 'mesh']);
    expect(vs.hosts).toEqual(['standard.card-fraud.ml.acme.io', 'card-fraud-standard']);
    expect(vs.http).toEqual([
      {
        name: 'primary',
        route: [
          { destination: { host: 'card-fraud-standard', subset: 'stable', port: { number: 8080 } }, weight: 100 },
          { destination: { host: 'card-fraud-standard', subset: 'canary', port: { number: 8080 } }, weight: 0 },
        ],
      },
    ]);
    const selector = find(set, 'Deployment', 'card-fraud-standard')!.spec.selector.matchLabels;
    expect(find(set, 'DestinationRule', 'card-fraud-standard')!.spec).toEqual({
      host: 'card-fraud-standard',
      subsets: [
        { name: 'stable', labels: selector },
        { name: 'canary', labels: selector },
      ],
    });
  });

  it('a shadow under Argo Rollouts with Istio: canary pods for the share, a mirror route, then hold', async () => {
    const system = (await variantSystems()).find((s) => s.name === 'shadow-argo')!;
    const set = renderSystem(system);
    const canary = find(set, 'Rollout', 'shadow-argo-standard')!.spec.strategy.canary;
    expect(canary.steps).toEqual([
      { setCanaryScale: { weight: 20 } },
      { setMirrorRoute: { name: 'shadow', percentage: 20, match: [{ path: { prefix: '/' } }] } },
      { pause: {} },
    ]);
    expect(canary.trafficRouting.managedRoutes).toEqual([{ name: 'shadow' }]);
    expect(canary.trafficRouting.istio.virtualService.name).toBe('shadow-argo-standard');
    expect(find(set, 'DestinationRule', 'shadow-argo-standard')).toBeDefined();
  });

  it('without a mesh: replica-count weights, no traffic router, and a warning that says so', async () => {
    const { system, warnings } = await onProdVariant(
      () => {},
      (c) => {
        c.components.istio = false;
        delete c.gateway.routes;
      },
    );
    const set = renderSystem(system);
    expect(find(set, 'Rollout', 'card-fraud-standard')!.spec.strategy.canary.trafficRouting).toBeUndefined();
    expect(kinds(set)).not.toContain('VirtualService');
    expect(kinds(set)).not.toContain('DestinationRule');
    expect(kinds(set)).not.toContain('AuthorizationPolicy');
    // The smallest tier (enterprise, 2 replicas) moves in steps of a third.
    expect(warnings).toContainEqual(expect.stringMatching(/^approximate_weights: cluster `variant` has Argo Rollouts/));
    expect(warnings.find((w) => w.startsWith('approximate_weights'))).toContain('steps of about 33%');
  });
});

describe('gateway routes', () => {
  it('Gateway API: an HTTPRoute per tier to the stable revision while Istio divides the traffic', async () => {
    const { system, warnings } = await onProdVariant((spec) => {
      spec.serving.tiers.standard.route = { hostnames: ['fraud.ml.acme.io'], path: '/score' };
    }, httpRoutes);
    const set = renderSystem(system);
    expect(find(set, 'HTTPRoute', 'card-fraud-standard')!.spec).toEqual({
      parentRefs: [{ name: 'ml', namespace: 'istio-ingress', sectionName: 'https' }],
      hostnames: ['fraud.ml.acme.io'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/score' } }],
          filters: [
            { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
          ],
          backendRefs: [{ name: 'card-fraud-standard-stable', port: 8080 }],
        },
      ],
    });
    // The template names a tier without its own host names.
    expect(find(set, 'HTTPRoute', 'card-fraud-enterprise')!.spec.hostnames).toEqual([
      'enterprise.card-fraud.a.ml.acme.io',
    ]);
    const stable = find(set, 'Service', 'card-fraud-standard-stable')!;
    expect(stable.spec.selector).toMatchObject({ 'mlspec.io/release-role': 'stable' });
    // Gateway traffic is not split; resolve says so, since no in-mesh caller is listed.
    expect(warnings).toContainEqual(expect.stringMatching(/^mesh_only_routing: /));
  });

  it('names the callers: the gateway account, listed callers, Prometheus for /metrics only', async () => {
    const { system, warnings } = await onProdVariant((spec) => {
      spec.serving.callers = [{ namespace: 'payments', serviceAccount: 'checkout' }];
    }, httpRoutes);
    expect(warnings.filter((w) => w.startsWith('mesh_only_routing'))).toEqual([]);
    const set = renderSystem(system);
    const policy = find(set, 'AuthorizationPolicy', 'card-fraud-standard')!.spec;
    expect(policy.action).toBe('ALLOW');
    expect(policy.selector.matchLabels).toEqual(
      find(set, 'Deployment', 'card-fraud-standard')!.spec.selector.matchLabels,
    );
    expect(policy.rules).toEqual([
      {
        from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/ml-istio'] } }],
        to: [{ operation: { ports: ['8080'] } }],
      },
      {
        from: [{ source: { principals: ['cluster.local/ns/payments/sa/checkout'] } }],
        to: [{ operation: { ports: ['8080'] } }],
      },
      {
        from: [{ source: { namespaces: ['monitoring'] } }],
        to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/metrics'] } }],
      },
    ]);
    // Network policy admits the caller's namespace on the runtime port.
    const ingress = find(set, 'NetworkPolicy', 'card-fraud-standard')!.spec.ingress as Json[];
    expect(ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } }, podSelector: {} }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  it('refuses a host name outside the domains the cluster profile allows', async () => {
    const spec = cardFraudSpec();
    spec.environments = { a: { cluster: 'variant' } };
    spec.serving.tiers.standard.route = { hostnames: ['fraud.example.com'] };
    await expect(
      analyzeVariants({ 'card-fraud': spec }, (p) => {
        p.clusters.variant = structuredClone(p.clusters['prod-eu']);
        httpRoutes(p.clusters.variant);
      }),
    ).rejects.toThrow(/host name `fraud.example.com` is not in a domain cluster `variant` lets specs use/);
  });
});
