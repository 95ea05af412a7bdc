// Network isolation: every pod of the system starts with no ingress and no egress at all
// (default deny), and may resolve names (kube-dns, UDP and TCP 53). Each workload then gets
// one policy listing exactly the peers and ports it needs, through `allowTraffic`.
//
// Peers are typed: pods in another namespace (by namespace name and pod labels), pods of
// this system (by workload), or an address range. Kubernetes NetworkPolicy cannot name DNS
// hosts: egress to anything the spec names (brokers, registries, object storage) goes only to
// the peers of the cluster profile's approved endpoints that resolve checked it against
// (`approvedRules`), never to an address the spec chose.
import * as kplus from 'cdk8s-plus-28';
import type { RenderContext } from './context.js';
import { selectorLabels, type ObjectRole } from './labels.js';
import type { EndpointUse } from '../../resolve/resolved.js';
import { compareCodeUnits } from '../../../core/compare.js';

export type Peer =
  /** Pods in another namespace; all of its pods when `podLabels` is absent. */
  | { readonly namespace: string; readonly podLabels?: Readonly<Record<string, string>> }
  /** Pods of one of this system's workloads (same namespace). */
  | { readonly workload: string }
  /** An IPv4 range, optionally with holes. */
  | { readonly cidr: string; readonly except?: readonly string[] };

export interface PortRule {
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

export interface TrafficRule {
  readonly peers: readonly Peer[];
  readonly ports: readonly PortRule[];
}

export interface AllowTrafficProps {
  readonly role: ObjectRole;
  /** Policy name; default the workload name. */
  readonly name?: string;
  /** Pods the policy is for; default the workload's selector labels. */
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly ingress?: readonly TrafficRule[];
  readonly egress?: readonly TrafficRule[];
}

export const DNS_NAMESPACE = 'kube-system';
export const DNS_POD_LABELS = { 'k8s-app': 'kube-dns' } as const;
export const HTTPS_PORT = 443;

function peerConstruct(ctx: RenderContext, id: string, peer: Peer): kplus.INetworkPolicyPeer {
  const scope = ctx.chart;
  if ('cidr' in peer)
    return kplus.NetworkPolicyIpBlock.ipv4(scope, id, peer.cidr, peer.except ? [...peer.except] : undefined);
  if ('workload' in peer) return kplus.Pods.select(scope, id, { labels: selectorLabels(ctx.system, peer.workload) });
  const namespaces = kplus.Namespaces.select(scope, `${id}-ns`, { names: [peer.namespace] });
  return kplus.Pods.select(scope, id, { labels: { ...(peer.podLabels ?? {}) }, namespaces });
}

function policyRules(ctx: RenderContext, id: string, rules: readonly TrafficRule[]): kplus.NetworkPolicyRule[] {
  return rules.flatMap((rule, r) =>
    rule.peers.map((peer, p) => ({
      peer: peerConstruct(ctx, `${id}-${r}-${p}`, peer),
      ports: rule.ports.map((port) =>
        port.protocol === 'UDP' ? kplus.NetworkPolicyPort.udp(port.port) : kplus.NetworkPolicyPort.tcp(port.port),
      ),
    })),
  );
}

/** One NetworkPolicy allowing exactly the given traffic for one workload's pods. */
export function allowTraffic(ctx: RenderContext, props: AllowTrafficProps): kplus.NetworkPolicy {
  const name = props.name ?? props.role.workload;
  const id = `NetworkPolicy-${name}`;
  const labels = props.podLabels ?? selectorLabels(ctx.system, props.role.workload);
  return new kplus.NetworkPolicy(ctx.chart, id, {
    metadata: ctx.metadata(name, props.role),
    selector: kplus.Pods.select(ctx.chart, `${id}-pods`, { labels: { ...labels } }),
    ingress: { rules: policyRules(ctx, `${id}-in`, props.ingress ?? []) },
    egress: { rules: policyRules(ctx, `${id}-out`, props.egress ?? []) },
  });
}

/** Egress to the profile's identity endpoints (metadata server, STS), for pods with a cloud identity. */
export function identityRules(ctx: RenderContext): TrafficRule[] {
  const names = ctx.system.cluster.identity?.endpoints ?? [];
  const uses = names.flatMap((endpoint) => {
    const e = ctx.system.cluster.endpoints[endpoint];
    if (!e) throw new Error(`internal: identity endpoint \`${endpoint}\` is not approved`);
    return e.ports.map((port) => ({ endpoint, host: e.hosts[0]!, port }));
  });
  return approvedRules(ctx, uses);
}

/** Egress to the Kubernetes API server (the profile's control-plane addresses), for pods that call it. */
export function apiServerRule(ctx: RenderContext): TrafficRule {
  const api = ctx.system.cluster.apiServer;
  return { peers: api.cidrs.map((cidr) => ({ cidr })), ports: api.ports.map((port) => ({ port })) };
}

/** Egress to the cluster profile's online feature store (a namespace or a managed range). */
export function onlineStoreRule(ctx: RenderContext): TrafficRule {
  const store = ctx.system.cluster.featureStore.onlineStore;
  const peers: Peer[] = [];
  if (store.namespace) peers.push({ namespace: store.namespace });
  if (store.cidr) peers.push({ cidr: store.cidr });
  if (peers.length === 0) throw new Error('internal: the online store has neither a namespace nor a CIDR');
  return { peers, ports: [{ port: store.port }] };
}

/**
 * Egress to approved endpoints (resolve checked every host against the profile): one rule per
 * endpoint, with its declared peers (a namespace and pod labels, or address ranges) and the
 * ports in use. Endpoints are named in sorted order, so the output is stable.
 */
export function approvedRules(ctx: RenderContext, uses: readonly EndpointUse[]): TrafficRule[] {
  const ports = new Map<string, Set<number>>();
  for (const u of uses) ports.set(u.endpoint, (ports.get(u.endpoint) ?? new Set<number>()).add(u.port));
  return [...ports.keys()].sort(compareCodeUnits).map((name) => {
    const e = ctx.system.cluster.endpoints[name];
    if (!e) throw new Error(`internal: no approved endpoint \`${name}\``);
    const peers: Peer[] = [
      ...(e.namespace ? [{ namespace: e.namespace, ...(e.podLabels ? { podLabels: e.podLabels } : {}) }] : []),
      ...(e.cidrs ?? []).map((cidr) => ({ cidr })),
    ];
    if (peers.length === 0) throw new Error(`internal: approved endpoint \`${name}\` has no peers`);
    return { peers, ports: [...ports.get(name)!].sort((a, b) => a - b).map((port) => ({ port })) };
  });
}
