// How requests reach a serving tier, and who may send them:
//
//   HTTPRoute <tier>        Gateway API route from the profile's gateway (`gateway.routes.kind:
//                           httpRoute`): the tier's host names and path prefix, the prefix removed
//   VirtualService <tier>   Istio routes of the tier's Service host. Bound to the profile's Istio
//                           Gateway too when `gateway.routes.kind` is `virtualService`, so one
//                           object routes gateway and in-mesh traffic alike. Under Argo Rollouts
//                           with Istio its routes send each request to the `stable` or `canary`
//                           subset with the weights Argo sets, and Argo adds the shadow's mirror
//                           route on top (`setMirrorRoute`): the weights are exact whatever the
//                           replica counts
//   DestinationRule <tier>  the subsets; Argo Rollouts adds each revision's pod-template hash
//   Service <tier>-stable   the stable revision alone (Argo's stable pod label): the backend of an
//                           HTTPRoute while Istio divides the traffic, since Istio applies
//                           VirtualServices at sidecars and its own gateways, not at a Gateway API
//                           gateway (shadow pods must never answer gateway requests)
//   AuthorizationPolicy <tier>  with Istio: the gateway's service account (or namespace), the
//                           callers the spec lists, and Prometheus for /metrics; nothing else
//
// Argo CD sees the weights Argo Rollouts sets in the VirtualService as drift during a rollout:
// the Application must ignore `/spec/http/*/route/*/weight` (README).
import * as kplus from 'cdk8s-plus-28';
import type { ResolvedRoute } from '../../resolve/resolved.js';
import type { RenderContext } from '../base/context.js';
import { customResource } from '../base/custom-resource.js';
import type { ObjectRole } from '../base/labels.js';
import { HTTP_PORT_NAME, trafficRouter } from '../base/serving-mode.js';
import { RUNTIME_PORT } from './runtime-config.js';

export const STABLE_SUBSET = 'stable';
export const CANARY_SUBSET = 'canary';
/** The route Argo Rollouts adds for a shadow's mirror. */
export const MIRROR_ROUTE = 'shadow';
/** Pod label Argo Rollouts keeps on each revision (`stableMetadata`, `canaryMetadata`). */
export const RELEASE_ROLE_LABEL = 'mlspec.io/release-role';

/** What the Rollout needs to know of the Istio objects (absent when Istio does not route). */
export interface IstioRouting {
  readonly virtualService: string;
  readonly routes: readonly string[];
  readonly destinationRule: string;
}

export interface TierRoutingProps {
  readonly role: ObjectRole;
  readonly tier: string;
  /** The tier's pod selector. */
  readonly selector: Readonly<Record<string, string>>;
  /** The tier's Service (every revision; the active one under blue-green). */
  readonly service: string;
}

/** Routes of a VirtualService: one for everything, or the gateway's (with its prefix) and the mesh's. */
function virtualServiceRoutes(
  gateway: string | undefined,
  route: ResolvedRoute | undefined,
  destinations: readonly Record<string, unknown>[],
): Record<string, unknown>[] {
  if (!gateway || !route || route.path === '/') return [{ name: 'primary', route: destinations }];
  return [
    {
      name: 'gateway',
      match: [{ gateways: [gateway], uri: { prefix: `${route.path}/` } }],
      rewrite: { uri: '/' },
      route: destinations,
    },
    { name: 'mesh', match: [{ gateways: ['mesh'] }], route: destinations },
  ];
}

function httpRoute(ctx: RenderContext, props: TierRoutingProps, route: ResolvedRoute, backend: string): void {
  const routes = ctx.system.cluster.gateway.routes!;
  const g = routes.gateway;
  customResource(ctx, {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    name: props.role.workload,
    role: props.role,
    body: {
      spec: {
        parentRefs: [
          { name: g.name, namespace: g.namespace, ...(g.sectionName ? { sectionName: g.sectionName } : {}) },
        ],
        hostnames: [...route.hostnames],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: route.path } }],
            ...(route.path === '/'
              ? {}
              : {
                  filters: [
                    {
                      type: 'URLRewrite',
                      urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } },
                    },
                  ],
                }),
            backendRefs: [{ name: backend, port: RUNTIME_PORT }],
          },
        ],
      },
    },
  });
}

/** The stable revision's pods only, for gateway traffic that Istio does not divide. */
function stableService(ctx: RenderContext, props: TierRoutingProps): string {
  const name = ctx.names.tierPart(props.tier, 'stable');
  // Its own component, so the ServiceMonitor (which selects `serving`) scrapes no pod twice.
  const role: ObjectRole = { ...props.role, component: 'serving-stable', workload: name };
  new kplus.Service(ctx.chart, `Service-${name}`, {
    metadata: ctx.metadata(name, role),
    selector: kplus.Pods.select(ctx.chart, `Service-${name}-pods`, {
      labels: { ...props.selector, [RELEASE_ROLE_LABEL]: STABLE_SUBSET },
    }),
    ports: [{ name: HTTP_PORT_NAME, port: RUNTIME_PORT, targetPort: RUNTIME_PORT }],
  });
  return name;
}

/** Istio's view of who may call the tier: principals where known, else namespaces. */
function authorizationPolicy(ctx: RenderContext, props: TierRoutingProps): void {
  const s = ctx.system;
  const domain = s.cluster.meshTrustDomain;
  const principal = (namespace: string, account: string) => `${domain}/ns/${namespace}/sa/${account}`;
  const gateway = s.cluster.gateway;
  const port = { ports: [String(RUNTIME_PORT)] };
  const callers = s.spec.serving.callers ?? [];
  customResource(ctx, {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    name: props.role.workload,
    role: props.role,
    body: {
      spec: {
        selector: { matchLabels: { ...props.selector } },
        action: 'ALLOW',
        rules: [
          {
            from: [
              {
                source: gateway.serviceAccount
                  ? { principals: [principal(gateway.namespace, gateway.serviceAccount)] }
                  : { namespaces: [gateway.namespace] },
              },
            ],
            to: [{ operation: port }],
          },
          ...(callers.length
            ? [
                {
                  from: [{ source: { principals: callers.map((c) => principal(c.namespace, c.serviceAccount)) } }],
                  to: [{ operation: port }],
                },
              ]
            : []),
          {
            from: [{ source: { namespaces: [s.cluster.monitoring.namespace] } }],
            to: [{ operation: { ...port, methods: ['GET'], paths: ['/metrics'] } }],
          },
        ],
      },
    },
  });
}

/** Renders the tier's routes and mesh policy; returns what a Rollout needs to route through Istio. */
export function renderTierRouting(ctx: RenderContext, props: TierRoutingProps): IstioRouting | undefined {
  const s = ctx.system;
  const route = s.routes[props.tier];
  const kind = s.cluster.gateway.routes?.kind;
  const istio = s.cluster.components.istio;
  const divided = trafficRouter(s) === 'istio';
  if (istio) authorizationPolicy(ctx, props);
  if (route && kind === 'httpRoute') httpRoute(ctx, props, route, divided ? stableService(ctx, props) : props.service);

  const g = s.cluster.gateway.routes?.gateway;
  const gateway = route && kind === 'virtualService' && g ? `${g.namespace}/${g.name}` : undefined;
  if (!divided && !gateway) return undefined;
  const name = props.role.workload;
  const destination = (subset?: string) => ({
    host: props.service,
    ...(subset ? { subset } : {}),
    port: { number: RUNTIME_PORT },
  });
  const destinations = divided
    ? [
        { destination: destination(STABLE_SUBSET), weight: 100 },
        { destination: destination(CANARY_SUBSET), weight: 0 },
      ]
    : [{ destination: destination() }];
  const http = virtualServiceRoutes(gateway, route, destinations);
  customResource(ctx, {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    name,
    role: props.role,
    body: {
      spec: {
        // The Service's short name: Istio reads it in the VirtualService's namespace.
        hosts: [...(gateway ? route!.hostnames : []), ...(divided ? [props.service] : [])],
        gateways: [...(gateway ? [gateway] : []), ...(divided ? ['mesh'] : [])],
        http: divided || !route || route.path === '/' ? http : http.slice(0, 1),
      },
    },
  });
  if (!divided) return undefined;
  customResource(ctx, {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    name,
    role: props.role,
    body: {
      spec: {
        host: props.service,
        // Argo Rollouts adds `rollouts-pod-template-hash` to each subset's labels.
        subsets: [STABLE_SUBSET, CANARY_SUBSET].map((subset) => ({ name: subset, labels: { ...props.selector } })),
      },
    },
  });
  return { virtualService: name, routes: http.map((r) => r.name as string), destinationRule: name };
}
