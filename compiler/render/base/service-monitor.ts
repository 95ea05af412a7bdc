// Scraping with prometheus-operator: a ServiceMonitor for some of the system's Services. Under
// Istio STRICT mTLS, Prometheus scrapes over HTTPS with its workload certificate.
import type { RenderContext } from './context.js';
import { customResource } from './custom-resource.js';
import type { ObjectRole } from './labels.js';

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

/** A ServiceMonitor for some of the system's Services (serving tiers, the feature server). */
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
