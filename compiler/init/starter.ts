// The commented starter spec `mlspec init` writes. It is complete and valid as written (the
// tests validate it); the comments say what to replace.

export interface StarterOptions {
  readonly name: string;
  readonly team: string;
  /** Cluster profile of each environment. */
  readonly clusters: { readonly dev: string; readonly staging: string; readonly prod: string };
  /** Registry the images come from (an approved one of the platform config). */
  readonly registry: string;
  /** Bucket URI prefix for data and models, without a trailing slash. */
  readonly bucket: string;
  /** Region the data lives in. */
  readonly region: string;
}

const ZERO_DIGEST = '0'.repeat(64);

export function starterSpec({ name, team, clusters, registry, bucket, region }: StarterOptions): string {
  const image = (step: string) => `"${registry}/${team}/${name}-${step}:0.1.0@sha256:${ZERO_DIGEST}"`;
  return `# yaml-language-server: $schema=./schema/mlsystem.schema.json
# ${name}: starter spec written by \`mlspec init\`. Check it with \`mlspec validate\`.
# Every section is required unless marked optional; \`mlspec schema\` documents each field.
apiVersion: mlspec.io/v1alpha1
kind: MLSystem
metadata:
  name: ${name}
  team: ${team}                      # must be registered under \`teams\` in the platform config
  owners: [${team}@example.com]      # team e-mail addresses or \`group:<name>\`
  costCenter: CC-0000

compliance:
  dataClassification: internal       # public | internal | confidential | restricted
  dataResidency: [${region}]         # regions the data may live in
  personalData:
    processed: false                 # if true, also set lawfulBasis and retention

features:
  entities:
    customer:
      joinKeys: { customer_id: { dtype: string } }
  views:
    customer_activity:
      entities: [customer]
      features:
        sessions_7d: { dtype: int64 }
        spend_30d: { dtype: float32 }
      batchSource: { uri: "${bucket}/${name}/customer_activity/", timestampField: event_ts }
      ttl: 48h                       # how long an online value stays valid
      freshness: 26h                 # alert when the newest value is older
      online: true
  services:
    ${name.replace(/-/g, '_')}_v1:
      features: ["customer_activity:*"]

training:
  datasets:                          # buckets must be approved endpoints of the cluster profile
    events:
      uri: ${bucket}/${name}/snapshots/2026-01-01/
      version: "2026-01-01"
      digest: sha256:${ZERO_DIGEST}   # replace: sha256 of the snapshot
  pipeline:                          # four container steps, run in order; replace the digests
    preprocess: { image: ${image('prep')}, resources: { cpu: 2, memory: 4Gi } }
    train: { image: ${image('train')}, resources: { cpu: 4, memory: 8Gi } }
    validate: { image: ${image('validate')}, resources: { cpu: 1, memory: 2Gi } }
    register: { image: ${image('register')}, resources: { cpu: 500m, memory: 512Mi } }
  validationGates:                   # metrics the validate step must report; failing blocks registration
    auc: { min: 0.8 }
  triggers:                          # optional
    schedule: "0 4 * * 0"

model:
  name: ${name}
  version: 0.2.0
  format: onnx
  artifact:
    uri: ${bucket}/${name}/0.2.0/model.onnx
    sha256: "${ZERO_DIGEST}"          # replace: \`sha256sum model.onnx\`
  featureService: ${name.replace(/-/g, '_')}_v1
  signature:
    inputs:
      - { name: input, dtype: FP32, shape: [-1, 2], features: [sessions_7d, spend_30d] }
    outputs:
      - { name: score, dtype: FP32, shape: [-1, 1] }
  baseline:                          # training distributions, for drift detection
    features:
      sessions_7d: { numeric: { edges: [1, 3, 7], counts: [250, 250, 250, 250] } }
      spend_30d: { numeric: { edges: [10, 50, 200], counts: [250, 250, 250, 250] } }

serving:
  tiers:
    cpu:
      replicas: { min: 2, max: 4 }
      autoscaling: { metric: cpu, target: 70 }
      resources: { cpu: 500m, memory: 1Gi }
      latencySlo: { p99: 100ms }

rollout:                             # prod must roll out progressively (the safe_rollout policy)
  strategy: canary
  stable:                            # the release running today; \`model\` above is the new one
    version: 0.1.0
    artifact:
      uri: ${bucket}/${name}/0.1.0/model.onnx
      sha256: "${'f'.repeat(64)}"        # replace
  canary:
    steps:
      - { weight: 5, pause: 30m }
      - { weight: 50, pause: 1h }
      - { weight: 100, pause: 0s }
  analysis:
    interval: 1m
    window: 10m
    minRequests: 200
    gates: { maxErrorRate: 0.01, maxP99Latency: 100ms, maxDriftScore: 0.3 }

monitoring:
  drift: { threshold: 0.2, window: 1h }
  slos: { errorRate: 0.01 }
  alerts:
    critical: ${team}-pager
    warning: ${team}-tickets
    runbookBaseUrl: https://runbooks.example.com/${name}/

environments:                        # each names a cluster profile from the platform config
  dev:
    cluster: ${clusters.dev}
    overrides:
      serving: { tiers: { cpu: { replicas: { min: 1, max: 1 } } } }
      rollout: null
  staging:
    cluster: ${clusters.staging}
  prod:
    cluster: ${clusters.prod}
`;
}
