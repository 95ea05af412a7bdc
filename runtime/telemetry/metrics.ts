// Every Prometheus metric the runtime exports, on its own registry. Names follow Prometheus
// conventions (`mlspec_` prefix, `_total` counters, `_seconds` durations, `_ratio` fractions);
// labels are bounded by the config (model, variant, feature, status code, a few fixed enums),
// never by traffic. Nothing on the request path goes through prom-client: request counts are
// plain numbers added to the counters at scrape, and histograms count into arrays
// (bucket-histogram.ts); prom-client hashes label objects on every `inc` and `observe`.
import { Counter, Gauge, Registry } from 'prom-client';
import { BucketHistogram, type HistogramSeries } from './bucket-histogram.js';
import type { RuntimeConfig } from '../contract/config.js';
import type { CanaryState } from '../router/canary.js';
import type { DriftReport } from './drift/monitor.js';
import { registerProcessMetrics } from './process-metrics.js';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const CANARY_STATES = ['progressing', 'holding', 'drained'] as const;

interface PendingCount {
  readonly labels: { model: string; variant: string; code: string };
  count: number;
  readonly error: boolean;
}

export class RuntimeMetrics {
  readonly registry = new Registry();
  #model: string;

  // Request counts are kept in plain numbers on the request path and added to these counters
  // when Prometheus scrapes (`collect`).
  readonly requests = new Counter({
    name: 'mlspec_requests_total',
    help: 'Inference requests answered, by variant and HTTP status code.',
    labelNames: ['model', 'variant', 'code'],
    registers: [this.registry],
    collect: () => this.#flush(),
  });
  readonly errors = new Counter({
    name: 'mlspec_request_errors_total',
    help: 'Inference requests answered with an error status (4xx, 5xx).',
    labelNames: ['model', 'variant', 'code'],
    registers: [this.registry],
    collect: () => this.#flush(),
  });
  readonly duration = new BucketHistogram(
    'mlspec_request_duration_seconds',
    'Inference request latency, from body received to response written.',
    LATENCY_BUCKETS,
    this.registry,
  );
  readonly shadowRequests = new Counter({
    name: 'mlspec_shadow_requests_total',
    help: 'Copies sent to the shadow variant, by outcome (ok, error, dropped when too many are in flight).',
    labelNames: ['model', 'variant', 'outcome'],
    registers: [this.registry],
  });
  readonly shadowDuration = new BucketHistogram(
    'mlspec_shadow_request_duration_seconds',
    'Latency of shadow inference (answers are discarded).',
    LATENCY_BUCKETS,
    this.registry,
  );
  readonly batchRows = new BucketHistogram(
    'mlspec_inference_batch_rows',
    'Rows per model call (micro-batching stacks requests).',
    [1, 2, 4, 8, 16, 32, 64, 128, 256],
    this.registry,
  );
  readonly driftPsi = new Gauge({
    name: 'mlspec_drift_psi',
    help: 'Population stability index of the last evaluated window against the baseline.',
    labelNames: ['model', 'feature'],
    registers: [this.registry],
  });
  readonly driftPValue = new Gauge({
    name: 'mlspec_drift_p_value',
    help: 'Raw p-value of the two-sample test (ks for numeric, chi2 for categorical features).',
    labelNames: ['model', 'feature', 'test'],
    registers: [this.registry],
  });
  readonly driftAdjustedPValue = new Gauge({
    name: 'mlspec_drift_adjusted_p_value',
    help: 'p-value after the multiple-testing correction across features.',
    labelNames: ['model', 'feature'],
    registers: [this.registry],
  });
  readonly driftFeature = new Gauge({
    name: 'mlspec_drift_feature_drifted',
    help: '1 when PSI exceeds the threshold and the adjusted p-value is at most alpha.',
    labelNames: ['model', 'feature'],
    registers: [this.registry],
  });
  readonly datasetDrift = new Gauge({
    name: 'mlspec_dataset_drift',
    help: '1 when any feature drifted in the last evaluated window.',
    labelNames: ['model'],
    registers: [this.registry],
  });
  readonly driftSamples = new Gauge({
    name: 'mlspec_drift_window_samples',
    help: 'Rows in the last closed drift window.',
    labelNames: ['model'],
    registers: [this.registry],
  });
  readonly driftWindows = new Counter({
    name: 'mlspec_drift_windows_total',
    help: 'Drift windows closed.',
    labelNames: ['model'],
    registers: [this.registry],
  });
  readonly modelInfo = new Gauge({
    name: 'mlspec_model_info',
    help: 'Loaded variants (value 1).',
    labelNames: ['model', 'variant', 'version', 'role', 'sha256'],
    registers: [this.registry],
  });
  readonly trafficWeight = new Gauge({
    name: 'mlspec_traffic_weight_ratio',
    help: 'Share of live traffic routed to each variant by the split (0-1).',
    labelNames: ['model', 'variant'],
    registers: [this.registry],
  });
  readonly canaryState = new Gauge({
    name: 'mlspec_canary_state',
    help: 'Canary gate state: 1 for the current state (progressing, holding, drained).',
    labelNames: ['model', 'variant', 'state'],
    registers: [this.registry],
  });
  readonly canaryStep = new Gauge({
    name: 'mlspec_canary_step',
    help: 'Index of the current canary step.',
    labelNames: ['model', 'variant'],
    registers: [this.registry],
  });
  readonly canaryDrains = new Counter({
    name: 'mlspec_canary_drains_total',
    help: 'Canaries drained because their gate was breached.',
    labelNames: ['model', 'variant'],
    registers: [this.registry],
  });
  readonly configReloads = new Counter({
    name: 'mlspec_config_reloads_total',
    help: 'Config reloads by result (applied, rejected).',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly configReloadOk = new Gauge({
    name: 'mlspec_config_last_reload_successful',
    help: '1 when the last config change was applied, 0 when it was rejected and the old config is still served.',
    registers: [this.registry],
  });
  readonly configInfo = new Gauge({
    name: 'mlspec_config_info',
    help: 'Config being served (value 1), by file digest.',
    labelNames: ['digest'],
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: 'mlspec_events_total',
    help: 'Assignment events by outcome (written, dropped when the writer lags).',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  /** Per variant: answers not yet added to the counters, by status code, and its latency series. */
  readonly #variants = new Map<
    string,
    { readonly byStatus: Map<number, PendingCount>; readonly latency: HistogramSeries }
  >();

  constructor(modelName: string, processMetrics = true) {
    this.#model = modelName;
    if (processMetrics) registerProcessMetrics(this.registry);
    this.configReloadOk.set(1);
  }

  request(variant: string, status: number, seconds: number): void {
    let v = this.#variants.get(variant);
    if (!v)
      this.#variants.set(
        variant,
        (v = { byStatus: new Map(), latency: this.duration.series({ model: this.#model, variant }) }),
      );
    const p = v.byStatus.get(status);
    if (p) p.count++;
    else
      v.byStatus.set(status, {
        labels: { model: this.#model, variant, code: String(status) },
        count: 1,
        error: status >= 400,
      });
    v.latency.observe(seconds);
  }

  #flush(): void {
    for (const { byStatus } of this.#variants.values()) {
      for (const p of byStatus.values()) {
        if (p.count === 0) continue;
        this.requests.inc(p.labels, p.count);
        if (p.error) this.errors.inc(p.labels, p.count);
        p.count = 0;
      }
    }
  }

  shadow(variant: string, outcome: 'ok' | 'error' | 'dropped', seconds?: number): void {
    this.shadowRequests.inc({ model: this.#model, variant, outcome });
    if (seconds !== undefined) this.shadowDuration.series({ model: this.#model, variant }).observe(seconds);
  }

  batch(variant: string, rows: number): void {
    this.batchRows.series({ model: this.#model, variant }).observe(rows);
  }

  /** Info and weight gauges describe the config being served: reset, then set anew. */
  configApplied(config: RuntimeConfig, digest: string, weights: Readonly<Record<string, number>>): void {
    if (config.model.name !== this.#model) {
      this.#flush();
      this.#model = config.model.name;
      this.#variants.clear();
    }
    this.modelInfo.reset();
    for (const v of config.variants)
      this.modelInfo.set(
        { model: this.#model, variant: v.name, version: v.version, role: v.role, sha256: v.sha256 },
        1,
      );
    this.configInfo.reset();
    this.configInfo.set({ digest }, 1);
    this.weights(config, weights);
    this.canaryState.reset();
    this.canaryStep.reset();
  }

  weights(config: RuntimeConfig, weights: Readonly<Record<string, number>>): void {
    this.trafficWeight.reset();
    for (const v of config.variants)
      this.trafficWeight.set({ model: this.#model, variant: v.name }, (weights[v.name] ?? 0) / 100);
  }

  canary(variant: string, state: CanaryState): void {
    for (const s of CANARY_STATES)
      this.canaryState.set({ model: this.#model, variant, state: s }, s === state.phase ? 1 : 0);
    this.canaryStep.set({ model: this.#model, variant }, state.step);
  }

  drift(report: DriftReport): void {
    const model = this.#model;
    this.driftWindows.inc({ model });
    this.driftSamples.set({ model }, report.samples);
    if (report.features.length === 0) return; // too few samples: keep the last verdict
    for (const f of report.features) {
      this.driftPsi.set({ model, feature: f.name }, f.psi);
      this.driftPValue.set({ model, feature: f.name, test: f.test }, f.pValue);
      this.driftAdjustedPValue.set({ model, feature: f.name }, f.adjustedPValue);
      this.driftFeature.set({ model, feature: f.name }, f.drifted ? 1 : 0);
    }
    this.datasetDrift.set({ model }, report.datasetDrift ? 1 : 0);
  }
}
