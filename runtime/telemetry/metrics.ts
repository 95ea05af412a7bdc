// Every Prometheus metric the runtime exports, on its own registry. Names follow Prometheus
// conventions (`mlspec_` prefix, `_total` counters, `_seconds` durations, `_ratio` fractions);
// labels are bounded by the config (model, variant, feature, status code, a few fixed enums),
// never by traffic. Nothing on the request path goes through prom-client: request counts are
// plain numbers added to the counters at scrape, and histograms count into arrays
// (bucket-histogram.ts); prom-client hashes label objects on every `inc` and `observe`.
//
// Counters that alert rules and gates read are created at 0 for every label set the config
// makes known (`configApplied`): `increase()` cannot see the first event of a series that did
// not exist before it, so the first drain, or the first 500, would never fire an alert.
import { Counter } from 'prom-client';
import type { RuntimeConfig } from '../contract/config.js';
import { METRICS } from '../contract/metric-names.js';
import { BucketHistogram, type HistogramSeries } from './bucket-histogram.js';
import { FeatureMetrics } from './feature-metrics.js';
import { registerProcessMetrics } from './process-metrics.js';
import { StateMetrics } from './state-metrics.js';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Log-spaced (x1.25) from 0.25 ms to a minute: a p99 read from them is within a quarter of the truth. */
const GATE_BUCKETS = Array.from({ length: 56 }, (_, i) => Number((0.00025 * 1.25 ** i).toPrecision(3)));
/** Server errors the runtime answers with; series exist from the start. */
const SERVER_ERROR_CODES = ['500', '502', '503', '504'];

interface PendingCount {
  readonly labels: { model: string; variant: string; code: string };
  count: number;
  readonly status: number;
}

export type ShadowOutcome = 'ok' | 'error' | 'dropped';

export class RuntimeMetrics extends StateMetrics {
  // Request counts are kept in plain numbers on the request path and added to these counters
  // when Prometheus scrapes (`collect`).
  readonly requests = new Counter({
    name: METRICS.requests,
    help: 'Requests answered: every inference request and every error answer, by variant and HTTP status code.',
    labelNames: ['model', 'variant', 'code'],
    registers: [this.registry],
    collect: () => this.#flush(),
  });
  readonly errors = new Counter({
    name: METRICS.errors,
    help: 'Requests answered with a server error (5xx): what error-rate alerts and canary gates judge.',
    labelNames: ['model', 'variant', 'code'],
    registers: [this.registry],
    collect: () => this.#flush(),
  });
  readonly clientErrors = new Counter({
    name: METRICS.clientErrors,
    help: "Requests refused as the client's fault (4xx).",
    labelNames: ['model', 'variant', 'code'],
    registers: [this.registry],
    collect: () => this.#flush(),
  });
  readonly duration = new BucketHistogram(
    METRICS.latency,
    'Inference request latency, from body received to response written.',
    LATENCY_BUCKETS,
    this.registry,
  );
  readonly gateRequests = new Counter({
    name: METRICS.gateRequests,
    help: 'Live (split and sticky) requests of stable and canary by outcome (ok, server_error): canary gate evidence.',
    labelNames: ['model', 'variant', 'version', 'outcome'],
    registers: [this.registry],
    collect: () => this.#flushGate(),
  });
  readonly gateLatency = new BucketHistogram(
    METRICS.gateLatency,
    'Latency of live requests of stable and canary, in fine buckets for the gate p99.',
    GATE_BUCKETS,
    this.registry,
  );
  readonly shadowRequests = new Counter({
    name: 'mlspec_shadow_requests_total',
    help:
      'Copies for the shadow variant by outcome (ok; error, including NaN or infinite outputs; ' +
      'dropped when the lane is full).',
    labelNames: ['model', 'variant', 'outcome'],
    registers: [this.registry],
  });
  readonly shadowDuration = new BucketHistogram(
    'mlspec_shadow_request_duration_seconds',
    'Latency of shadow inference (answers are discarded).',
    LATENCY_BUCKETS,
    this.registry,
  );
  readonly discarded = new Counter({
    name: 'mlspec_inference_discarded_total',
    help: 'Model calls whose request had been answered 504: late (answer came after) or expired (never started).',
    labelNames: ['model', 'variant', 'reason'],
    registers: [this.registry],
  });
  readonly calls = new Counter({
    name: 'mlspec_inference_calls_total',
    help: 'Model calls by where they ran: on the event loop (predicted short) or on an inference worker.',
    labelNames: ['place'],
    registers: [this.registry],
    collect: () => this.#flushCalls(),
  });
  readonly batchRows = new BucketHistogram(
    'mlspec_inference_batch_rows',
    'Rows per model call (micro-batching stacks requests).',
    [1, 2, 4, 8, 16, 32, 64, 128, 256],
    this.registry,
  );
  readonly features = new FeatureMetrics(this.registry, () => this.model);
  readonly connectionsDropped = new Counter({
    name: 'mlspec_connections_dropped_total',
    help: 'Connections closed on arrival because `server.maxConnections` were open.',
    registers: [this.registry],
  });

  /** Per variant: answers not yet added to the counters, by status code, and its latency series. */
  readonly #variants = new Map<
    string,
    { readonly byStatus: Map<number, PendingCount>; readonly latency: HistogramSeries }
  >();
  readonly #gate = new Map<string, { ok: number; errors: number; readonly latency: HistogramSeries }>();
  readonly #calls = { event_loop: 0, worker: 0 };

  constructor(modelName: string, processMetrics = true) {
    super(modelName);
    if (processMetrics) registerProcessMetrics(this.registry);
    for (const place of ['event_loop', 'worker']) this.calls.inc({ place }, 0);
  }

  /** A model call ran here (counted in a plain number; added to the counter at scrape). */
  modelCall(place: 'event_loop' | 'worker'): void {
    this.#calls[place]++;
  }

  /** An inference request answered with `status` after `seconds`. */
  request(variant: string, status: number, seconds: number): void {
    this.#pendingFor(variant, status).count++;
    this.#counts(variant).latency.observe(seconds);
  }

  /** Any other answer worth counting: an error outside inference (404, 405, 408, ...). */
  answered(status: number): void {
    this.#pendingFor('', status).count++;
  }

  /** A live request of stable or canary: the gate's evidence, across replicas through Prometheus. */
  gate(variant: string, version: string, serverError: boolean, seconds: number): void {
    const key = `${variant}\0${version}`;
    let g = this.#gate.get(key);
    if (!g)
      this.#gate.set(
        key,
        (g = { ok: 0, errors: 0, latency: this.gateLatency.series({ model: this.model, variant, version }) }),
      );
    if (serverError) g.errors++;
    else g.ok++;
    g.latency.observe(seconds);
  }

  shadow(variant: string, outcome: ShadowOutcome, seconds?: number): void {
    this.shadowRequests.inc({ model: this.model, variant, outcome });
    if (seconds !== undefined) this.shadowDuration.series({ model: this.model, variant }).observe(seconds);
  }

  discard(variant: string, reason: 'late' | 'expired'): void {
    this.discarded.inc({ model: this.model, variant, reason });
  }

  batch(variant: string, rows: number): void {
    this.batchRows.series({ model: this.model, variant }).observe(rows);
  }

  override configApplied(config: RuntimeConfig, digest: string, weights: Readonly<Record<string, number>>): void {
    if (config.model.name !== this.model) {
      this.#flush();
      this.#flushGate();
      this.#variants.clear();
      this.#gate.clear();
    }
    super.configApplied(config, digest, weights);
    const model = this.model;
    // A shadow variant never answers a request: its copies have their own counter.
    for (const v of config.variants.filter((x) => x.role !== 'shadow')) {
      this.requests.inc({ model, variant: v.name, code: '200' }, 0);
      for (const code of SERVER_ERROR_CODES) {
        this.requests.inc({ model, variant: v.name, code }, 0);
        this.errors.inc({ model, variant: v.name, code }, 0);
      }
      for (const reason of ['late', 'expired']) this.discarded.inc({ model, variant: v.name, reason }, 0);
    }
    const canary = config.traffic.canary;
    if (canary)
      for (const v of config.variants.filter((x) => x.name === canary.stable || x.name === canary.canary))
        for (const outcome of ['ok', 'server_error'])
          this.gateRequests.inc({ model, variant: v.name, version: v.version, outcome }, 0);
    const shadow = config.traffic.shadow;
    if (shadow)
      for (const outcome of ['ok', 'error', 'dropped'])
        this.shadowRequests.inc({ model, variant: shadow.variant, outcome }, 0);
  }

  #counts(variant: string) {
    let v = this.#variants.get(variant);
    if (!v)
      this.#variants.set(
        variant,
        (v = { byStatus: new Map(), latency: this.duration.series({ model: this.model, variant }) }),
      );
    return v;
  }

  #pendingFor(variant: string, status: number): PendingCount {
    const v = this.#counts(variant);
    let p = v.byStatus.get(status);
    if (!p)
      v.byStatus.set(status, (p = { labels: { model: this.model, variant, code: String(status) }, count: 0, status }));
    return p;
  }

  #flush(): void {
    for (const { byStatus } of this.#variants.values()) {
      for (const p of byStatus.values()) {
        if (p.count === 0) continue;
        this.requests.inc(p.labels, p.count);
        if (p.status >= 500) this.errors.inc(p.labels, p.count);
        else if (p.status >= 400) this.clientErrors.inc(p.labels, p.count);
        p.count = 0;
      }
    }
    this.#flushGate();
  }

  #flushCalls(): void {
    for (const place of ['event_loop', 'worker'] as const) {
      if (this.#calls[place] > 0) this.calls.inc({ place }, this.#calls[place]);
      this.#calls[place] = 0;
    }
  }

  #flushGate(): void {
    for (const [key, g] of this.#gate) {
      const [variant, version] = key.split('\0') as [string, string];
      if (g.ok > 0) this.gateRequests.inc({ model: this.model, variant, version, outcome: 'ok' }, g.ok);
      if (g.errors > 0)
        this.gateRequests.inc({ model: this.model, variant, version, outcome: 'server_error' }, g.errors);
      g.ok = 0;
      g.errors = 0;
    }
  }
}
