// Every pod of a system starts from default deny in both directions; each workload then adds
// exactly the allows it needs (base/network-policy.ts). DNS is the one allow every pod gets.
import * as kplus from 'cdk8s-plus-28';
import type { RenderContext } from '../base/context.js';
import { LABEL, type ObjectRole } from '../base/labels.js';
import { allowTraffic, DNS_NAMESPACE, DNS_POD_LABELS } from '../base/network-policy.js';

const NETWORK_ROLE = (ctx: RenderContext): ObjectRole => ({ component: 'network', workload: ctx.names.system });

/** Default deny for every pod of the system, plus DNS for all of them. */
export function renderNetworkBase(ctx: RenderContext): void {
  const role = NETWORK_ROLE(ctx);
  const systemPods = { [LABEL.system]: ctx.system.name };
  new kplus.NetworkPolicy(ctx.chart, 'NetworkPolicy-default-deny', {
    metadata: ctx.metadata(ctx.names.part('default-deny'), role),
    selector: kplus.Pods.select(ctx.chart, 'NetworkPolicy-default-deny-pods', { labels: systemPods }),
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  allowTraffic(ctx, {
    role,
    name: ctx.names.part('allow-dns'),
    podLabels: systemPods,
    egress: [
      {
        peers: [{ namespace: DNS_NAMESPACE, podLabels: DNS_POD_LABELS }],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
    ],
  });
}
