// The platform config: written once by the platform team, read by every compile. Teams never
// write node labels, tolerations or resource names; they name a logical accelerator and a cluster.
import { PlatformWaiver } from './waiver.js';
import { Type, type Static } from '@sinclair/typebox';
import { API_VERSION, DNS_LABEL, LABEL_KEY, REGION } from '../../core/schema/patterns.js';
import { Closed, StringEnum } from '../../core/schema/typebox.js';
import { Image, LabelMap, Name, NamedMap, Uri } from './common.js';

export const Toleration = Closed({
  key: Type.String({ pattern: LABEL_KEY }),
  operator: StringEnum(['Equal', 'Exists'], { default: 'Exists' }),
  value: Type.Optional(Type.String()),
  effect: Type.Optional(StringEnum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])),
});
export type Toleration = Static<typeof Toleration>;

const ExtendedResource = Type.String({
  pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)/[a-z0-9]([-a-z0-9._]*[a-z0-9])?$',
  description: 'Extended resource name, e.g. `nvidia.com/gpu` or `nvidia.com/mig-1g.10gb`.',
});

export const AcceleratorProfile = Closed(
  {
    resource: ExtendedResource,
    nodeSelector: LabelMap(
      'Node labels that select this accelerator, e.g. `nvidia.com/gpu.product`, ' +
        '`cloud.google.com/gke-accelerator` or `karpenter.k8s.aws/instance-gpu-name`.',
    ),
    tolerations: Type.Array(Toleration, { default: [], description: 'Taints of the GPU node pool.' }),
    migProfiles: Type.Optional(
      Type.Record(Type.String(), ExtendedResource, {
        propertyNames: { pattern: '^[0-9]+g\\.[0-9]+gb$' },
        description: 'MIG profiles offered (mixed strategy): profile name to resource name.',
      }),
    ),
  },
  { description: 'How pods get one logical accelerator type on this cluster.' },
);
export type AcceleratorProfile = Static<typeof AcceleratorProfile>;

export const Components = Closed(
  {
    argoWorkflows: Type.Boolean({ default: false }),
    argoRollouts: Type.Boolean({ default: false }),
    keda: Type.Boolean({ default: false }),
    prometheusOperator: Type.Boolean({ default: false }),
    istio: Type.Boolean({ default: false }),
  },
  { description: 'Optional cluster components that generated objects may rely on.' },
);
export type Components = Static<typeof Components>;

export const ClusterProfile = Closed(
  {
    region: Type.String({ pattern: REGION, description: 'Cloud region the cluster runs in.' }),
    components: Components,
    accelerators: NamedMap(AcceleratorProfile, DNS_LABEL, 'Logical accelerator types available on this cluster.'),
    storageClasses: Closed({
      encrypted: Type.String({
        pattern: DNS_LABEL,
        description: 'Storage class with encryption at rest, used for every volume.',
      }),
    }),
    gateway: Closed(
      {
        namespace: Type.String({ pattern: DNS_LABEL }),
        podLabels: LabelMap('Labels of the gateway pods allowed to call serving.'),
      },
      { description: 'Where inference traffic enters the cluster.' },
    ),
    monitoring: Closed({
      namespace: Type.String({ pattern: DNS_LABEL, description: 'Namespace of Prometheus, allowed to scrape.' }),
      prometheusUrl: Type.String({
        pattern: '^https?://\\S+$',
        description: 'Prometheus used by KEDA triggers and rollout analysis.',
      }),
      ruleLabels: Type.Optional(LabelMap('Labels the Prometheus rule and monitor selectors expect.')),
    }),
    featureStore: Closed({
      registry: Uri('Feast registry location.'),
      onlineStore: Closed({
        type: StringEnum(['redis', 'postgres', 'dynamodb']),
        connectionString: Type.String({
          minLength: 1,
          description: 'Connection string; secrets come from `secretName`.',
        }),
        secretName: Type.String({ pattern: DNS_LABEL, description: 'Secret with the store credentials.' }),
        port: Type.Integer({ minimum: 1, maximum: 65535 }),
        namespace: Type.Optional(
          Type.String({
            pattern: DNS_LABEL,
            description: 'Namespace of a self-hosted online store; omit for a managed service.',
          }),
        ),
        cidr: Type.Optional(
          Type.String({ pattern: '^[0-9.]+/[0-9]+$', description: 'Address range of a managed online store.' }),
        ),
      }),
    }),
    requireImageDigest: Type.Boolean({ default: false, description: 'Refuse images not pinned by `@sha256:` digest.' }),
  },
  { description: 'One cluster (or cluster class) environments deploy to.' },
);
export type ClusterProfile = Static<typeof ClusterProfile>;

export const Team = Closed({
  namespace: Type.String({
    pattern: '^[a-z0-9{}-]+$',
    maxLength: 63,
    description: 'Namespace template; `{env}` and `{team}` are replaced. Default `{team}-{env}`.',
  }),
  gpuQuota: Type.Optional(
    Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
      propertyNames: { pattern: DNS_LABEL },
      description: 'Most accelerators of each type the team may request per environment.',
    }),
  ),
});
export type Team = Static<typeof Team>;

export const Platform = Closed(
  {
    apiVersion: Type.Literal(API_VERSION),
    kind: Type.Literal('Platform'),
    metadata: Closed({ name: Name('Platform name.', 63) }),
    registries: Type.Array(Type.String({ pattern: '^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*/?$' }), {
      minItems: 1,
      description: 'Approved image registry prefixes.',
    }),
    regions: Type.Array(Type.String({ pattern: REGION }), {
      minItems: 1,
      description: 'Regions the platform operates in.',
    }),
    images: Closed(
      {
        runtime: Image('The mlspec serving runtime image.'),
        modelFetcher: Image('Image that downloads model files (init container).'),
        modelFetchCommand: Type.Array(Type.String(), {
          minItems: 1,
          description:
            'Command of the fetcher; the model URI and the destination path are appended. E.g. `[rclone, copyto]`.',
        }),
        featureServer: Image('Feast feature server image (also runs materialization and ingestion).'),
      },
      { description: 'Images of the generated workloads.' },
    ),
    teams: NamedMap(Team, DNS_LABEL, 'Teams allowed to deploy, by name.', 1),
    clusters: NamedMap(ClusterProfile, DNS_LABEL, 'Cluster profiles by name.', 1),
    policy: Type.Optional(
      Closed(
        {
          paths: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              description:
                "The platform team's policy folders (Rego and data files), relative to this file; every " +
                "system is checked against them beside the repository's `policies/`.",
            }),
          ),
          waivers: Type.Optional(Type.Array(PlatformWaiver, { description: 'Exceptions the platform team granted.' })),
        },
        { description: 'Compliance policies and their exceptions.' },
      ),
    ),
  },
  {
    $id: 'https://mlspec.io/schemas/v1alpha1/platform.json',
    title: 'mlspec Platform',
    description: 'Platform team configuration: clusters, accelerators, registries, teams.',
  },
);
export type Platform = Static<typeof Platform>;
