// Encryption in transit with Istio (when the cluster profile has it): a PeerAuthentication
// requiring mutual TLS for every pod of the system, and what the mesh needs to work under
// default-deny: sidecars reach istiod (xDS and certificates, TCP 15012).
//
// Assumes Istio's CNI plugin (the istio-init container needs NET_ADMIN, which the restricted
// Pod Security Standard forbids) and istiod in `istio-system`.
import type { RenderContext } from './context.js';

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

/**
 * Pod annotations of run-to-completion pods (Jobs, CronJobs, workflow steps). With Istio, the sidecar
 * runs as a native sidecar (an init container that Kubernetes stops when the job's containers
 * end); a classic sidecar would keep the Job from ever completing.
 */
export function jobPodAnnotations(ctx: RenderContext): Record<string, string> {
  return ctx.system.cluster.components.istio ? { 'sidecar.istio.io/nativeSidecar': 'true' } : {};
}
