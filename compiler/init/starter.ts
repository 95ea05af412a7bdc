// The commented starter spec `mlspec init` writes. It is complete and valid as written (the
// tests validate it); the comments say what to replace.

export interface StarterOptions {
  readonly name: string;
  readonly team: string;
  readonly cluster: string;
}

const ZERO_DIGEST = '0'.repeat(64);

export function starterSpec({ name, team, cluster }: StarterOptions): string {
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
  dataResidency: [eu-west-1]         # regions the data may live in
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
      batchSource: { uri: "s3://acme-replace-me/${name}/customer_activity/", timestampField: event_ts }
      ttl: 48h                       # how long an online value stays valid
      freshness: 26h                 # alert when the newest value is older
      online: true
  services:
    ${name.replace(/-/g, '_')}_v1:
      features: ["customer_activity:*"]

training:
  datasets:                          # buckets must be approved endpoints of the cluster profile
    events:
      uri: s3://acme-replace-me/${name}/snapshots/2026-01-01/
      version: "2026-01-01"
      digest: sha256:${ZERO_DIGEST}   # replace: sha256 of the snapshot
  pipeline:                          # four container steps, run in order
    preprocess: { image: "registry.example.com/${team}/${name}-prep:0.1.0", resources: { cpu: 2, memory: 4Gi } }
    train: { image: "registry.example.com/${team}/${name}-train:0.1.0", resources: { cpu: 4, memory: 8Gi } }
    validate: { image: "registry.example.com/${team}/${name}-validate:0.1.0", resources: { cpu: 1, memory: 2Gi } }
    register: { image: "registry.example.com/${team}/${name}-register:0.1.0", resources: { cpu: 500m, memory: 512Mi } }
  validationGates:                   # metrics the validate step must report; failing blocks registration
    auc: { min: 0.8 }
  triggers:                          # optional
    schedule: "0 4 * * 0"

model:
  name: ${name}
  version: 0.1.0
  format: onnx
  artifact:
    uri: s3://acme-replace-me/${name}/0.1.0/model.onnx
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

monitoring:
  drift: { threshold: 0.2, window: 1h }
  slos: { errorRate: 0.01 }
  alerts:
    critical: ${team}-pager
    warning: ${team}-tickets
    runbookBaseUrl: https://runbooks.example.com/${name}/

environments:                        # each names a cluster profile from the platform config
  dev:
    cluster: ${cluster}
    overrides:
      serving: { tiers: { cpu: { replicas: { min: 1, max: 1 } } } }
  staging:
    cluster: ${cluster}
  prod:
    cluster: ${cluster}
`;
}
