// The experiment as the spec declares it (rollout.abTest), for one resolved environment.
import type { ResolvedSystem } from '../resolve/resolved.js';
import type { Experiment } from './analysis.js';

/** The experiment of a system-environment, or a sentence saying why there is none. */
export function experimentOf(system: ResolvedSystem): Experiment | string {
  const rollout = system.spec.rollout;
  const ab = rollout?.strategy === 'abTest' ? rollout.abTest : undefined;
  if (!ab) return `${system.name} runs no A/B test in ${system.environment} (rollout.strategy is not abTest)`;
  const variants = Object.entries(ab.variants).map(([name, v]) => ({ name, weight: v.weight }));
  const control = ab.control ?? variants[0]!.name;
  if (!(variants.find((v) => v.name === control)!.weight > 0))
    return `the control ${control} of ${system.name} in ${system.environment} has weight 0: nothing to compare with`;
  const g = ab.goal;
  return {
    system: system.name,
    environment: system.environment,
    variants,
    control,
    goal: {
      metric: g.metric,
      kind: g.kind,
      direction: g.direction,
      alpha: g.alpha,
      power: g.power,
      ...(g.minimumDetectableEffect !== undefined ? { minimumDetectableEffect: g.minimumDetectableEffect } : {}),
      ...(g.baseline !== undefined ? { baseline: g.baseline } : {}),
      ...(g.standardDeviation !== undefined ? { standardDeviation: g.standardDeviation } : {}),
    },
  };
}
