// Names of the runtime's Prometheus metrics that the compiler queries: alert rules, KEDA
// triggers and rollout analysis are written against these. One list, so the runtime that
// exports them and the compiler that queries them cannot drift apart.

export const METRICS = {
  /** Counter of inference requests answered, labels model, variant, code. */
  requests: 'mlspec_requests_total',
  /** Counter of requests answered with an error status, labels model, variant, code. */
  errors: 'mlspec_request_errors_total',
  /** Histogram of request latency in seconds, labels model, variant. */
  latency: 'mlspec_request_duration_seconds',
  /** Gauge: PSI of the last window per feature, labels model, feature. */
  driftPsi: 'mlspec_drift_psi',
  /** Gauge: 1 when the feature drifted (PSI over threshold and corrected test significant), labels model, feature. */
  driftFeature: 'mlspec_drift_feature_drifted',
  /** Gauge: 1 when the dataset drifted in the last window, label model. */
  datasetDrift: 'mlspec_dataset_drift',
  /** Counter of canaries drained after a gate breach, labels model, variant. */
  canaryDrains: 'mlspec_canary_drains_total',
  /** Gauge: 1 when the last config change was applied, 0 when it was rejected. */
  configReloadOk: 'mlspec_config_last_reload_successful',
} as const;
