// Generated event streams with known effects, read as the runtime ships them and joined with
// outcome records, reach the right verdicts with scipy's numbers (test/ab/reference.py prints
// the references quoted here).
import { describe, expect, it } from 'vitest';
import type { AbReport, Experiment } from '../../compiler/experiment/analysis.js';
import { abReport } from '../../compiler/experiment/report.js';
import { expectSig6 } from './expect.js';
import { eventLines, generate, outcomeLines, type Scenario } from './generate.js';

const SOURCE = '/mlspec/product-ranker/prod/cpu';

function experiment(over: Partial<Experiment> & Pick<Experiment, 'variants' | 'goal'>): Experiment {
  return { system: 'product-ranker', environment: 'prod', control: over.variants[0]!.name, ...over };
}

const RATE_GOAL = {
  metric: 'click_through',
  kind: 'rate',
  direction: 'increase',
  minimumDetectableEffect: 0.1,
  alpha: 0.05,
  power: 0.8,
  baseline: 0.2,
} as const;
const TWO = [
  { name: 'a', weight: 50 },
  { name: 'b', weight: 50 },
];

function run(s: Scenario, exp: Experiment): AbReport {
  const users = generate(s);
  const { report, diagnostics } = abReport(exp, {
    events: [{ file: 'events.jsonl', text: eventLines(users, SOURCE) }],
    outcomes: [{ file: 'outcomes.jsonl', text: outcomeLines(users, exp.goal.metric, exp.goal.kind) }],
  });
  expect(diagnostics).toEqual([]);
  return report!;
}

const WIN: Scenario = { seed: 1, users: 16000, variants: ['a', 'b'], assign: [50, 50], rates: [0.2, 0.24] };

describe('ab report on generated streams', () => {
  it('a clear win is promoted once the planned sample is reached', () => {
    const r = run(WIN, experiment({ variants: TWO, goal: RATE_GOAL }));
    expect(r.variants.map((v) => [v.n, v.required])).toEqual([
      [7929, 6510],
      [8071, 6510],
    ]);
    expectSig6(r.srm.statistic, 1.26025);
    expectSig6(r.srm.pValue, 0.261604);
    expectSig6(r.variants[0]!.value, 0.199773);
    expectSig6(r.variants[0]!.interval[0], 0.191119);
    expectSig6(r.variants[0]!.interval[1], 0.208718);
    expectSig6(r.variants[1]!.value, 0.239871);
    expectSig6(r.variants[1]!.interval[0], 0.230681);
    expectSig6(r.variants[1]!.interval[1], 0.249309);
    const c = r.comparisons[0]!;
    expectSig6(c.difference, 0.0400982);
    expectSig6(c.statistic, 6.12179);
    expectSig6(c.pValue, 9.25279e-10);
    expectSig6(c.interval[0], 0.0272828);
    expectSig6(c.interval[1], 0.0529135);
    expect(r.plan.reached).toBe(true);
    expect(r.verdict.decision).toBe('promote');
    expect(r.verdict.variant).toBe('b');
    expect(r.input.events).toMatchObject({ logLines: 1 });
    expect(r.input.events!.read).toBe(generate(WIN).reduce((a, u) => a + u.requests, 0));
  });

  it('an early peek gets no verdict, even with an interim p-value far below alpha', () => {
    const r = run({ ...WIN, users: 3000 }, experiment({ variants: TWO, goal: RATE_GOAL }));
    expect(r.variants.map((v) => v.n)).toEqual([1492, 1508]);
    const c = r.comparisons[0]!;
    expectSig6(c.statistic, 3.51798);
    expectSig6(c.pValue, 0.000434838);
    expectSig6(c.interval[0], 0.024078);
    expectSig6(c.interval[1], 0.0843162);
    expect(r.plan.reached).toBe(false);
    expect(r.verdict.decision).toBe('keep-running');
    expect(r.verdict.reasons.map((x) => x.code)).toEqual(['below_planned_sample']);
    expect(r.verdict.reasons[0]!.message).toContain('a 1492 of 6510');
  });

  it('a sample-ratio mismatch blocks the verdict whatever the goal metric says', () => {
    const s: Scenario = { seed: 3, users: 20000, variants: ['a', 'b'], assign: [52, 48], rates: [0.2, 0.2] };
    const r = run(s, experiment({ variants: TWO, goal: RATE_GOAL }));
    expect(r.variants.map((v) => v.n)).toEqual([10379, 9621]);
    expectSig6(r.srm.statistic, 28.7282);
    expectSig6(r.srm.pValue, 8.32821e-8);
    expectSig6(r.comparisons[0]!.pValue, 0.745199);
    expect(r.srm.failed).toBe(true);
    expect(r.plan.reached).toBe(true);
    expect(r.verdict.decision).toBe('stop');
    expect(r.verdict.reasons.map((x) => x.code)).toEqual(['sample_ratio_mismatch']);
  });

  it('traffic to a variant at weight 0 is a sample-ratio mismatch', () => {
    const s: Scenario = {
      seed: 4,
      users: 2000,
      variants: ['a', 'b', 'c'],
      assign: [50, 49, 1],
      rates: [0.2, 0.2, 0.2],
    };
    const r = run(s, experiment({ variants: [...TWO, { name: 'c', weight: 0 }], goal: RATE_GOAL }));
    expect(r.variants.map((v) => v.name)).toEqual(['a', 'b']);
    expect(r.srm.pValue).toBe(0);
    expect(r.verdict.reasons.map((x) => x.code)).toEqual(['sample_ratio_mismatch']);
  });

  it('no effect on a mean over three variants: Welch tests, Holm-corrected, and stop', () => {
    const s: Scenario = {
      seed: 2,
      users: 10000,
      variants: ['a', 'b', 'c'],
      assign: [34, 33, 33],
      means: [10, 10, 10],
      sd: 6,
    };
    const variants = [
      { name: 'a', weight: 34 },
      { name: 'b', weight: 33 },
      { name: 'c', weight: 33 },
    ];
    const goal = {
      metric: 'revenue',
      kind: 'mean',
      direction: 'increase',
      minimumDetectableEffect: 0.05,
      alpha: 0.05,
      power: 0.8,
      baseline: 10,
      standardDeviation: 6,
    } as const;
    const r = run(s, experiment({ variants, goal }));
    expect(r.variants.map((v) => [v.n, v.required])).toEqual([
      [3372, 2779],
      [3379, 2698],
      [3249, 2698],
    ]);
    expectSig6(r.srm.statistic, 2.90998);
    expectSig6(r.srm.pValue, 0.233402);
    const means = [
      [10.0446, 9.84289, 10.2463],
      [9.80332, 9.60154, 10.0051],
      [9.93061, 9.71949, 10.1417],
    ];
    r.variants.forEach((v, i) => {
      expectSig6(v.value, means[i]![0]!);
      expectSig6(v.interval[0], means[i]![1]!);
      expectSig6(v.interval[1], means[i]![2]!);
    });
    const refs = [
      { diff: -0.241267, t: -1.65801, df: 6749, p: 0.0973611, lo: -0.567499, hi: 0.0849649, holm: 0.194722 },
      { diff: -0.113977, t: -0.765349, df: 6591.81, p: 0.444091, lo: -0.447845, hi: 0.219892, holm: 0.444091 },
    ];
    r.comparisons.forEach((c, i) => {
      const ref = refs[i]!;
      expect(c.test).toBe('Welch t');
      expectSig6(c.difference, ref.diff);
      expectSig6(c.statistic, ref.t);
      expectSig6(c.df!, ref.df);
      expectSig6(c.pValue, ref.p);
      expectSig6(c.interval[0], ref.lo);
      expectSig6(c.interval[1], ref.hi);
      expectSig6(c.adjustedPValue, ref.holm);
    });
    expect(r.verdict.decision).toBe('stop');
    expect(r.verdict.reasons.map((x) => x.code)).toEqual(['no_significant_difference']);
  });
});
