// Network isolation: every pod of the system starts with no ingress and no egress at all
// (default deny), and may resolve names (kube-dns, UDP and TCP 53). Each workload then gets
// one policy listing exactly the peers and ports it needs, through `allowTraffic`.
//
// Peers are typed: pods in another namespace (by namespace name and pod labels), pods of
// this system (by workload), or an address range. Kubernetes NetworkPolicy cannot name DNS
// hosts, so egress to managed services outside the cluster is by CIDR, or HTTPS 443 to any
// address when the target has no fixed range (object storage; see `objectStorageRule`).
import * as kplus from 'cdk8s-plus-28';
import type { RenderContext } from './context.js';
import { selectorLabels, type ObjectRole } from './labels.js';

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
 * Egress to object storage (model files, datasets): HTTPS to any address. Buckets have no
 * fixed address range a NetworkPolicy could name; TLS and the storage credentials, not the
 * network, decide what can be read. Only pods that fetch from storage get this rule.
 */
export function objectStorageRule(): TrafficRule {
  return { peers: [{ cidr: '0.0.0.0/0' }], ports: [{ port: HTTPS_PORT }] };
}
