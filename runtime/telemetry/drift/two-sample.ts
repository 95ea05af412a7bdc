// Two-sample tests on binned counts: is the live window drawn from the baseline distribution?
// Both take two count vectors over the same bins; they are interchangeable behind one interface
// (and share one test suite).
import { chiSquaredSf } from '../../../core/statistics/distributions.js';
import { kolmogorovSurvival } from './kolmogorov.js';
import { total } from './psi.js';

export interface TestResult {
  readonly statistic: number;
  readonly pValue: number;
}

export interface TwoSampleTest {
  readonly name: 'ks' | 'chi2';
  test(baseline: ArrayLike<number>, live: ArrayLike<number>): TestResult;
}

/**
 * Kolmogorov-Smirnov on ordered bins: D is the largest gap between the two empirical CDFs at
 * the bin edges, and p = Q_KS(√n_e · D) with n_e = n·m / (n + m), the asymptotic two-sample
 * distribution (scipy.stats.kstwobign.sf). Binning can only hide gaps inside a bin, so D is at
 * most the raw-data statistic and the test errs on the side of "no drift".
 */
export const ksTest: TwoSampleTest = {
  name: 'ks',
  test(baseline, live) {
    const n = total(baseline);
    const m = total(live);
    if (n === 0 || m === 0) return { statistic: 0, pValue: 1 };
    let cb = 0;
    let cl = 0;
    let d = 0;
    for (let i = 0; i < baseline.length; i++) {
      cb += baseline[i]!;
      cl += live[i]!;
      d = Math.max(d, Math.abs(cb / n - cl / m));
    }
    return { statistic: d, pValue: kolmogorovSurvival(Math.sqrt((n * m) / (n + m)) * d) };
  },
};

/**
 * Pearson's chi-squared test of homogeneity on the 2 × k table (baseline, live) × bins, without
 * Yates' correction (scipy.stats.chi2_contingency(..., correction=False)). Bins empty in both
 * rows are dropped; df = (bins left) − 1.
 */
export const chiSquaredTest: TwoSampleTest = {
  name: 'chi2',
  test(baseline, live) {
    const n = total(baseline);
    const m = total(live);
    if (n === 0 || m === 0) return { statistic: 0, pValue: 1 };
    const all = n + m;
    let stat = 0;
    let bins = 0;
    for (let i = 0; i < baseline.length; i++) {
      const col = baseline[i]! + live[i]!;
      if (col === 0) continue;
      bins++;
      const eb = (n * col) / all;
      const el = (m * col) / all;
      stat += (baseline[i]! - eb) ** 2 / eb + (live[i]! - el) ** 2 / el;
    }
    if (bins < 2) return { statistic: 0, pValue: 1 };
    return { statistic: stat, pValue: chiSquaredSf(stat, bins - 1) };
  },
};
