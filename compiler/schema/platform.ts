// The platform config: written once by the platform team, read by every compile. Teams never
// write node labels, tolerations or resource names; they name a logical accelerator and a cluster.
import { PlatformWaiver } from './waiver.js';
import { Type, type Static, type TArray, type TOptional, type TString } from '@sinclair/typebox';
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

/** Kinds of workload the platform schedules differently (priority, dedicated node pools). */
export const WORKLOAD_KINDS = ['serving', 'features', 'training', 'batch'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';
export const MIG_PROFILE = '^[0-9]+g\\.[0-9]+gb$';
/** Node label GKE puts on nodes whose GPUs are MIG partitions of this size. */
export const GKE_PARTITION_LABEL = 'cloud.google.com/gke-gpu-partition-size';

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
        propertyNames: { pattern: MIG_PROFILE },
        description:
          'MIG profiles offered: profile name to the resource a slice is requested as (`nvidia.com/mig-1g.10gb` ' +
          'with the NVIDIA `mixed` strategy, `nvidia.com/gpu` on GKE partitions).',
      }),
    ),
    migStrategy: StringEnum(['mixed', 'gke'], {
      default: 'mixed',
      description:
        'How MIG slices reach pods. `mixed`: the NVIDIA device plugin advertises one resource per profile. ' +
        '`gke`: GKE partitions whole node pools (label `cloud.google.com/gke-gpu-partition-size`) and ' +
        'advertises slices as the plain GPU resource; slice pods select the partition size, whole-GPU ' +
        'pods are kept off partitioned nodes.',
    }),
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
    kueue: Type.Boolean({
      default: false,
      description:
        'Kueue (v0.9 or later, with the `pod` integration enabled for team namespaces): GPU training is queued ' +
        'and a distributed train step is admitted as one gang.',
    }),
  },
  { description: 'Optional cluster components that generated objects may rely on.' },
);
export type Components = Static<typeof Components>;

/** A host name, or a pattern where `*` stands for any run of name characters within one label. */
const HOST_PATTERN = '^(\\*|[a-z0-9]([-a-z0-9*]*[a-z0-9*])?)(\\.(\\*|[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?))*$';

export const ApprovedEndpoint = Closed(
  {
    hosts: Type.Array(Type.String({ pattern: HOST_PATTERN, maxLength: 253 }), {
      minItems: 1,
      description:
        'Host names a spec may use, exact or with `*` within a label (`*.kafka.svc`, ' +
        '`acme-*.s3.eu-west-1.amazonaws.com`).',
    }),
    ports: Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), { minItems: 1, uniqueItems: true }),
    namespace: Type.Optional(
      Type.String({ pattern: DNS_LABEL, description: 'In-cluster service: its namespace (network policy peer).' }),
    ),
    podLabels: Type.Optional(LabelMap('In-cluster service: labels of its pods, within `namespace`.')),
    cidrs: Type.Optional(
      Type.Array(Type.String({ pattern: '^[0-9.]+/[0-9]+$' }), {
        minItems: 1,
        description: 'Outside the cluster: the address ranges the hosts resolve to.',
      }),
    ),
  },
  {
    description:
      'A network endpoint workloads may reach: brokers, schema registries, object storage, identity endpoints. ' +
      'Network policy allows exactly these peers and ports; give `namespace` or `cidrs`.',
  },
);
export type ApprovedEndpoint = Static<typeof ApprovedEndpoint>;

/** A host name, or a template of one with `{tier}`, `{system}`, `{environment}` and `{team}`. */
const HOSTNAME_TEMPLATE = '^[a-z0-9{]([-a-z0-9.{}]*[a-z0-9}])?$';
const DOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$';

export const Routes = Closed(
  {
    kind: StringEnum(['httpRoute', 'virtualService'], {
      description:
        '`httpRoute`: a Gateway API HTTPRoute per tier attached to `gateway`. `virtualService`: an Istio ' +
        'VirtualService per tier bound to the Istio Gateway `gateway` and to the mesh, so that Argo Rollouts ' +
        'sets exact canary weights and mirrors for gateway traffic too.',
    }),
    gateway: Closed(
      {
        name: Type.String({ pattern: DNS_SUBDOMAIN, maxLength: 253 }),
        namespace: Type.String({ pattern: DNS_LABEL }),
        sectionName: Type.Optional(
          Type.String({ pattern: DNS_LABEL, description: 'Listener of a Gateway API Gateway.' }),
        ),
      },
      { description: 'The Gateway API Gateway (`httpRoute`) or Istio Gateway (`virtualService`) routes attach to.' },
    ),
    hostname: Type.String({
      pattern: HOSTNAME_TEMPLATE,
      maxLength: 253,
      description:
        'Host name of a tier whose spec names none; `{tier}`, `{system}`, `{environment}` and `{team}` are ' +
        'replaced, e.g. `{tier}.{system}.{environment}.ml.acme.io`.',
    }),
    path: Type.String({
      pattern: '^/[-a-z0-9_.{}/]*$',
      default: '/',
      description:
        'Path prefix of a tier whose spec names none (same placeholders). The prefix is removed before the ' +
        'request reaches the runtime, which serves `/v2/...`.',
    }),
    domains: Type.Array(Type.String({ pattern: DOMAIN, maxLength: 253 }), {
      default: [],
      description:
        'Domains specs may name their own host names in (`ml.acme.io` allows `fraud.ml.acme.io`); with none, ' +
        'every tier gets the `hostname` template.',
    }),
  },
  { description: 'How inference traffic reaches the serving tiers from the gateway.' },
);
export type Routes = Static<typeof Routes>;

export const ObjectStorage = Closed(
  {
    s3: Type.Optional(
      Closed({
        provider: StringEnum(['AWS', 'Ceph', 'Minio', 'Other'], {
          default: 'AWS',
          description: '`AWS` addresses buckets by host name (`<bucket>.s3.<region>.amazonaws.com`); others by path.',
        }),
        region: Type.Optional(
          Type.String({
            pattern: REGION,
            description: 'AWS region of the S3 buckets and Kinesis streams. Default: the cluster region.',
          }),
        ),
        endpoint: Type.Optional(
          Type.String({ pattern: '^https?://[^/\\s]+/?$', description: 'S3 endpoint URL; default the AWS one.' }),
        ),
      }),
    ),
  },
  { description: 'How `s3://` URIs are reached from this cluster (`gs://` always uses storage.googleapis.com).' },
);
export type ObjectStorage = Static<typeof ObjectStorage>;

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
        serviceAccount: Type.Optional(
          Type.String({
            pattern: DNS_SUBDOMAIN,
            description: "The gateway pods' service account: with Istio, named in each tier's authorization policy.",
          }),
        ),
        routes: Type.Optional(Routes),
      },
      { description: 'Where inference traffic enters the cluster.' },
    ),
    meshTrustDomain: Type.String({
      pattern: DNS_SUBDOMAIN,
      default: 'cluster.local',
      description: "Istio's trust domain, the first part of workload principals (`<domain>/ns/<ns>/sa/<account>`).",
    }),
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
    endpoints: Object.assign(
      NamedMap(
        ApprovedEndpoint,
        DNS_LABEL,
        'Approved endpoints by name: the only hosts specs may name and network policy may open.',
      ),
      { default: {} },
    ),
    objectStorage: Type.Optional(ObjectStorage),
    identity: Type.Optional(
      Closed(
        {
          provider: StringEnum(['gke', 'eks', 'azure'], {
            description:
              'Workload identity mechanism: the ServiceAccount annotation `iam.gke.io/gcp-service-account`, ' +
              '`eks.amazonaws.com/role-arn` or `azure.workload.identity/client-id`.',
          }),
          account: Type.String({
            minLength: 1,
            maxLength: 253,
            description:
              'Cloud identity of a workload; `{team}`, `{system}`, `{environment}` and `{workload}` are replaced, ' +
              'e.g. `{system}-{environment}@acme-ml.iam.gserviceaccount.com`.',
          }),
          endpoints: Type.Array(Type.String({ pattern: DNS_LABEL }), {
            default: [],
            description:
              'Approved endpoints every workload with a cloud identity reaches (metadata server, STS): by name.',
          }),
        },
        { description: 'How pods that read buckets authenticate: the cloud identity mapped from team and system.' },
      ),
    ),
    scheduling: Type.Optional(
      Closed(
        {
          priorityClasses: Type.Optional(
            Closed(
              Object.fromEntries(
                WORKLOAD_KINDS.map((k) => [k, Type.Optional(Type.String({ pattern: DNS_SUBDOMAIN }))]),
              ) as Record<WorkloadKind, TOptional<TString>>,
              { description: 'PriorityClass per workload kind, e.g. serving above training above batch.' },
            ),
          ),
          tolerations: Type.Optional(
            Closed(
              Object.fromEntries(WORKLOAD_KINDS.map((k) => [k, Type.Optional(Type.Array(Toleration))])) as Record<
                WorkloadKind,
                TOptional<TArray<typeof Toleration>>
              >,
              { description: 'Extra tolerations per workload kind (dedicated node pools).' },
            ),
          ),
        },
        { description: 'Scheduling per workload kind: `serving`, `features`, `training`, `batch`.' },
      ),
    ),
    apiServer: Closed(
      {
        cidrs: Type.Array(Type.String({ pattern: '^[0-9.]+/[0-9]+$' }), {
          minItems: 1,
          description: 'Addresses of the control plane (the endpoints behind `kubernetes.default`).',
        }),
        ports: Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), {
          minItems: 1,
          uniqueItems: true,
          default: [443, 6443],
          description: 'Its ports: 443 at the Service, often 6443 at the endpoints after NAT.',
        }),
      },
      { description: 'The Kubernetes API server, for the few pods that call it (Argo executor, drivers).' },
    ),
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
      description:
        'Most whole accelerators of each type the team may request per environment (rendered as a ' +
        'ResourceQuota per team namespace, and as Kueue quotas where the cluster has Kueue).',
    }),
  ),
  migQuota: Type.Optional(
    Type.Record(
      Type.String(),
      Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { propertyNames: { pattern: MIG_PROFILE } }),
      {
        propertyNames: { pattern: DNS_LABEL },
        description:
          'Most MIG slices of each accelerator type and profile the team may request per environment, e.g. ' +
          '`{ a100-80gb: { 1g.10gb: 16 } }`. Slices count here, not against `gpuQuota`.',
      },
    ),
  ),
});
export type Team = Static<typeof Team>;

/** An OPA Wasm bundle the platform team compiled: its entrypoints report findings like a Rego policy. */
export const PolicyBundle = Closed(
  {
    file: Type.String({
      minLength: 1,
      description: 'The bundle (`opa build -t wasm`: .tar.gz, or a bare .wasm), relative to this file.',
    }),
    entrypoints: Type.Array(
      Type.String({
        pattern: '^[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*/(deny|warn|info)$',
        description: 'An entrypoint the bundle was built with, e.g. `acme/images/deny`: a set of findings.',
      }),
      {
        minItems: 1,
        uniqueItems: true,
        description:
          'Entrypoints ending in `deny`, `warn` or `info`, each a set of findings as Rego policies report them; ' +
          'the path before the last segment is the policy (`acme/images` → policy `acme.images`).',
      },
    ),
    data: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Data files (.json, .yaml) or folders the bundle needs beside its own, relative to this file.',
      }),
    ),
  },
  { description: 'An OPA Wasm bundle evaluated for every system-environment.' },
);
export type PolicyBundle = Static<typeof PolicyBundle>;

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
        modelFetcher: Image(
          'Image that downloads model files (init container): must hold `rclone` (1.60 or later) on its PATH.',
        ),
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
          bundles: Type.Optional(
            Type.Array(PolicyBundle, { description: 'OPA Wasm bundles checked beside the Rego policies.' }),
          ),
          gatekeeper: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              description:
                'Folders of the Gatekeeper ConstraintTemplates and constraints (YAML) the clusters run, relative ' +
                "to this file: every system-environment's rendered objects are reviewed against them as admission " +
                'would. Other documents in them are passed over.',
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
