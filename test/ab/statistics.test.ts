// The distributions and tests against scipy 1.17 (values printed by python3 with scipy.stats; the
// per-scenario values come from test/ab/reference.py), to 6 significant digits.
import { describe, expect, it } from 'vitest';
import {
  chiSquaredSf,
  normalQuantile,
  normalSf,
  studentTQuantile,
  studentTSf,
} from '../../core/statistics/distributions.js';
import { holmAdjust, requiredSample } from '../../compiler/experiment/statistics.js';
import { expectSig6 } from './expect.js';

describe('distributions match scipy.stats', () => {
  it('normal, t and chi-squared tails and quantiles, far into the tails', () => {
    expectSig6(normalSf(8.5), 9.47953e-18); // norm.sf(8.5)
    expectSig6(normalQuantile(1e-12), -7.03448); // norm.ppf(1e-12)
    expectSig6(studentTSf(2.5, 3.7), 0.035911); // t.sf(2.5, 3.7)
    expectSig6(studentTQuantile(0.975, 4.2), 2.72507); // t.ppf(0.975, 4.2)
    expectSig6(studentTQuantile(0.999, 1.5), 52.1844); // t.ppf(0.999, 1.5)
    expectSig6(chiSquaredSf(40, 3), 1.06551e-8); // chi2.sf(40, 3)
    expectSig6(chiSquaredSf(0.5, 1), 0.4795); // chi2.sf(0.5, 1)
  });
});

describe('corrections and sample size', () => {
  it("Holm's step-down keeps the adjusted p-values monotone in the raw order", () => {
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02]);
  });

  it('the planned sample for two rates and for two means (Bonferroni alpha for two comparisons)', () => {
    // reference.py: required_rate(0.2, 0.22, 0.05, 0.8, 1) and required_mean(6, 0.5, 0.025, 0.8, 33/34)
    expect(requiredSample({ kind: 'rate', control: 0.2, treatment: 0.22, alpha: 0.05, power: 0.8, ratio: 1 })).toEqual({
      control: 6510,
      treatment: 6510,
    });
    expect(requiredSample({ kind: 'mean', sd: 6, delta: 0.5, alpha: 0.025, power: 0.8, ratio: 33 / 34 })).toEqual({
      control: 2779,
      treatment: 2698,
    });
  });
});
