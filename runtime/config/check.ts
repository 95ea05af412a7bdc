// What JSON Schema cannot say: names that refer to each other, weights that add up, baselines
// that fit their features. Each problem carries the JSON pointer of the value to fix.
import { joinPointer } from '../../core/json-pointer.js';
import type { RuntimeConfig } from '../contract/config.js';

export interface ConfigProblem {
  readonly code: string;
  readonly message: string;
  readonly pointer: string;
  readonly hint: string;
}

const SERVING_ROLES = new Set(['stable', 'canary', 'variant']);

export function checkConfig(c: RuntimeConfig): ConfigProblem[] {
  return [...checkVariants(c), ...checkTraffic(c), ...checkSignature(c), ...checkDrift(c)];
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

function checkSignature(c: RuntimeConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  c.model.inputs.forEach((t, i) => {
    const last = t.shape[t.shape.length - 1]!;
    if (last !== -1 && last !== t.features.length) {
      out.push({
        code: 'features_shape',
        message: `input \`${t.name}\` lists ${t.features.length} features but its last dimension is ${last}`,
        pointer: `/model/inputs/${i}/features`,
        hint: 'list one feature per column of the last dimension',
      });
    }
    if (seen.has(t.name))
      out.push({
        code: 'duplicate_input',
        message: `input \`${t.name}\` is defined twice`,
        pointer: `/model/inputs/${i}/name`,
        hint: 'input names are unique',
      });
    seen.add(t.name);
  });
  if (c.batching) {
    [
      ...c.model.inputs.map((t, i) => ({ t, p: `/model/inputs/${i}/shape/0` })),
      ...c.model.outputs.map((t, i) => ({ t, p: `/model/outputs/${i}/shape/0` })),
    ].forEach(({ t, p }) => {
      if (t.shape[0] !== -1)
        out.push({
          code: 'batching_needs_batch_dim',
          message: `\`${t.name}\` has no variable batch dimension`,
          pointer: p,
          hint: 'micro-batching stacks requests along dimension 0: make it -1, or remove `batching`',
        });
    });
  }
  return out;
}

function checkDrift(c: RuntimeConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const featureTensor = new Map<string, string>();
  for (const t of c.model.inputs) for (const f of t.features) featureTensor.set(f, t.dtype);
  const seen = new Set<string>();
  c.drift.features.forEach((f, i) => {
    const p = `/drift/features/${i}`;
    const dtype = featureTensor.get(f.name);
    if (seen.has(f.name))
      out.push({
        code: 'duplicate_feature',
        message: `feature \`${f.name}\` has two baselines`,
        pointer: `${p}/name`,
        hint: 'keep one',
      });
    seen.add(f.name);
    if (dtype === undefined) {
      out.push({
        code: 'unknown_feature',
        message: `drift baseline for \`${f.name}\`, which no input lists`,
        pointer: `${p}/name`,
        hint: `input features are: ${[...featureTensor.keys()].join(', ')}`,
      });
      return;
    }
    if (f.kind === 'numeric') {
      if (dtype === 'BYTES')
        out.push({
          code: 'numeric_on_bytes',
          message: `\`${f.name}\` is a BYTES column and cannot have numeric bins`,
          pointer: `${p}/kind`,
          hint: 'use a categorical baseline',
        });
      if (f.counts.length !== f.edges.length + 1)
        out.push({
          code: 'bins_mismatch',
          message: `${f.edges.length} edges make ${f.edges.length + 1} bins, but ${f.counts.length} counts are given`,
          pointer: `${p}/counts`,
          hint: 'give one count per bin: edges + 1',
        });
      for (let j = 1; j < f.edges.length; j++) {
        if (!(f.edges[j]! > f.edges[j - 1]!)) {
          out.push({
            code: 'edges_order',
            message: 'bin edges must be strictly ascending',
            pointer: `${p}/edges/${j}`,
            hint: 'drop repeated quantiles (constant stretches of the training data)',
          });
          break;
        }
      }
      if (f.counts.every((n) => n === 0))
        out.push({
          code: 'empty_baseline',
          message: `baseline of \`${f.name}\` has no data`,
          pointer: `${p}/counts`,
          hint: 'the baseline needs training counts',
        });
    } else if (Object.values(f.categories).every((n) => n === 0) && f.other === 0) {
      out.push({
        code: 'empty_baseline',
        message: `baseline of \`${f.name}\` has no data`,
        pointer: `${p}/categories`,
        hint: 'the baseline needs training counts',
      });
    }
  });
  return out;
}
