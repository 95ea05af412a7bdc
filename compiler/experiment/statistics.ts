// The tests an A/B report rests on. Each takes summary statistics, so the same code serves
// events joined with outcomes and counters read from Prometheus.
import {
  chiSquaredSf,
  normalQuantile,
  normalSf,
  studentTQuantile,
  studentTSf,
} from '../../core/statistics/distributions.js';

export type Interval = readonly [number, number];

/** Summary of one variant's goal metric: a rate (successes of n) or a mean of n values. */
export interface Sample {
  readonly n: number;
  readonly mean: number;
  /** Sample variance (n − 1 denominator); for a rate, p(1 − p). */
  readonly variance: number;
}

export function rateSample(successes: number, n: number): Sample {
  const p = n > 0 ? successes / n : 0;
  return { n, mean: p, variance: p * (1 - p) };
}

export function meanSample(values: readonly number[]): Sample {
  const n = values.length;
  if (n === 0) return { n, mean: 0, variance: 0 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return { n, mean, variance: n > 1 ? squares / (n - 1) : 0 };
}

/** Wilson score interval of a proportion (good coverage near 0 and 1, unlike the Wald interval). */
export function wilsonInterval(s: Sample, alpha: number): Interval {
  if (s.n === 0) return [0, 1];
  const z = normalQuantile(1 - alpha / 2);
  const z2 = z * z;
  const centre = (s.mean + z2 / (2 * s.n)) / (1 + z2 / s.n);
  const half = (z / (1 + z2 / s.n)) * Math.sqrt((s.mean * (1 - s.mean)) / s.n + z2 / (4 * s.n * s.n));
  return [centre - half, centre + half];
}

/** Student's t interval of a mean. */
export function meanInterval(s: Sample, alpha: number): Interval {
  if (s.n < 2) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const half = studentTQuantile(1 - alpha / 2, s.n - 1) * Math.sqrt(s.variance / s.n);
  return [s.mean - half, s.mean + half];
}

export interface Comparison {
  readonly test: 'two-proportion z' | 'Welch t';
  /** treatment − control */
  readonly difference: number;
  readonly statistic: number;
  /** Welch–Satterthwaite degrees of freedom (t test only). */
  readonly df?: number;
  /** Two-sided. */
  readonly pValue: number;
  readonly interval: Interval;
}

/** Two-proportion z-test: pooled standard error for the test, unpooled for the interval. */
export function twoProportionZ(control: Sample, treatment: Sample, alpha: number): Comparison {
  const difference = treatment.mean - control.mean;
  const pooled = (control.mean * control.n + treatment.mean * treatment.n) / (control.n + treatment.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  const statistic = se > 0 ? difference / se : 0;
  const seDiff = Math.sqrt(control.variance / control.n + treatment.variance / treatment.n);
  const z = normalQuantile(1 - alpha / 2);
  return {
    test: 'two-proportion z',
    difference,
    statistic,
    pValue: se > 0 ? 2 * normalSf(Math.abs(statistic)) : 1,
    interval: [difference - z * seDiff, difference + z * seDiff],
  };
}

/** Welch's t-test (unequal variances) with the Welch–Satterthwaite degrees of freedom. */
export function welchT(control: Sample, treatment: Sample, alpha: number): Comparison {
  const difference = treatment.mean - control.mean;
  const vc = control.variance / control.n;
  const vt = treatment.variance / treatment.n;
  const se = Math.sqrt(vc + vt);
  if (!(se > 0))
    return { test: 'Welch t', difference, statistic: 0, df: 0, pValue: 1, interval: [difference, difference] };
  const df = (vc + vt) ** 2 / (vc ** 2 / (control.n - 1) + vt ** 2 / (treatment.n - 1));
  const statistic = difference / se;
  const q = studentTQuantile(1 - alpha / 2, df);
  return {
    test: 'Welch t',
    difference,
    statistic,
    df,
    pValue: 2 * studentTSf(Math.abs(statistic), df),
    interval: [difference - q * se, difference + q * se],
  };
}

export interface GoodnessOfFit {
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
  readonly expected: readonly number[];
}

/** Pearson's chi-squared test of observed counts against expected shares (the sample-ratio check). */
export function chiSquaredGoodnessOfFit(observed: readonly number[], shares: readonly number[]): GoodnessOfFit {
  const total = observed.reduce((a, b) => a + b, 0);
  const shareTotal = shares.reduce((a, b) => a + b, 0);
  const expected = shares.map((s) => (total * s) / shareTotal);
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i]!;
    if (e > 0) statistic += (observed[i]! - e) ** 2 / e;
    else if (observed[i]! > 0) statistic = Number.POSITIVE_INFINITY;
  }
  const df = observed.length - 1;
  // Units where none were expected (a variant at weight 0 that still gets traffic) cannot be chance.
  const pValue = total === 0 ? 1 : statistic === Number.POSITIVE_INFINITY ? 0 : chiSquaredSf(statistic, df);
  return { statistic, df, pValue, expected };
}

/** Holm's step-down adjustment: controls the family-wise error rate at alpha for any dependence. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * Units per variant for a two-sided test at `alpha` to detect `delta` with `power`, with
 * `ratio` treatment units per control unit. Rates use the pooled variance under the null and
 * the two variances under the alternative (Fleiss); means use one standard deviation for both.
 */
export function requiredSample(
  o:
    | { kind: 'rate'; control: number; treatment: number; alpha: number; power: number; ratio: number }
    | { kind: 'mean'; sd: number; delta: number; alpha: number; power: number; ratio: number },
): { control: number; treatment: number } {
  const za = normalQuantile(1 - o.alpha / 2);
  const zb = normalQuantile(o.power);
  const r = o.ratio;
  let nControl: number;
  if (o.kind === 'rate') {
    const p1 = o.control;
    const p2 = o.treatment;
    const pBar = (p1 + r * p2) / (1 + r);
    const a = za * Math.sqrt(pBar * (1 - pBar) * (1 + 1 / r));
    const b = zb * Math.sqrt(p1 * (1 - p1) + (p2 * (1 - p2)) / r);
    nControl = (a + b) ** 2 / (p2 - p1) ** 2;
  } else {
    nControl = ((za + zb) ** 2 * o.sd ** 2 * (1 + 1 / r)) / o.delta ** 2;
  }
  return { control: Math.ceil(nControl), treatment: Math.ceil(nControl * r) };
}
