// Checks of the model section: the signature's features against its shapes, micro-batching
// against the batch dimension, and drift baselines against the features they describe.
import type { RuntimeConfig } from '../contract/config.js';
import type { ConfigProblem } from './problem.js';

export function checkSignature(c: RuntimeConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  c.model.inputs.forEach((t, i) => {
    const last = t.shape[t.shape.length - 1]!;
    if (t.features && last !== -1 && last !== t.features.length) {
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

export function checkDrift(c: RuntimeConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const featureTensor = new Map<string, string>();
  for (const t of c.model.inputs) for (const f of t.features ?? []) featureTensor.set(f, t.dtype);
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
