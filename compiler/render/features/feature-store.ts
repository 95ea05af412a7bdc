// Features concept: the system's Feast feature repository and the workloads around it.
//   ConfigMap  <system>-feature-repo         feature_store.yaml (+ one per extra offline kind),
//                                             features.py, .feastignore, the Python scripts
//   Job        <system>-feature-apply-<hash>  `feast apply`: registers the definitions and
//                                             prepares the online store; named by the content of
//                                             the repository and the image, so a change of
//                                             definitions is applied once, on the next sync
//   Deployment/Service <system>-feature-server            (feature-server.ts)
//   CronJob    <system>-materialize-<view>    per online view     (feature-materialize.ts)
//   Deployment <system>-feature-ingest-<view> per streamed view   (feature-ingest.ts)
//   Service    <system>-feature-metrics + ServiceMonitor: the freshness metric for alerts.
// Every pod: the Feast image from the platform config, restricted Pod Security, its own
// ServiceAccount without an API token, and a NetworkPolicy with exactly its connections.
import * as kplus from 'cdk8s-plus-28';
import type { ApiObject } from 'cdk8s';
import type { RenderContext } from '../base/context.js';
import { LABEL, type ObjectRole } from '../base/labels.js';
import { serviceAccount } from '../base/identity.js';
import { securePod } from '../base/workload.js';
import { allowTraffic, onlineStoreRule } from '../base/network-policy.js';
import { serviceMonitor } from '../base/service-monitor.js';
import { toYaml } from '../base/yaml.js';
import { contentName } from '../base/names.js';
import { contentDigest } from '../../../core/canonical-json.js';
import { FEAST_REPO_DIR, featureStoreConfigs } from './store-config.js';
import { featureDefinitions } from './definitions.js';
import { FEASTIGNORE, FRESHNESS_SCRIPT, INGEST_SCRIPT, METRICS_MODULE } from './scripts.js';
import {
  featureContainer,
  repoVolume,
  FEATURE_METRICS_LABEL,
  FEATURE_METRICS_PORT,
  FEATURE_METRICS_PORT_NAME,
  FEATURE_RESOURCES,
  type FeatureRepo,
} from './pod.js';
import { jobPodAnnotations } from '../base/mesh.js';
import { registryRules } from './network.js';
import { renderFeatureServer } from './server.js';
import { renderMaterialization } from './materialize.js';
import { renderStreamIngestion } from './ingest.js';

/** The files of the feature repository ConfigMap: file name → content. */
export function featureRepoFiles(ctx: RenderContext): Record<string, string> {
  const s = ctx.system;
  const configs = featureStoreConfigs(s);
  return {
    '.feastignore': FEASTIGNORE,
    ...Object.fromEntries(Object.entries(configs).map(([file, config]) => [file, toYaml(config)])),
    'features.py': featureDefinitions(s),
    'freshness.py': FRESHNESS_SCRIPT,
    'mlspec_metrics.py': METRICS_MODULE,
    ...(Object.values(s.spec.features.views).some((v) => v.streamSource) ? { 'ingest.py': INGEST_SCRIPT } : {}),
  };
}

/** `<system>-feature-apply-<hash8>`: new whenever the repository or the Feast image changes. */
export function featureApplyName(ctx: RenderContext, files: Readonly<Record<string, string>>): string {
  return contentName([ctx.system.name, 'feature-apply'], { files, image: ctx.system.platform.images.featureServer });
}

function renderApply(ctx: RenderContext, repo: FeatureRepo, files: Readonly<Record<string, string>>): void {
  const workload = ctx.names.part('feature-apply');
  const role: ObjectRole = { component: 'features', workload };
  const account = serviceAccount(ctx, { role });
  const pod = securePod(ctx, { role, account, annotations: jobPodAnnotations(ctx) });
  const name = featureApplyName(ctx, files);
  new kplus.Job(ctx.chart, `Job-${name}`, {
    ...pod.props,
    metadata: ctx.metadata(name, role),
    backoffLimit: 3,
    restartPolicy: kplus.RestartPolicy.NEVER,
    containers: [
      featureContainer(ctx, repoVolume(ctx, repo, workload), pod, {
        name: 'apply',
        // Sources are read (and so checked) by materialization; apply needs no offline access.
        command: ['feast', '--chdir', FEAST_REPO_DIR, 'apply', '--skip-source-validation'],
        resources: FEATURE_RESOURCES.apply,
      }),
    ],
  });
  allowTraffic(ctx, { role, egress: [onlineStoreRule(ctx), ...registryRules(ctx)] });
}

function renderMetricsService(ctx: RenderContext): void {
  const s = ctx.system;
  const name = ctx.names.part('feature-metrics');
  const role: ObjectRole = { component: 'features', workload: name };
  const selector = { [LABEL.system]: s.name, [FEATURE_METRICS_LABEL]: 'true' };
  new kplus.Service(ctx.chart, `Service-${name}`, {
    metadata: ctx.metadata(name, role),
    selector: kplus.Pods.select(ctx.chart, `Service-${name}-pods`, { labels: selector }),
    ports: [{ name: FEATURE_METRICS_PORT_NAME, port: FEATURE_METRICS_PORT, targetPort: FEATURE_METRICS_PORT }],
  });
  if (!s.cluster.components.prometheusOperator) return;
  const monitor = ctx.names.part('features');
  serviceMonitor(ctx, {
    role,
    name: monitor,
    serviceLabels: { [LABEL.system]: s.name, [LABEL.name]: name },
    port: FEATURE_METRICS_PORT_NAME,
  });
  // The Prometheus instance selects monitors by the profile's labels.
  const object = ctx.chart.node.findChild(`ServiceMonitor-${monitor}`) as ApiObject;
  for (const [k, v] of Object.entries(s.cluster.monitoring.ruleLabels ?? {})) object.metadata.addLabel(k, v);
}

export function renderFeatureStore(ctx: RenderContext): void {
  const files = featureRepoFiles(ctx);
  const name = ctx.names.part('feature-repo');
  const configMap = new kplus.ConfigMap(ctx.chart, `ConfigMap-${name}`, {
    metadata: ctx.metadata(name, { component: 'features', workload: name }),
    data: files,
  });
  const startup = Object.fromEntries(Object.entries(files).filter(([file]) => file !== 'features.py'));
  const repo: FeatureRepo = { configMap, startupDigest: contentDigest(startup).slice(0, 16) };
  renderApply(ctx, repo, files);
  renderFeatureServer(ctx, repo);
  renderMaterialization(ctx, repo);
  renderStreamIngestion(ctx, repo);
  renderMetricsService(ctx);
}
