// Monitoring, when the cluster profile has prometheus-operator: a ServiceMonitor for the
// serving tiers and a PrometheusRule with the system's alerts. Every alert carries summary,
// description and runbook_url annotations, and `severity` plus the receiver from
// `monitoring.alerts` as labels for Alertmanager routing. Without prometheus-operator the
// runtime still exports its metrics; the platform's own scrape config picks them up.
import type { RenderContext } from './context.js';
import { customResource } from './custom-resource.js';
import { LABEL, type ObjectRole } from './labels.js';
import { alertGroups } from './alerts.js';
import { HTTP_PORT_NAME } from './serving-pod.js';

export const SCRAPE_INTERVAL = '30s';

/** Istio's documented scrape TLS for STRICT mTLS: Prometheus mounts its workload certificate here. */
const ISTIO_SCRAPE_TLS = {
  caFile: '/etc/prom-certs/root-cert.pem',
  certFile: '/etc/prom-certs/cert-chain.pem',
  keyFile: '/etc/prom-certs/key.pem',
  insecureSkipVerify: true,
};

export interface ServiceMonitorProps {
  readonly role: ObjectRole;
  readonly name: string;
  /** Labels of the Services to scrape. */
  readonly serviceLabels: Readonly<Record<string, string>>;
  readonly port: string;
  readonly path?: string;
  readonly extraLabels?: Readonly<Record<string, string>>;
}

/** A ServiceMonitor for some of the system's Services (part B's feature server uses it too). */
export function serviceMonitor(ctx: RenderContext, props: ServiceMonitorProps): void {
  const istio = ctx.system.cluster.components.istio;
  customResource(ctx, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    name: props.name,
    role: props.role,
    ...(props.extraLabels ? { extraLabels: props.extraLabels } : {}),
    body: {
      spec: {
        selector: { matchLabels: { ...props.serviceLabels } },
        namespaceSelector: { matchNames: [ctx.system.namespace] },
        endpoints: [
          {
            port: props.port,
            path: props.path ?? '/metrics',
            interval: SCRAPE_INTERVAL,
            ...(istio ? { scheme: 'https', tlsConfig: ISTIO_SCRAPE_TLS } : {}),
          },
        ],
      },
    },
  });
}

export function renderMonitoring(ctx: RenderContext): void {
  const s = ctx.system;
  if (!s.cluster.components.prometheusOperator) return;
  // The Prometheus instance selects monitors and rules by the profile's labels.
  const extraLabels = s.cluster.monitoring.ruleLabels ?? {};
  const role: ObjectRole = { component: 'monitoring', workload: ctx.names.system };
  serviceMonitor(ctx, {
    role,
    name: ctx.names.part('serving'),
    serviceLabels: { [LABEL.system]: s.name, [LABEL.mlComponent]: 'serving' },
    port: HTTP_PORT_NAME,
    extraLabels,
  });
  customResource(ctx, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    name: ctx.names.system,
    role,
    extraLabels,
    body: { spec: { groups: alertGroups(ctx) } },
  });
}
