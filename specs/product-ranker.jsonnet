// Product recommendation ranker: re-ranks candidate products for each shopper.
// GPU training across four data-parallel workers; two rankers compete in an A/B test with
// sticky assignment per customer. Written in Jsonnet to share helpers with other specs.
local ml = import 'lib/mlspec.libsonnet';

local a100x4 = { type: 'a100-80gb', count: 4 };

{
  apiVersion: ml.apiVersion,
  kind: 'MLSystem',
  metadata: {
    name: 'product-ranker',
    team: 'commerce-ml',
    owners: ['commerce-ml@acme.io', 'group:recsys-oncall'],
    costCenter: 'CC-2207',
    description: 'Personalised ranking of product recommendations.',
    labels: { domain: 'commerce' },
  },
  compliance: {
    dataClassification: 'confidential',
    dataResidency: ['eu-west-1', 'europe-west4'],
    controller: 'Acme Retail Europe B.V.',
    personalData: {
      processed: true,
      lawfulBasis: 'consent',  // personalised recommendations are opt-in
      retention: '365d',
      purposes: ['personalisation'],
    },
    waivers: [
      {
        policy: 'mlspec.safe_rollout',
        environment: 'prod',
        pointer: '/rollout/strategy',
        justification: 'The ranker A/B test needs real traffic to measure click-through; both rankers passed a ' +
                       'canary in staging, and the analysis gates (error rate, p99) drain a failing arm.',
        approvedBy: 'head-of-ml-platform@acme.io',
        expires: '2027-11-30',
      },
    ],
  },
  features: {
    entities: {
      customer: { joinKeys: { customer_id: { dtype: 'string', personalData: true } } },
      product: { joinKeys: { product_id: { dtype: 'string' } } },
    },
    views: {
      customer_profile: {
        entities: ['customer'],
        features: {
          sessions_30d: { dtype: 'int64' },
          avg_basket_value: { dtype: 'float32' },
          days_since_last_order: { dtype: 'int32' },
          preferred_category: { dtype: 'string', personalData: true },
        },
        batchSource: { uri: 's3://acme-lake-eu/recsys/customer_profile/', timestampField: 'updated_at' },
        ttl: '7d',
        freshness: '26h',
        online: true,
      },
      session_activity: {
        entities: ['customer'],
        features: {
          views_1h: { dtype: 'int64' },
          carts_1h: { dtype: 'int64' },
        },
        batchSource: { uri: 's3://acme-lake-eu/recsys/session_activity/', timestampField: 'event_ts' },
        streamSource: { type: 'kinesis', topic: 'recsys-session-events', format: 'json', timestampField: 'event_ts' },
        ttl: '2h',
        freshness: '5m',
        online: true,
      },
      product_stats: {
        entities: ['product'],
        features: {
          ctr_7d: { dtype: 'float32' },
          price: { dtype: 'float32' },
          stock_level: { dtype: 'int32' },
          category: { dtype: 'string' },
        },
        batchSource: { uri: 'bigquery://acme-retail.recsys.product_stats', timestampField: 'snapshot_ts' },
        ttl: '2d',
        freshness: '26h',
        online: true,
        materializeSchedule: '30 */6 * * *',
      },
    },
    services: {
      ranker_v8: { features: ['customer_profile:*', 'session_activity:*', 'product_stats:*'] },
    },
  },
  training: {
    datasets: {
      clickstream: {
        uri: 's3://acme-lake-eu/recsys/snapshots/clickstream/2026-11-20/',
        version: '2026-11-20',
        digest: 'sha256:c397f4392b3daf90ce0d2c7f2fae744ca322cee3c9c1fe8a60185253a0ddd956',
        format: 'parquet',
      },
      orders: {
        uri: 's3://acme-lake-eu/recsys/snapshots/orders/2026-11-20/',
        version: '2026-11-20',
        digest: 'sha256:51005e2676cc9607b41159360bd95bcab3e81af729572d2c720aac0b51813a3b',
        format: 'parquet',
      },
    },
    pipeline: {
      preprocess: ml.step(ml.image('ranker-prep', '5.1.0', 'ac76c1919957f153091a430bdfa8393520d34f1e68c4ff2068b17b0094c19cd8'), 8, '64Gi'),
      train: ml.step(ml.image('ranker-train', '5.1.0', '7b06a692ab6c10f67ece2ccaade8b8e1170cafc2392ac9c02cee486d99a3dcb0'), 32, '480Gi', a100x4, ['--epochs', '12', '--amp']) + {
        distributed: { workers: 4, framework: 'pytorch' },
        timeout: '10h',
      },
      validate: ml.step(ml.image('ranker-eval', '5.1.0', 'daa3fce1b09bbf127d485864afab5e8e2c10d0f5ec2a6b110898f930b0a33252'), 8, '32Gi', { type: 'a100-80gb', count: 1 }),
      register: ml.step(ml.image('ranker-register', '5.1.0', 'e9e1bbadc569879c497f8673a304b9062e65149df0875924d8f665189c19a303'), '500m', '1Gi'),
    },
    checkpoints: { size: '500Gi' },
    validationGates: {
      ndcg_at_10: { min: 0.41 },
      recall_at_50: { min: 0.62 },
    },
    triggers: {
      schedule: '0 2 * * *',
      drift: { enabled: true, cooldown: '12h' },
    },
  },
  model: {
    name: 'product-ranker',
    version: '8.0.0',
    format: 'onnx',
    artifact: {
      uri: 's3://acme-models-eu/product-ranker/8.0.0/model.onnx',
      sha256: '24432a67741a0039374e324dbb1cd195bf827036efcfb7716a83712bea62d79a',
    },
    featureService: 'ranker_v8',
    requestFeatures: {
      position: { dtype: 'int32' },
    },
    signature: {
      inputs: [
        {
          name: 'dense',
          dtype: 'FP32',
          shape: [-1, 9],
          features: ['sessions_30d', 'avg_basket_value', 'days_since_last_order', 'views_1h', 'carts_1h', 'ctr_7d', 'price', 'stock_level', 'position'],
        },
        { name: 'categorical', dtype: 'BYTES', shape: [-1, 2], features: ['preferred_category', 'category'] },
      ],
      outputs: [{ name: 'score', dtype: 'FP32', shape: [-1, 1] }],
    },
    baseline: {
      features: {
        sessions_30d: ml.quantileBaseline([1, 2, 4, 8, 15], 20000),
        avg_basket_value: ml.quantileBaseline([18, 32, 55, 90, 160], 20000),
        days_since_last_order: ml.quantileBaseline([3, 10, 30, 90], 24000),
        views_1h: ml.quantileBaseline([1, 3, 8], 30000),
        carts_1h: ml.quantileBaseline([1, 2, 4], 30000),
        ctr_7d: ml.quantileBaseline([0.01, 0.02, 0.04, 0.08], 24000),
        price: ml.quantileBaseline([9.99, 19.99, 39.99, 79.99, 149.99], 20000),
        stock_level: ml.quantileBaseline([5, 20, 80, 300], 24000),
        position: ml.quantileBaseline([2, 5, 10, 20], 24000),
        preferred_category: { categorical: { counts: { fashion: 31000, electronics: 24000, home: 22000, beauty: 13000 }, other: 30000 } },
        category: { categorical: { counts: { fashion: 29000, electronics: 26000, home: 21000, beauty: 14000, toys: 9000 }, other: 21000 } },
      },
    },
  },
  serving: {
    tiers: {
      cpu: {
        description: 'CPU tier for small shops on the marketplace.',
        replicas: { min: 2, max: 10 },
        autoscaling: { metric: 'cpu', target: 70 },
        resources: { cpu: '2', memory: '4Gi' },
        latencySlo: { p99: '80ms' },
      },
      gpu: {
        description: 'A100 MIG slices for enterprise storefronts (high throughput, batched).',
        replicas: { min: 2, max: 8 },
        autoscaling: { metric: 'inflightRequests', target: 32 },
        resources: { cpu: '4', memory: '16Gi', accelerator: { type: 'a100-80gb', count: 1, mig: '1g.10gb' } },
        latencySlo: { p99: '40ms', p50: '12ms' },
        batching: { maxBatchSize: 128, maxDelay: '4ms' },
      },
    },
  },
  rollout: {
    strategy: 'abTest',
    abTest: {
      variants: {
        'ranker-a': { weight: 50, version: '7.3.0', description: 'control: current two-tower ranker', artifact: { uri: 's3://acme-models-eu/product-ranker/7.3.0/model.onnx', sha256: 'c64827e9c1ad0d6c478b56a930fb2c3e2e375a9626338ed24ddf2437132894b9' } },
        'ranker-b': { weight: 50, description: 'treatment: transformer re-ranker (this spec\'s model)' },
      },
      stickyKey: { header: 'x-customer-id' },
      goal: { metric: 'click_through', direction: 'increase', minimumDetectableEffect: 0.02, alpha: 0.05 },
    },
    analysis: { interval: '5m', window: '30m', minRequests: 2000, gates: { maxErrorRate: 0.01, maxP99Latency: '100ms' } },
  },
  monitoring: ml.monitoring('commerce-ml', 'product-ranker') + {
    slos+: { accuracy: { metric: 'ndcg_at_10', min: 0.38, window: '7d' } },
  },
  environments: {
    dev: {
      cluster: 'dev-eu',
      overrides: {
        // One L4 instead of four A100 workers; no GPU serving; always the newest model.
        training: { pipeline: {
          train: { resources: { accelerator: { type: 'l4', count: 1 } }, distributed: null },
          validate: { resources: { accelerator: null } },
        } },
        serving: { tiers: { cpu: { replicas: { min: 1, max: 2 } }, gpu: null } },
        rollout: null,
      },
    },
    staging: {
      cluster: 'staging-eu',
      overrides: {
        serving: { tiers: { cpu: { replicas: { min: 1, max: 3 } }, gpu: { replicas: { min: 1, max: 2 } } } },
      },
    },
    prod: { cluster: 'prod-eu' },
  },
}
