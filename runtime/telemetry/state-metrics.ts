// The runtime's state as gauges and the counters of what changes it: the config being served
// and its reloads, the models, the effective split, the canary (which the replicas of a tier
// also read from each other through Prometheus), drift verdicts and the event stream. The
// request-path metrics extend this class (metrics.ts).
import { Counter, Gauge, Registry } from 'prom-client';
import type { RuntimeConfig } from '../contract/config.js';
import { METRICS } from '../contract/metric-names.js';
import { CANARY_PHASES, type CanaryState } from '../router/canary.js';
import type { DriftReport } from './drift/monitor.js';

export class StateMetrics {
  readonly registry = new Registry();
  #model: string;

  readonly driftPsi = this.#gauge(METRICS.driftPsi, 'Population stability index of the last evaluated window.', [
    'model',
    'feature',
  ]);
  readonly driftPValue = this.#gauge(
    'mlspec_drift_p_value',
    'Raw p-value of the two-sample test (ks for numeric, chi2 for categorical features).',
    ['model', 'feature', 'test'],
  );
  readonly driftAdjustedPValue = this.#gauge(
    'mlspec_drift_adjusted_p_value',
    'p-value after the multiple-testing correction across features.',
    ['model', 'feature'],
  );
  readonly driftFeature = this.#gauge(
    METRICS.driftFeature,
    '1 when PSI exceeds the threshold and the adjusted p-value is at most alpha.',
    ['model', 'feature'],
  );
  readonly datasetDrift = this.#gauge(
    METRICS.datasetDrift,
    '1 when any feature drifted in the last evaluated window.',
    ['model'],
  );
  readonly driftStale = this.#gauge(
    METRICS.driftStale,
    '1 when the last window had too few samples for a verdict: the drift gauges describe an older window.',
    ['model'],
  );
  readonly driftSamples = this.#gauge('mlspec_drift_window_samples', 'Rows in the last closed drift window.', [
    'model',
  ]);
  readonly driftWindows = new Counter({
    name: 'mlspec_drift_windows_total',
    help: 'Drift windows closed.',
    labelNames: ['model'],
    registers: [this.registry],
  });
  readonly modelInfo = this.#gauge('mlspec_model_info', 'Loaded variants (value 1).', [
    'model',
    'variant',
    'version',
    'role',
    'sha256',
  ]);
  readonly trafficWeight = this.#gauge(
    'mlspec_traffic_weight_ratio',
    'Share of live traffic routed to each variant by the split (0-1).',
    ['model', 'variant'],
  );
  readonly canaryState = this.#gauge(
    METRICS.canaryState,
    'Canary state: 1 for the current state (syncing, progressing, holding, drained).',
    ['model', 'variant', 'revision', 'state'],
  );
  readonly canaryStep = this.#gauge(METRICS.canaryStep, 'Index of the current canary step.', [
    'model',
    'variant',
    'revision',
  ]);
  readonly canaryStepStarted = this.#gauge(METRICS.canaryStepStarted, 'Unix time the current canary step began.', [
    'model',
    'variant',
    'revision',
    'step',
  ]);
  readonly canaryDrains = new Counter({
    name: METRICS.canaryDrains,
    help: 'Canaries drained because their gate was breached (here, or by another replica of the tier).',
    labelNames: ['model', 'variant'],
    registers: [this.registry],
  });
  readonly canarySync = new Counter({
    name: 'mlspec_canary_sync_total',
    help: 'Rounds of canary state and gate queries to Prometheus, by result (ok, error).',
    labelNames: ['model', 'result'],
    registers: [this.registry],
  });
  readonly configReloads = new Counter({
    name: 'mlspec_config_reloads_total',
    help: 'Config changes by result (applied, rejected); a rejected file is counted once, not at every poll.',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly configReloadOk = new Gauge({
    name: METRICS.configReloadOk,
    help: '1 when the config file is the one being served, 0 while a rejected change is on disk.',
    registers: [this.registry],
  });
  readonly configInfo = this.#gauge('mlspec_config_info', 'Config being served (value 1), by file digest.', ['digest']);
  readonly events = new Counter({
    name: 'mlspec_events_total',
    help: 'Assignment events by sink and outcome (written; dropped when the sink lags or its buffer is full; failed).',
    labelNames: ['sink', 'outcome'],
    registers: [this.registry],
  });

  constructor(modelName: string) {
    this.#model = modelName;
    this.configReloadOk.set(1);
    for (const result of ['applied', 'rejected']) this.configReloads.inc({ result }, 0);
  }

  get model(): string {
    return this.#model;
  }

  /** Info and weight gauges describe the config being served: reset, then set anew. */
  configApplied(config: RuntimeConfig, digest: string, weights: Readonly<Record<string, number>>): void {
    this.#model = config.model.name;
    const model = this.#model;
    this.modelInfo.reset();
    for (const v of config.variants)
      this.modelInfo.set({ model, variant: v.name, version: v.version, role: v.role, sha256: v.sha256 }, 1);
    this.configInfo.reset();
    this.configInfo.set({ digest }, 1);
    this.weights(config, weights);
    this.canaryState.reset();
    this.canaryStep.reset();
    this.canaryStepStarted.reset();
    const canary = config.traffic.canary;
    if (canary) {
      this.canaryDrains.inc({ model, variant: canary.canary }, 0);
      if (canary.state) for (const result of ['ok', 'error']) this.canarySync.inc({ model, result }, 0);
    }
    const sinks = config.events ? eventSinks(config.events) : [];
    for (const sink of sinks)
      for (const outcome of ['written', 'dropped', 'failed']) this.events.inc({ sink, outcome }, 0);
  }

  weights(config: RuntimeConfig, weights: Readonly<Record<string, number>>): void {
    this.trafficWeight.reset();
    for (const v of config.variants)
      this.trafficWeight.set({ model: this.#model, variant: v.name }, (weights[v.name] ?? 0) / 100);
  }

  canary(variant: string, revision: string, state: CanaryState): void {
    const model = this.#model;
    for (const s of CANARY_PHASES)
      this.canaryState.set({ model, variant, revision, state: s }, s === state.phase ? 1 : 0);
    this.canaryStep.set({ model, variant, revision }, state.step);
    this.canaryStepStarted.reset();
    if (state.phase !== 'syncing')
      this.canaryStepStarted.set({ model, variant, revision, step: String(state.step) }, state.stepStartedAt / 1000);
  }

  drift(report: DriftReport): void {
    const model = this.#model;
    this.driftWindows.inc({ model });
    this.driftSamples.set({ model }, report.samples);
    // Too few samples: the last verdict stays exported, marked stale.
    this.driftStale.set({ model }, report.features.length === 0 ? 1 : 0);
    if (report.features.length === 0) return;
    for (const f of report.features) {
      this.driftPsi.set({ model, feature: f.name }, f.psi);
      this.driftPValue.set({ model, feature: f.name, test: f.test }, f.pValue);
      this.driftAdjustedPValue.set({ model, feature: f.name }, f.adjustedPValue);
      this.driftFeature.set({ model, feature: f.name }, f.drifted ? 1 : 0);
    }
    this.datasetDrift.set({ model }, report.datasetDrift ? 1 : 0);
  }

  #gauge(name: string, help: string, labelNames: string[]): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}

/** The sinks an events section ships to, as `sink` label values. */
export function eventSinks(events: NonNullable<RuntimeConfig['events']>): string[] {
  return [...(events.path ? ['file'] : []), ...(events.stdout ? ['stdout'] : []), ...(events.sink ? ['http'] : [])];
}
