// What JSON Schema cannot say: names that refer to each other, weights that add up, baselines
// that fit their features. Each problem carries the JSON pointer of the value to fix.
import { joinPointer } from '../../core/json-pointer.js';
import type { RuntimeConfig } from '../contract/config.js';
import { checkDrift, checkSignature } from './check-model.js';
import { checkEvents, checkOnlineFeatures, checkOverride } from './check-services.js';
import type { ConfigProblem } from './problem.js';

export type { ConfigProblem };

const SERVING_ROLES = new Set(['stable', 'canary', 'variant']);

export function checkConfig(c: RuntimeConfig): ConfigProblem[] {
  return [
    ...checkVariants(c),
    ...checkTraffic(c),
    ...checkOverride(c),
    ...checkSignature(c),
    ...checkDrift(c),
    ...checkOnlineFeatures(c),
    ...checkEvents(c),
  ];
}

function checkVariants(c: RuntimeConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  c.variants.forEach((v, i) => {
    if (seen.has(v.name))
      out.push({
        code: 'duplicate_variant',
        message: `variant \`${v.name}\` is defined twice`,
        pointer: `/variants/${i}/name`,
        hint: 'give each variant its own name',
      });
    seen.add(v.name);
  });
  return out;
}

function checkTraffic(c: RuntimeConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const byName = new Map(c.variants.map((v) => [v.name, v]));
  const names = [...byName.keys()].join(', ');
  let sum = 0;
  for (const [name, weight] of Object.entries(c.traffic.weights)) {
    const pointer = joinPointer('/traffic/weights', name);
    const v = byName.get(name);
    if (!v) {
      out.push({
        code: 'unknown_variant',
        message: `weight for unknown variant \`${name}\``,
        pointer,
        hint: `variants are: ${names}`,
      });
      continue;
    }
    if (weight > 0 && !SERVING_ROLES.has(v.role)) {
      out.push({
        code: 'weight_on_non_serving',
        message: `variant \`${name}\` has role \`${v.role}\` and cannot get live traffic`,
        pointer,
        hint: 'set its weight to 0: previews are reached by the override header, shadows by `traffic.shadow`',
      });
    }
    sum += weight;
  }
  if (Math.abs(sum - 100) > 1e-9)
    out.push({
      code: 'weights_sum',
      message: `weights add up to ${sum}, not 100`,
      pointer: '/traffic/weights',
      hint: 'weights are percents of live traffic over the serving variants',
    });
  const shadow = c.traffic.shadow;
  if (shadow) {
    const v = byName.get(shadow.variant);
    if (!v)
      out.push({
        code: 'unknown_variant',
        message: `shadow variant \`${shadow.variant}\` is not defined`,
        pointer: '/traffic/shadow/variant',
        hint: `variants are: ${names}`,
      });
    else if (v.role !== 'shadow')
      out.push({
        code: 'wrong_role',
        message: `variant \`${shadow.variant}\` has role \`${v.role}\`, not \`shadow\``,
        pointer: '/traffic/shadow/variant',
        hint: 'copies go to a variant with role `shadow`',
      });
  }
  const canary = c.traffic.canary;
  if (canary) {
    for (const key of ['stable', 'canary'] as const) {
      const v = byName.get(canary[key]);
      const pointer = `/traffic/canary/${key}`;
      if (!v)
        out.push({
          code: 'unknown_variant',
          message: `${key} variant \`${canary[key]}\` is not defined`,
          pointer,
          hint: `variants are: ${names}`,
        });
      else if (v.role !== key)
        out.push({
          code: 'wrong_role',
          message: `variant \`${canary[key]}\` has role \`${v.role}\`, not \`${key}\``,
          pointer,
          hint: `set the role of \`${canary[key]}\` to \`${key}\``,
        });
    }
    const pool = (c.traffic.weights[canary.stable] ?? 0) + (c.traffic.weights[canary.canary] ?? 0);
    canary.steps.forEach((s, i) => {
      if (s.weight > pool)
        out.push({
          code: 'step_above_pool',
          message: `step weight ${s.weight} exceeds the ${pool} % that stable and canary share`,
          pointer: `/traffic/canary/steps/${i}/weight`,
          hint: 'steps move traffic between stable and canary only',
        });
    });
  }
  return out;
}
