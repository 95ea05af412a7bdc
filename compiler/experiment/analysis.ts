// The A/B report of one experiment: per-variant estimates, comparisons with the control, the
// sample-ratio check, the planned sample and the verdict. Fixed horizon: the sample each variant
// needs is fixed by the spec before the data is read (minimum detectable effect, alpha, power),
// and no verdict is given before every variant has it, so looking early cannot raise the false
// positive rate above alpha. Comparisons with the control are Holm-corrected: alpha bounds the
// chance that any variant is declared different when none is.
import {
  type Comparison,
  type Interval,
  chiSquaredGoodnessOfFit,
  holmAdjust,
  meanInterval,
  requiredSample,
  type Sample,
  twoProportionZ,
  welchT,
  wilsonInterval,
} from './statistics.js';
import type { EventCounts } from './events.js';

/** A sample-ratio mismatch below this p-value blocks the verdict (a common industry threshold). */
export const SRM_THRESHOLD = 0.001;

export interface ExperimentGoal {
  readonly metric: string;
  readonly kind: 'rate' | 'mean';
  readonly direction: 'increase' | 'decrease';
  readonly minimumDetectableEffect?: number;
  readonly alpha: number;
  readonly power: number;
  readonly baseline?: number;
  readonly standardDeviation?: number;
}

export interface Experiment {
  readonly system: string;
  readonly environment: string;
  readonly variants: readonly { readonly name: string; readonly weight: number }[];
  readonly control: string;
  readonly goal: ExperimentGoal;
}

/** What was read and what was left out, for the report's reader to judge the data. */
export interface InputSummary {
  readonly source: 'events' | 'counters';
  readonly events?: EventCounts;
  readonly outcomeRecords?: number;
  readonly unmatchedOutcomes?: number;
  readonly crossedOverUnits?: number;
  readonly unknownVariants: readonly string[];
}

export interface VariantResult {
  readonly name: string;
  readonly weight: number;
  readonly n: number;
  /** The goal metric: a rate or a mean. */
  readonly value: number;
  readonly interval: Interval;
  /** Units this variant needs for the planned power (absent without a plan). */
  readonly required?: number;
}

export interface ComparisonResult extends Comparison {
  readonly variant: string;
  readonly relativeDifference: number | null;
  /** Holm-adjusted p-value. */
  readonly adjustedPValue: number;
  readonly significant: boolean;
}

export type Decision = 'promote' | 'keep-running' | 'stop';

export interface Reason {
  readonly code: string;
  readonly message: string;
}

export interface AbReport {
  readonly system: string;
  readonly environment: string;
  readonly goal: ExperimentGoal;
  readonly control: string;
  readonly input: InputSummary;
  readonly correction: string;
  readonly peeking: string;
  readonly srm: {
    readonly statistic: number;
    readonly df: number;
    readonly pValue: number;
    readonly threshold: number;
    readonly failed: boolean;
  };
  readonly plan: {
    readonly baseline: number | null;
    readonly baselineFrom: 'spec' | 'observed' | null;
    readonly standardDeviation: number | null;
    readonly reached: boolean;
  };
  readonly variants: readonly VariantResult[];
  readonly comparisons: readonly ComparisonResult[];
  readonly verdict: { readonly decision: Decision; readonly variant?: string; readonly reasons: readonly Reason[] };
}

export const CORRECTION = 'Holm (family-wise error rate at alpha); difference intervals Bonferroni';
export const PEEKING =
  'fixed horizon: no verdict before every variant reaches its planned sample; ' +
  'the false-positive rate is then at most alpha and the power at least the declared power';

export function analyzeExperiment(
  experiment: Experiment,
  samples: ReadonlyMap<string, Sample>,
  input: InputSummary,
): AbReport {
  const { goal } = experiment;
  const arms = experiment.variants.filter((v) => v.weight > 0);
  const sampleOf = (name: string): Sample => samples.get(name) ?? { n: 0, mean: 0, variance: 0 };
  const control = sampleOf(experiment.control);
  const treatments = arms.filter((v) => v.name !== experiment.control);
  const m = Math.max(1, treatments.length);

  // Every variant that should get traffic or did: a variant at weight 0 with units is a mismatch too.
  const split = experiment.variants.filter((v) => v.weight > 0 || sampleOf(v.name).n > 0);
  const srmFit = chiSquaredGoodnessOfFit(
    split.map((v) => sampleOf(v.name).n),
    split.map((v) => v.weight),
  );
  const srm = {
    statistic: srmFit.statistic,
    df: srmFit.df,
    pValue: srmFit.pValue,
    threshold: SRM_THRESHOLD,
    failed: srmFit.pValue < SRM_THRESHOLD,
  };

  const plan = planSample(experiment, control, treatments, m);
  const variants: VariantResult[] = arms.map((v) => {
    const s = sampleOf(v.name);
    const required = plan.required.get(v.name);
    return {
      name: v.name,
      weight: v.weight,
      n: s.n,
      value: s.mean,
      interval: goal.kind === 'rate' ? wilsonInterval(s, goal.alpha) : meanInterval(s, goal.alpha),
      ...(required !== undefined ? { required } : {}),
    };
  });
  const raw = treatments.map((v) => {
    const t = sampleOf(v.name);
    const usable = control.n >= 2 && t.n >= 2;
    const c: Comparison = usable
      ? goal.kind === 'rate'
        ? twoProportionZ(control, t, goal.alpha / m)
        : welchT(control, t, goal.alpha / m)
      : {
          test: goal.kind === 'rate' ? 'two-proportion z' : 'Welch t',
          difference: 0,
          statistic: 0,
          pValue: 1,
          interval: [0, 0],
        };
    return { variant: v.name, ...c };
  });
  const adjusted = holmAdjust(raw.map((c) => c.pValue));
  const comparisons: ComparisonResult[] = raw.map((c, i) => ({
    ...c,
    relativeDifference: control.mean !== 0 ? c.difference / control.mean : null,
    adjustedPValue: adjusted[i]!,
    significant: adjusted[i]! < goal.alpha,
  }));
  const reached = plan.ready && variants.every((v) => v.required !== undefined && v.n >= v.required);
  return {
    system: experiment.system,
    environment: experiment.environment,
    goal,
    control: experiment.control,
    input,
    correction: CORRECTION,
    peeking: PEEKING,
    srm,
    plan: { baseline: plan.baseline, baselineFrom: plan.baselineFrom, standardDeviation: plan.sd, reached },
    variants,
    comparisons,
    verdict: decide(experiment, srm, plan, variants, comparisons, reached),
  };
}

interface Plan {
  readonly ready: boolean;
  readonly why?: Reason;
  readonly baseline: number | null;
  readonly baselineFrom: 'spec' | 'observed' | null;
  readonly sd: number | null;
  readonly required: ReadonlyMap<string, number>;
}

/** The planned sample per variant, Bonferroni-corrected (conservative for Holm) over the comparisons. */
function planSample(
  experiment: Experiment,
  control: Sample,
  treatments: readonly { name: string; weight: number }[],
  m: number,
): Plan {
  const { goal } = experiment;
  const none = (why: Reason): Plan => ({
    ready: false,
    why,
    baseline: null,
    baselineFrom: null,
    sd: null,
    required: new Map(),
  });
  const mde = goal.minimumDetectableEffect;
  if (mde === undefined)
    return none({
      code: 'no_plan',
      message: 'no minimumDetectableEffect in the spec: without a planned sample there is no verdict',
    });
  const baselineFrom = goal.baseline !== undefined ? 'spec' : 'observed';
  const baseline = goal.baseline ?? (control.n >= 2 ? control.mean : undefined);
  const sd =
    goal.kind === 'mean' ? (goal.standardDeviation ?? (control.n >= 2 ? Math.sqrt(control.variance) : undefined)) : 1;
  const sign = goal.direction === 'increase' ? 1 : -1;
  const target = baseline === undefined ? undefined : baseline * (1 + sign * mde);
  const plannable =
    baseline !== undefined &&
    target !== undefined &&
    sd !== undefined &&
    sd > 0 &&
    (goal.kind === 'mean' ? baseline !== 0 : baseline > 0 && baseline < 1 && target > 0 && target < 1);
  if (!plannable)
    return none({
      code: 'no_plan',
      message:
        goal.baseline === undefined
          ? 'the control has too little data to estimate the baseline; declare `goal.baseline` to plan the sample'
          : 'the baseline and minimum detectable effect give no sample plan',
    });
  const controlWeight = experiment.variants.find((v) => v.name === experiment.control)?.weight ?? 0;
  const required = new Map<string, number>();
  let controlNeeds = 0;
  for (const t of treatments) {
    const ratio = t.weight / controlWeight;
    const alpha = goal.alpha / m;
    const n =
      goal.kind === 'rate'
        ? requiredSample({ kind: 'rate', control: baseline, treatment: target, alpha, power: goal.power, ratio })
        : requiredSample({ kind: 'mean', sd, delta: Math.abs(target - baseline), alpha, power: goal.power, ratio });
    required.set(t.name, n.treatment);
    controlNeeds = Math.max(controlNeeds, n.control);
  }
  required.set(experiment.control, controlNeeds);
  return { ready: true, baseline, baselineFrom, sd: goal.kind === 'mean' ? sd : null, required };
}

function decide(
  experiment: Experiment,
  srm: AbReport['srm'],
  plan: Plan,
  variants: readonly VariantResult[],
  comparisons: readonly ComparisonResult[],
  reached: boolean,
): AbReport['verdict'] {
  const { goal } = experiment;
  const total = variants.reduce((a, v) => a + v.n, 0);
  if (total === 0)
    return {
      decision: 'keep-running',
      reasons: [{ code: 'no_data', message: 'no assignment events of this experiment' }],
    };
  if (srm.failed)
    return {
      decision: 'stop',
      reasons: [
        {
          code: 'sample_ratio_mismatch',
          message:
            `the split does not match the weights (chi-squared p = ${srm.pValue.toPrecision(3)} < ${SRM_THRESHOLD}): ` +
            'assignment or event shipping is broken, so no verdict on the goal is valid; fix it and restart the test',
        },
      ],
    };
  if (!plan.ready) return { decision: 'keep-running', reasons: [plan.why!] };
  if (!reached) {
    const short = variants.filter((v) => v.n < (v.required ?? 0)).map((v) => `${v.name} ${v.n} of ${v.required}`);
    return {
      decision: 'keep-running',
      reasons: [
        {
          code: 'below_planned_sample',
          message:
            `planned sample not reached (${short.join(', ')}): no verdict before it, whatever the interim ` +
            `p-values`,
        },
      ],
    };
  }
  const better = (c: ComparisonResult) => (goal.direction === 'increase' ? c.difference > 0 : c.difference < 0);
  const winners = comparisons.filter((c) => c.significant && better(c));
  const losers = comparisons.filter((c) => c.significant && !better(c));
  const describe = (c: ComparisonResult) =>
    `${c.variant} vs ${experiment.control}: ${goal.metric} ` +
    `${c.difference >= 0 ? '+' : ''}${c.difference.toPrecision(3)}` +
    ` (adjusted p = ${c.adjustedPValue.toPrecision(3)})`;
  if (winners.length > 0) {
    const best = [...winners].sort((a, b) =>
      goal.direction === 'increase' ? b.difference - a.difference : a.difference - b.difference,
    )[0]!;
    return {
      decision: 'promote',
      variant: best.variant,
      reasons: [
        { code: 'significant_improvement', message: `${describe(best)}, significant at alpha ${goal.alpha}` },
        ...losers.map((c) => ({ code: 'significant_harm', message: `${describe(c)}: worse than the control` })),
      ],
    };
  }
  if (losers.length > 0)
    return {
      decision: 'stop',
      reasons: losers.map((c) => ({ code: 'significant_harm', message: `${describe(c)}: worse than the control` })),
    };
  return {
    decision: 'stop',
    reasons: [
      {
        code: 'no_significant_difference',
        message:
          `no variant differs from ${experiment.control} at the planned sample (alpha ${goal.alpha}, ` +
          `power ${goal.power} for a ${goal.minimumDetectableEffect} relative effect): keep the control`,
      },
    ],
  };
}
