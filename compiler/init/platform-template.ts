// The platform config `mlspec init` writes for a new repository: one cluster profile per
// environment on the chosen cloud, one team, registries and images to replace.
import { CLOUD_FACTS, type Cloud, type Endpoint } from './clouds.js';

export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const REGISTRY = 'registry.example.com/ml';
const ZERO = '0'.repeat(64);

export interface PlatformOptions {
  readonly cloud: Cloud;
  readonly team: string;
}

/** Cluster profile names, one per environment. */
export function clusterNames(cloud: Cloud): Record<Environment, string> {
  return { dev: `${cloud}-dev`, staging: `${cloud}-staging`, prod: `${cloud}-prod` };
}

function endpoint(e: Endpoint): string {
  const list = (xs: readonly (string | number)[]) =>
    `[${xs.map((x) => (typeof x === 'string' && /[*:]/.test(x) ? `"${x}"` : x)).join(', ')}]`;
  return `      ${e.name}: { hosts: ${list(e.hosts)}, ports: ${list(e.ports)}, cidrs: ${list(e.cidrs)} }   # ${e.note}`;
}

function cluster(cloud: Cloud, env: Environment): string {
  const f = CLOUD_FACTS[cloud];
  const prod = env === 'prod';
  const full = env !== 'dev';
  const gpu = (name: 'l4' | 'a100-80gb') => [
    `      ${name}:`,
    '        resource: nvidia.com/gpu',
    `        nodeSelector: { ${f.gpuLabel}: ${f.gpus[name]} }`,
    `        tolerations: [${f.gpuToleration}]`,
  ];
  return [
    `  ${clusterNames(cloud)[env]}:`,
    `    region: ${f.region}`,
    '    # Optional controllers: set each to true once it runs on the cluster.',
    `    components: { argoWorkflows: ${full}, argoRollouts: ${prod}, keda: ${full}, ` +
      'prometheusOperator: true, istio: true }',
    '    accelerators:',
    ...gpu('l4'),
    ...(prod ? gpu('a100-80gb') : []),
    `    storageClasses: { encrypted: ${f.storageClass} }`,
    '    gateway: { namespace: istio-ingress, podLabels: { istio: ingressgateway } }',
    '    monitoring: { namespace: monitoring, prometheusUrl: "http://prometheus-operated.monitoring.svc:9090" }',
    '    featureStore:',
    `      registry: ${f.bucket}/feast/${env}/registry.db`,
    '      onlineStore: { type: redis, connectionString: "redis.feast.svc:6379", secretName: feast-online-store, ' +
      'port: 6379, namespace: feast }',
    `    requireImageDigest: ${full}`,
    `    apiServer: { cidrs: [${f.apiServerCidr}] }   # the control plane behind kubernetes.default`,
    ...(f.identity ? [`    identity: ${f.identity}`] : []),
    '    # Approved endpoints: the only outside peers specs may name and network policy opens.',
    '    endpoints:',
    ...f.endpoints.map(endpoint),
    ...(f.objectStorage ? [`    objectStorage: ${f.objectStorage}`] : []),
  ].join('\n');
}

export function platformConfig({ cloud, team }: PlatformOptions): string {
  const f = CLOUD_FACTS[cloud];
  return `# yaml-language-server: $schema=./schema/platform.schema.json
# The platform config, written by \`mlspec init --cloud ${cloud}\` for ${f.title}. The platform team
# owns it: ML teams name a cluster profile and a logical accelerator, never node labels.
# Replace the registry, images, account ids and address ranges with your own;
# \`mlspec schema platform\` documents every field.
apiVersion: mlspec.io/v1alpha1
kind: Platform
metadata:
  name: my-ml-platform

# Images may only come from these registries (the secure_images policy checks it).
registries:
  - ${REGISTRY}

regions: [${f.region}]

images:
  runtime: ${REGISTRY}/mlspec-runtime:0.1.0@sha256:${ZERO}
  modelFetcher: ${REGISTRY}/rclone:1.68@sha256:${ZERO}
  featureServer: ${REGISTRY}/feast:0.40@sha256:${ZERO}

teams:
  ${team}:
    namespace: "{team}-{env}"
    gpuQuota: { l4: 4 }

clusters:
${ENVIRONMENTS.map((env) => cluster(cloud, env)).join('\n\n')}
`;
}
