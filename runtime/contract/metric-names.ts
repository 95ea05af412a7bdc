// Names of the runtime's Prometheus metrics that the compiler queries: alert rules, KEDA
// triggers and rollout analysis are written against these, and the replicas of a tier read
// each other's canary state through them. One list, so the runtime that exports them and the
// compiler that queries them cannot drift apart.

export const METRICS = {
  /** Counter of every request answered (inference or not), labels model, variant (empty before routing), code. */
  requests: 'mlspec_requests_total',
  /** Counter of requests answered with a server error (5xx), labels model, variant, code. */
  errors: 'mlspec_request_errors_total',
  /** Counter of requests refused as the client's fault (4xx), labels model, variant, code. */
  clientErrors: 'mlspec_request_client_errors_total',
  /** Histogram of request latency in seconds, labels model, variant. */
  latency: 'mlspec_request_duration_seconds',
  /** Counter of live (split and sticky) requests of stable and canary, labels model, variant, version, outcome. */
  gateRequests: 'mlspec_gate_requests_total',
  /** Histogram of live request latency of stable and canary (fine buckets for p99), labels model, variant, version. */
  gateLatency: 'mlspec_gate_request_duration_seconds',
  /** Gauge: PSI of the last window per feature, labels model, feature. */
  driftPsi: 'mlspec_drift_psi',
  /** Gauge: 1 when the feature drifted (PSI over threshold and corrected test significant), labels model, feature. */
  driftFeature: 'mlspec_drift_feature_drifted',
  /** Gauge: 1 when the dataset drifted in the last window, label model. */
  datasetDrift: 'mlspec_dataset_drift',
  /** Gauge: 1 when the last window was too small to judge: the drift gauges hold an older verdict. */
  driftStale: 'mlspec_drift_verdict_stale',
  /** Counter of canaries drained after a gate breach, labels model, variant. */
  canaryDrains: 'mlspec_canary_drains_total',
  /** Gauge 0/1 per state (syncing, progressing, holding, drained), labels model, variant, revision, state. */
  canaryState: 'mlspec_canary_state',
  /** Gauge: index of the current canary step, labels model, variant, revision. */
  canaryStep: 'mlspec_canary_step',
  /** Gauge: Unix time the current step began, labels model, variant, revision, step. */
  canaryStepStarted: 'mlspec_canary_step_started_timestamp_seconds',
  /** Gauge: 1 when the last config change was applied, 0 when it was rejected. */
  configReloadOk: 'mlspec_config_last_reload_successful',
} as const;
