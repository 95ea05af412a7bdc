// Encryption in transit with Istio (when the cluster profile has it): a PeerAuthentication
// requiring mutual TLS for every pod of the system, and what the mesh needs to work under
// default-deny: sidecars reach istiod (xDS and certificates).
import type { RenderContext } from '../base/context.js';
import { customResource } from '../base/custom-resource.js';
import { LABEL, type ObjectRole } from '../base/labels.js';
import { ISTIO_NAMESPACE, ISTIOD_PORT } from '../base/mesh.js';
import { allowTraffic } from '../base/network-policy.js';

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
