// Drift statistics against reference values computed independently with Python 3 and
// SciPy 1.17.1 / NumPy 2.4.6 (the expression that produced each value is quoted next to it).
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, bonferroni, type Correction } from '../../../runtime/telemetry/drift/correction.js';
import { chiSquaredSf, logGamma, upperRegularizedGamma } from '../../../core/statistics/distributions.js';
import { kolmogorovSurvival } from '../../../runtime/telemetry/drift/kolmogorov.js';
import { PSI_EPSILON, psi } from '../../../runtime/telemetry/drift/psi.js';
import { chiSquaredTest, ksTest, type TwoSampleTest } from '../../../runtime/telemetry/drift/two-sample.js';
import { multinomial, seeded } from '../helpers/random.js';

describe('PSI (natural log, proportions floored at 1e-4)', () => {
  it('matches the reference for 10 equal bins against [.05,.05,.1,...,.15,.15]', () => {
    // numpy: sum((l-b)*log(l/b)) = 0.10986122886681095 (= 0.1·ln 3)
    const baseline = Array(10).fill(100);
    const live = [50, 50, 100, 100, 100, 100, 100, 100, 150, 150];
    expect(psi(baseline, live)).toBeCloseTo(0.109861, 6);
    expect(psi(baseline, live)).toBeCloseTo(0.10986122886681095, 12);
  });

  it('is 0 for identical proportions, whatever the sample sizes', () => {
    expect(psi([10, 20, 30], [100, 200, 300])).toBe(0);
  });

  it('stays finite for an empty bin, using the epsilon floor', () => {
    const value = psi([50, 50], [100, 0]);
    const expected = (1 - 0.5) * Math.log(1 / 0.5) + (PSI_EPSILON - 0.5) * Math.log(PSI_EPSILON / 0.5);
    expect(value).toBeCloseTo(expected, 12);
  });
});

describe('special functions', () => {
  it('log-gamma', () => {
    // scipy.special.gammaln
    const cases: [number, number][] = [
      [0.5, 0.5723649429247],
      [1, 0],
      [2.5, 0.2846828704729192],
      [10, 12.801827480081469],
      [0.1, 2.252712651734206],
    ];
    for (const [x, want] of cases) expect(logGamma(x)).toBeCloseTo(want, 11);
  });

  it('regularized upper incomplete gamma Q(a, x), both the series and the continued fraction', () => {
    // scipy.special.gammaincc(a, x)
    const cases: [number, number, number][] = [
      [0.5, 0.1, 0.6547208460185768],
      [1, 1, 0.36787944117144245],
      [2.5, 3.0, 0.30621891841327875],
      [5, 2, 0.9473469826562889],
      [5, 12, 0.007600390681066992],
      [10, 10, 0.4579297144718523],
      [50, 40, 0.9296649333406051],
      [0.5, 20, 2.5396285894708634e-10],
    ];
    for (const [a, x, want] of cases) expect(upperRegularizedGamma(a, x) / want).toBeCloseTo(1, 9);
  });

  it('chi-squared survival function', () => {
    // scipy.stats.chi2.sf(x, df)
    const cases: [number, number, number][] = [
      [3.841458820694124, 1, 0.04999999999999989],
      [5.647059, 2, 0.05939593436438681],
      [20, 9, 0.017912404529843298],
      [100, 60, 0.0009168288614560842],
      [0.5, 3, 0.9188914116546758],
    ];
    for (const [x, df, want] of cases) expect(chiSquaredSf(x, df) / want).toBeCloseTo(1, 9);
  });

  it('Kolmogorov distribution survival function, on both sides of the switch at 1.18', () => {
    // scipy.stats.kstwobign.sf(lambda)
    const cases: [number, number][] = [
      [0.3, 0.9999906941986655],
      [0.5, 0.9639452436648751],
      [0.8, 0.5441424115741981],
      [1.0, 0.26999967167735456],
      [1.17, 0.12939004218561884],
      [1.19, 0.11774229287977166],
      [1.36, 0.049485876755377876],
      [1.5, 0.022217962616525127],
      [2.0, 0.0006709252557796953],
      [3.0, 3.045995948942526e-8],
    ];
    for (const [lambda, want] of cases) expect(kolmogorovSurvival(lambda) / want).toBeCloseTo(1, 9);
  });
});

describe('two-sample tests: reference values', () => {
  it('chi-squared on [[30,50,20],[45,35,20]]: 5.647059, p 0.059396', () => {
    // scipy.stats.chi2_contingency([[30,50,20],[45,35,20]], correction=False)
    //   → statistic 5.647058823529411, pvalue 0.05939593960520477, dof 2
    const r = chiSquaredTest.test([30, 50, 20], [45, 35, 20]);
    expect(r.statistic).toBeCloseTo(5.647059, 6);
    expect(r.pValue).toBeCloseTo(0.059396, 6);
    expect(r.pValue / 0.05939593960520477).toBeCloseTo(1, 9);
  });

  it('KS on binned counts', () => {
    // numpy/scipy: base=[120,180,250,200,150,100], live=[60,80,110,120,90,90]
    //   D = max|cumsum(base)/1000 - cumsum(live)/550| = 0.09545454545454551
    //   ne = 1000·550/1550; p = scipy.stats.kstwobign.sf(sqrt(ne)·D) = 0.0031100126570005357
    const r = ksTest.test([120, 180, 250, 200, 150, 100], [60, 80, 110, 120, 90, 90]);
    expect(r.statistic).toBeCloseTo(0.09545454545454551, 12);
    expect(r.pValue / 0.0031100126570005357).toBeCloseTo(1, 9);
  });

  it('chi-squared drops bins empty in both samples from the degrees of freedom', () => {
    expect(chiSquaredTest.test([30, 50, 0, 20], [45, 35, 0, 20]).pValue).toBeCloseTo(0.05939593960520477, 12);
  });
});

// Every two-sample test must satisfy the same contract.
describe.each([ksTest, chiSquaredTest] as TwoSampleTest[])('two-sample test contract: $name', (t) => {
  const probabilities = [0.05, 0.1, 0.15, 0.2, 0.2, 0.15, 0.1, 0.05];
  const baseline = probabilities.map((p) => p * 100_000);

  it('gives statistic 0 and p = 1 for identical proportions', () => {
    const r = t.test(
      baseline,
      probabilities.map((p) => p * 1000),
    );
    expect(r.statistic).toBeCloseTo(0, 12);
    expect(r.pValue).toBeCloseTo(1, 12);
  });

  it('gives p = 1 when a sample is empty (no evidence)', () => {
    expect(
      t.test(
        baseline,
        probabilities.map(() => 0),
      ).pValue,
    ).toBe(1);
  });

  it('is calibrated under the null: about α of clean windows reject', () => {
    const random = seeded(42);
    const trials = 300;
    let rejected = 0;
    for (let i = 0; i < trials; i++)
      if (t.test(baseline, multinomial(random, 500, probabilities)).pValue <= 0.05) rejected++;
    // Binomial(300, 0.05) has sd 0.0126; binned KS is conservative, so only an upper bound for it.
    expect(rejected / trials).toBeLessThan(0.05 + 4 * 0.0126);
    if (t.name === 'chi2') expect(rejected / trials).toBeGreaterThan(0.05 - 4 * 0.0126);
  });

  it('detects a clear shift, with more evidence for a larger window', () => {
    const shifted = [0.02, 0.05, 0.1, 0.15, 0.2, 0.2, 0.16, 0.12];
    const small = t.test(
      baseline,
      shifted.map((p) => p * 500),
    );
    const large = t.test(
      baseline,
      shifted.map((p) => p * 5000),
    );
    expect(small.pValue).toBeLessThan(0.01);
    expect(large.pValue).toBeLessThan(small.pValue);
    expect(large.pValue).toBeGreaterThanOrEqual(0);
  });
});

describe('multiple-testing corrections: reference values', () => {
  const p = [0.01, 0.04, 0.03, 0.5, 0.002, 0.2];
  it('Benjamini-Hochberg', () => {
    // scipy.stats.false_discovery_control([0.01,0.04,0.03,0.5,0.002,0.2]) → [0.03,0.06,0.06,0.5,0.012,0.24]
    benjaminiHochberg(p).forEach((v, i) => expect(v).toBeCloseTo([0.03, 0.06, 0.06, 0.5, 0.012, 0.24][i]!, 12));
  });
  it('Bonferroni', () => {
    // p·6 capped at 1, by hand
    expect(bonferroni(p)).toEqual([0.06, 0.24, 0.18, 1, 0.012, 1]);
  });
});

describe.each([
  ['bonferroni', bonferroni],
  ['benjamini-hochberg', benjaminiHochberg],
] as [string, Correction][])('correction contract: %s', (_, correct) => {
  const random = seeded(7);
  const p = Array.from({ length: 40 }, () => random() ** 3);
  const adjusted = correct(p);
  it('never lowers a p-value and never exceeds 1', () => {
    adjusted.forEach((a, i) => {
      expect(a).toBeGreaterThanOrEqual(p[i]!);
      expect(a).toBeLessThanOrEqual(1);
    });
  });
  it('keeps the order of the raw p-values', () => {
    for (let i = 0; i < p.length; i++)
      for (let j = 0; j < p.length; j++) if (p[i]! < p[j]!) expect(adjusted[i]).toBeLessThanOrEqual(adjusted[j]!);
  });
  it('leaves a single test unchanged', () => {
    expect(correct([0.03])).toEqual([0.03]);
  });
});
