// What `mlspec init --cloud` knows of each cloud: the facts a platform config needs to start
// from (GPU node labels, an encrypted storage class, workload identity, the endpoints pods
// reach). Values a team must replace (account ids, address ranges) are marked in the output.

export const CLOUDS = ['gke', 'eks', 'aks', 'generic'] as const;
export type Cloud = (typeof CLOUDS)[number];

export interface Endpoint {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly ports: readonly number[];
  readonly cidrs: readonly string[];
  readonly note: string;
}

export interface CloudFacts {
  readonly title: string;
  readonly region: string;
  /** Node label that names the GPU model, with the value for each logical accelerator. */
  readonly gpuLabel: string;
  readonly gpus: Readonly<Record<'l4' | 'a100-80gb', string>>;
  /** Taint GPU node pools carry on this cloud, as a toleration. */
  readonly gpuToleration: string;
  readonly storageClass: string;
  /** Flow-style YAML of the cluster profile's `identity`, or none. */
  readonly identity?: string;
  readonly endpoints: readonly Endpoint[];
  /** Flow-style YAML of `objectStorage`, when `s3://` is not AWS S3 in the cluster region. */
  readonly objectStorage?: string;
  /** Where data and models live: a bucket URI prefix in the region. */
  readonly bucket: string;
  readonly apiServerCidr: string;
}

const REPLACE = 'replace with your own';

export const CLOUD_FACTS: Readonly<Record<Cloud, CloudFacts>> = {
  gke: {
    title: 'GKE',
    region: 'europe-west4',
    gpuLabel: 'cloud.google.com/gke-accelerator',
    gpus: { l4: 'nvidia-l4', 'a100-80gb': 'nvidia-a100-80gb' },
    gpuToleration: '{ key: nvidia.com/gpu, operator: Equal, value: present, effect: NoSchedule }',
    storageClass: 'premium-rwo',
    identity:
      '{ provider: gke, account: "{system}-{environment}@my-project.iam.gserviceaccount.com", ' +
      'endpoints: [gke-metadata, gke-metadata-dpv2] }',
    endpoints: [
      {
        name: 'gke-metadata',
        hosts: ['metadata.google.internal'],
        ports: [80],
        cidrs: ['169.254.169.254/32'],
        note: 'workload identity tokens',
      },
      {
        name: 'gke-metadata-dpv2',
        hosts: ['metadata.google.internal'],
        ports: [988],
        cidrs: ['169.254.169.252/32'],
        note: 'the metadata server on Dataplane V2',
      },
      {
        name: 'google-apis',
        hosts: ['storage.googleapis.com'],
        ports: [443],
        cidrs: ['199.36.153.8/30'],
        note: 'Cloud Storage through Private Google Access (private.googleapis.com)',
      },
    ],
    bucket: 'gs://my-org-ml-europe-west4',
    apiServerCidr: '172.16.0.0/28',
  },
  eks: {
    title: 'EKS',
    region: 'eu-west-1',
    gpuLabel: 'karpenter.k8s.aws/instance-gpu-name',
    gpus: { l4: 'l4', 'a100-80gb': 'a100' },
    gpuToleration: '{ key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }',
    storageClass: 'gp3-encrypted',
    identity:
      '{ provider: eks, account: "arn:aws:iam::123456789012:role/ml-{team}-{system}-{environment}", ' +
      'endpoints: [sts] }',
    endpoints: [
      {
        name: 'sts',
        hosts: ['sts.eu-west-1.amazonaws.com'],
        ports: [443],
        cidrs: ['52.94.228.0/22'],
        note: `IRSA tokens; ${REPLACE} VPC endpoint or the region's ranges`,
      },
      {
        name: 's3',
        hosts: ['my-org-ml-*.s3.eu-west-1.amazonaws.com'],
        ports: [443],
        cidrs: ['3.5.64.0/21', '3.5.72.0/23', '52.92.0.0/17', '52.218.0.0/17'],
        note: 'from `aws ec2 describe-managed-prefix-lists` (com.amazonaws.eu-west-1.s3)',
      },
    ],
    bucket: 's3://my-org-ml-eu-west-1',
    apiServerCidr: '10.0.0.0/28',
  },
  aks: {
    title: 'AKS',
    region: 'westeurope',
    gpuLabel: 'kubernetes.azure.com/accelerator',
    gpus: { l4: 'nvidia', 'a100-80gb': 'nvidia' },
    gpuToleration: '{ key: sku, operator: Equal, value: gpu, effect: NoSchedule }',
    storageClass: 'managed-csi-premium',
    identity: '{ provider: azure, account: "00000000-0000-0000-0000-000000000000", endpoints: [entra-id] }',
    endpoints: [
      {
        name: 'entra-id',
        hosts: ['login.microsoftonline.com'],
        ports: [443],
        cidrs: ['20.190.128.0/18', '40.126.0.0/18'],
        note: 'workload identity token exchange (the AzureActiveDirectory service tag)',
      },
      {
        name: 'object-storage',
        hosts: ['minio.storage.svc'],
        ports: [9000],
        cidrs: ['10.0.64.0/24'],
        note: `an S3-compatible store in the cluster; ${REPLACE}`,
      },
    ],
    objectStorage: '{ s3: { provider: Minio, endpoint: "http://minio.storage.svc:9000" } }',
    bucket: 's3://my-org-ml',
    apiServerCidr: '10.0.0.0/28',
  },
  generic: {
    title: 'any conformant Kubernetes',
    region: 'eu-west-1',
    gpuLabel: 'nvidia.com/gpu.product',
    gpus: { l4: 'NVIDIA-L4', 'a100-80gb': 'NVIDIA-A100-SXM4-80GB' },
    gpuToleration: '{ key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }',
    storageClass: 'encrypted',
    endpoints: [
      {
        name: 'object-storage',
        hosts: ['minio.storage.svc'],
        ports: [9000],
        cidrs: ['10.0.64.0/24'],
        note: `an S3-compatible store; ${REPLACE}`,
      },
    ],
    objectStorage: '{ s3: { provider: Minio, endpoint: "http://minio.storage.svc:9000" } }',
    bucket: 's3://my-org-ml',
    apiServerCidr: '10.0.0.0/28',
  },
};
