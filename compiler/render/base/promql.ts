// PromQL for alerts, KEDA triggers and rollout analysis, written once against the runtime's
// metric names. A serving tier's series are found by `namespace` and `service` (the labels
// prometheus-operator attaches to every target of a ServiceMonitor) and, where it matters,
// by the runtime's `variant` label.
import { METRICS } from '../../../runtime/contract/metric-names.js';

export interface SeriesSelector {
  readonly namespace: string;
  readonly service: string;
  /** Only these variants (regex alternatives); all when absent. */
  readonly variants?: readonly string[];
}

export function matchers(sel: SeriesSelector): string {
  const parts = [`namespace="${sel.namespace}"`, `service="${sel.service}"`];
  if (sel.variants?.length)
    parts.push(sel.variants.length === 1 ? `variant="${sel.variants[0]}"` : `variant=~"${sel.variants.join('|')}"`);
  return `{${parts.join(', ')}}`;
}

/** Fraction of requests that failed over `window`. */
export function errorRatio(sel: SeriesSelector, window: string): string {
  const m = matchers(sel);
  return `sum(rate(${METRICS.errors}${m}[${window}])) / sum(rate(${METRICS.requests}${m}[${window}]))`;
}

/** 99th percentile latency in seconds over `window`. */
export function p99Latency(sel: SeriesSelector, window: string): string {
  return `histogram_quantile(0.99, sum by (le) (rate(${METRICS.latency}_bucket${matchers(sel)}[${window}])))`;
}

/** Drift gauges describe the tier's input data: they carry no `variant` label. */
const tierOnly = (sel: SeriesSelector): SeriesSelector => ({ namespace: sel.namespace, service: sel.service });

/** Highest per-feature PSI of the last drift window. */
export function maxDriftPsi(sel: SeriesSelector): string {
  return `max(${METRICS.driftPsi}${matchers(tierOnly(sel))})`;
}

/** 1 when the runtime flagged the last window's data as drifted (its thresholds and tests). */
export function datasetDrift(sel: SeriesSelector): string {
  return `max(${METRICS.datasetDrift}${matchers(tierOnly(sel))})`;
}

/** Requests per second across the tier. */
export function requestRate(sel: SeriesSelector, window: string): string {
  return `sum(rate(${METRICS.requests}${matchers(sel)}[${window}]))`;
}

/**
 * Requests in flight across the tier. The runtime exports no gauge for it; by Little's law the
 * mean number of requests in progress is the arrival rate times the mean latency, which is
 * exactly the rate of the latency histogram's `_sum`.
 */
export function inflightRequests(sel: SeriesSelector, window: string): string {
  return `sum(rate(${METRICS.latency}_sum${matchers(sel)}[${window}]))`;
}

/** Requests served over `window` (for "enough data" guards). */
export function requestCount(sel: SeriesSelector, window: string): string {
  return `sum(increase(${METRICS.requests}${matchers(sel)}[${window}]))`;
}

/**
 * `query` when at least `minRequests` arrived in `window`, else `fallback`: a gate gives no
 * verdict on too little traffic (as the runtime's own canary gate does), so it passes.
 */
export function whenEnoughTraffic(
  query: string,
  sel: SeriesSelector,
  window: string,
  minRequests: number,
  fallback = 0,
): string {
  return `((${query}) and on() (${requestCount(sel, window)} >= ${minRequests})) or on() vector(${fallback})`;
}
