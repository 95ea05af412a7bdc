// Names of the runtime's Prometheus metrics. The runtime exports them; the compiler writes
// alert rules, autoscaling triggers and rollout analysis queries against them. One list, so
// the two cannot drift apart.

/** Label names used on the runtime's metrics (all low-cardinality). */
export const METRIC_LABELS = {
  model: 'model',
  variant: 'variant',
  code: 'code',
  feature: 'feature',
} as const;

export const METRICS = {
  /** Counter of inference requests, by model, variant and HTTP status code. */
  requests: 'mlspec_inference_requests_total',
  /** Counter of failed inference requests (status >= 500 or model error), by model, variant and code. */
  errors: 'mlspec_inference_errors_total',
  /** Histogram of request latency in seconds, by model and variant. */
  latency: 'mlspec_inference_request_duration_seconds',
  /** Gauge: requests being processed now, by model. */
  inflight: 'mlspec_inference_inflight_requests',
  /** Gauge: PSI of each feature over the current window, by model and feature. */
  driftScore: 'mlspec_feature_drift_score',
  /** Gauge: p-value of the two-sample test of each feature (uncorrected), by model and feature. */
  driftPValue: 'mlspec_feature_drift_p_value',
  /** Gauge: 1 when the dataset as a whole drifted (after multiple-testing correction), by model. */
  datasetDrift: 'mlspec_dataset_drift',
  /** Gauge (always 1) carrying model, variant, version and role labels. */
  modelInfo: 'mlspec_model_info',
  /** Gauge: 1 while a canary is drained because it broke its gate, by model and variant. */
  canaryDrained: 'mlspec_canary_drained',
  /** Gauge: current traffic weight in percent, by model and variant. */
  trafficWeight: 'mlspec_traffic_weight_percent',
  /** Counter of config reload attempts, by result (`success`/`failure`). */
  configReloads: 'mlspec_config_reloads_total',
} as const;
