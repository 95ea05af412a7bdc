// Metrics of online feature retrieval: how long the feature server takes, what it answers per
// feature (present, or why not, and when a default stood in), and how old the served values are
// (freshness, from each value's event timestamp).
import { Counter, type Registry } from 'prom-client';
import { BucketHistogram, type HistogramSeries } from './bucket-histogram.js';

const AGE_BUCKETS = [1, 10, 60, 300, 900, 1800, 3600, 7200, 21600, 43200, 86400, 259200, 604800];
const FETCH_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export class FeatureMetrics {
  readonly fetchDuration: BucketHistogram;
  readonly age: BucketHistogram;
  readonly values: Counter;
  readonly failures: Counter;
  readonly #ages = new Map<string, HistogramSeries>();

  constructor(
    registry: Registry,
    private readonly model: () => string,
  ) {
    this.fetchDuration = new BucketHistogram(
      'mlspec_feature_fetch_duration_seconds',
      'Time of a get-online-features call to the feature server.',
      FETCH_BUCKETS,
      registry,
    );
    this.age = new BucketHistogram(
      'mlspec_feature_age_seconds',
      'Age of fetched feature values at serving time (now minus the value event timestamp): freshness.',
      AGE_BUCKETS,
      registry,
    );
    this.values = new Counter({
      name: 'mlspec_feature_values_total',
      help: 'Fetched feature values by status (present, not_found, null_value, outside_max_age) and source.',
      labelNames: ['model', 'feature', 'status', 'source'],
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'mlspec_feature_fetch_failures_total',
      help: 'Calls to the feature server that failed, by reason (timeout, unreachable, error_status, bad_answer).',
      labelNames: ['model', 'reason'],
      registers: [registry],
    });
  }

  fetched(seconds: number): void {
    this.fetchDuration.series({ model: this.model() }).observe(seconds);
  }

  value(feature: string, status: string, source: 'store' | 'default' | 'request', ageSeconds?: number): void {
    this.values.inc({ model: this.model(), feature, status, source });
    if (ageSeconds === undefined) return;
    let s = this.#ages.get(feature);
    if (!s) this.#ages.set(feature, (s = this.age.series({ model: this.model(), feature })));
    s.observe(Math.max(0, ageSeconds));
  }

  failed(reason: 'timeout' | 'unreachable' | 'error_status' | 'bad_answer'): void {
    this.failures.inc({ model: this.model(), reason });
  }
}
