// Metrics the feature-store workloads (materialization, streaming ingestion, feature server)
// must export for the freshness alert in monitoring.ts. The runtime's own metric names live in
// runtime/telemetry/metric-names.ts; these are the feature side of the same contract.
export const FEATURE_METRICS = {
  /**
   * Gauge: Unix time (seconds) of the newest event timestamp written to the online store, per
   * feature view. Labels: `system` (the mlspec system), `view` (the feature view). Set by the
   * materialization job after each successful run and by the streaming ingestor as it writes;
   * the age is computed in PromQL (`time() - ...`), so a stalled writer shows as a growing age.
   */
  lastEventTimestamp: 'mlspec_feature_view_last_event_timestamp_seconds',
} as const;
