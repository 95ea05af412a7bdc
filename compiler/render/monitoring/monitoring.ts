// Monitoring, when the cluster profile has prometheus-operator: a ServiceMonitor for the
// serving tiers and a PrometheusRule with the system's alerts. Every alert carries summary,
// description and runbook_url annotations, and `severity` plus the receiver from
// `monitoring.alerts` as labels for Alertmanager routing. Without prometheus-operator the
// runtime still exports its metrics; the platform's own scrape config picks them up.
import type { RenderContext } from '../base/context.js';
import { customResource } from '../base/custom-resource.js';
import { serviceMonitor } from '../base/service-monitor.js';
import { HTTP_PORT_NAME } from '../base/serving-mode.js';
import { LABEL, type ObjectRole } from '../base/labels.js';
import { alertGroups } from './alerts.js';

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
