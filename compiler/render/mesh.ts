// Encryption in transit with Istio (when the cluster profile has it): a PeerAuthentication
// requiring mutual TLS for every pod of the system, and what the mesh needs to work under
// default-deny: sidecars reach istiod (xDS and certificates, TCP 15012).
//
// Assumes Istio's CNI plugin (the istio-init container needs NET_ADMIN, which the restricted
// Pod Security Standard forbids) and istiod in `istio-system`.
import type { RenderContext } from './context.js';
import { customResource } from './custom-resource.js';
import { LABEL, type ObjectRole } from './labels.js';
import { allowTraffic } from './network-policy.js';

export const ISTIO_NAMESPACE = 'istio-system';
export const ISTIOD_PORT = 15012;

export interface MeshPodOptions {
  /** The pod's init containers download over HTTPS (model fetchers). */
  readonly fetchesOverHttps: boolean;
}

/**
 * With Istio CNI, traffic is redirected to the sidecar before init containers run, when no
 * sidecar is up yet: their HTTPS downloads would fail. Port 443 bypasses the sidecar (it is
 * TLS end to end anyway). No annotations without Istio.
 */
export function meshPodAnnotations(ctx: RenderContext, options: MeshPodOptions): Record<string, string> {
  if (!ctx.system.cluster.components.istio || !options.fetchesOverHttps) return {};
  return { 'traffic.sidecar.istio.io/excludeOutboundPorts': '443' };
}

export function renderMesh(ctx: RenderContext): void {
  if (!ctx.system.cluster.components.istio) return;
  const role: ObjectRole = { component: 'network', workload: ctx.names.system };
  const systemPods = { [LABEL.system]: ctx.system.name };
  customResource(ctx, {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    name: ctx.names.system,
    role,
    body: { spec: { selector: { matchLabels: systemPods }, mtls: { mode: 'STRICT' } } },
  });
  allowTraffic(ctx, {
    role,
    name: ctx.names.part('allow-istiod'),
    podLabels: systemPods,
    egress: [{ peers: [{ namespace: ISTIO_NAMESPACE, podLabels: { app: 'istiod' } }], ports: [{ port: ISTIOD_PORT }] }],
  });
}
