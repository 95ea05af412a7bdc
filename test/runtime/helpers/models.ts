// The test models, each with the same computation written in TypeScript to compare against.
import type { InputTensor, OutputTensor } from '../../../runtime/contract/tensor.js';
import { buildModel } from './onnx-builder.js';

export const LR_WEIGHTS = [0.8, -1.2, 0.5, 2.0];
export const LR_BIAS = -0.3;

/** Logistic regression: probability = σ(x·w + b), x: float [N, 4] → probability: float [N, 1]. */
export function logisticRegression(weights = LR_WEIGHTS, bias = LR_BIAS): Uint8Array {
  return buildModel({
    inputs: [{ name: 'x', elem: 'float', shape: ['N', 4] }],
    outputs: [{ name: 'probability', elem: 'float', shape: ['N', 1] }],
    initializers: [
      { name: 'w', elem: 'float', dims: [4, 1], values: weights },
      { name: 'b', elem: 'float', dims: [1], values: [bias] },
    ],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'w'], outputs: ['xw'] },
      { op: 'Add', inputs: ['xw', 'b'], outputs: ['z'] },
      { op: 'Sigmoid', inputs: ['z'], outputs: ['probability'] },
    ],
  });
}

/** `logisticRegression`'s signature as the runtime config declares it. */
export const LR_SIGNATURE: { readonly inputs: InputTensor[]; readonly outputs: OutputTensor[] } = {
  inputs: [{ name: 'x', dtype: 'FP32', shape: [-1, 4], features: ['a', 'b', 'c', 'd'] }],
  outputs: [{ name: 'probability', dtype: 'FP32', shape: [-1, 1] }],
};

export function logisticReference(x: readonly number[], weights = LR_WEIGHTS, bias = LR_BIAS): number {
  const z = x.reduce((s, v, i) => s + v * weights[i]!, bias);
  return 1 / (1 + Math.exp(-z));
}

// A 4 → 8 → 3 MLP with fixed, irregular weights (no symmetry that could hide an indexing bug).
export const MLP_W1 = Array.from({ length: 32 }, (_, i) => Math.sin(i * 1.7) * 0.9);
export const MLP_B1 = Array.from({ length: 8 }, (_, i) => Math.cos(i) * 0.1);
export const MLP_W2 = Array.from({ length: 24 }, (_, i) => Math.cos(i * 2.3) * 0.8);
export const MLP_B2 = [0.05, -0.1, 0.02];

/** x: float [N, 4] → Gemm → Relu → Gemm → Softmax → probabilities: float [N, 3]. */
export function mlp(): Uint8Array {
  return buildModel({
    inputs: [{ name: 'x', elem: 'float', shape: ['N', 4] }],
    outputs: [{ name: 'probabilities', elem: 'float', shape: ['N', 3] }],
    initializers: [
      { name: 'w1', elem: 'float', dims: [4, 8], values: MLP_W1 },
      { name: 'b1', elem: 'float', dims: [8], values: MLP_B1 },
      { name: 'w2', elem: 'float', dims: [8, 3], values: MLP_W2 },
      { name: 'b2', elem: 'float', dims: [3], values: MLP_B2 },
    ],
    nodes: [
      { op: 'Gemm', inputs: ['x', 'w1', 'b1'], outputs: ['h'] },
      { op: 'Relu', inputs: ['h'], outputs: ['a'] },
      { op: 'Gemm', inputs: ['a', 'w2', 'b2'], outputs: ['logits'] },
      { op: 'Softmax', inputs: ['logits'], outputs: ['probabilities'], attrs: { axis: { i: 1 } } },
    ],
  });
}

export function mlpReference(x: readonly number[]): number[] {
  const h = Array.from({ length: 8 }, (_, j) =>
    Math.max(0, MLP_B1[j]! + x.reduce((s, v, i) => s + v * MLP_W1[i * 8 + j]!, 0)),
  );
  const logits = Array.from({ length: 3 }, (_, k) => MLP_B2[k]! + h.reduce((s, v, j) => s + v * MLP_W2[j * 3 + k]!, 0));
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

// Two depth-2 trees over 4 features. Node n of a tree: feature, threshold, true (≤) and false children.
interface TreeNode {
  readonly feature?: number;
  readonly threshold?: number;
  readonly yes?: number;
  readonly no?: number;
  /** Leaf: one value per target (regressor) or class (classifier). */
  readonly leaf?: readonly number[];
}
const TREES: readonly (readonly TreeNode[])[] = [
  [
    { feature: 0, threshold: 0.5, yes: 1, no: 2 },
    { feature: 1, threshold: -0.25, yes: 3, no: 4 },
    { feature: 2, threshold: 1.5, yes: 5, no: 6 },
    { leaf: [0.7, 0.2, 0.1] },
    { leaf: [0.1, 0.6, 0.3] },
    { leaf: [0.3, 0.3, 0.4] },
    { leaf: [0.05, 0.15, 0.8] },
  ],
  [
    { feature: 3, threshold: 0.0, yes: 1, no: 2 },
    { leaf: [0.6, 0.3, 0.1] },
    { feature: 0, threshold: 2.0, yes: 3, no: 4 },
    { leaf: [0.2, 0.5, 0.3] },
    { leaf: [0.1, 0.2, 0.7] },
  ],
];

function treeAttributes(targetsPerLeaf: number, leafPrefix: 'target' | 'class') {
  const a = {
    treeids: [] as number[],
    nodeids: [] as number[],
    featureids: [] as number[],
    values: [] as number[],
    modes: [] as string[],
    trues: [] as number[],
    falses: [] as number[],
  };
  const t = { treeids: [] as number[], nodeids: [] as number[], ids: [] as number[], weights: [] as number[] };
  TREES.forEach((tree, ti) =>
    tree.forEach((n, ni) => {
      a.treeids.push(ti);
      a.nodeids.push(ni);
      a.featureids.push(n.feature ?? 0);
      a.values.push(n.threshold ?? 0);
      a.modes.push(n.leaf ? 'LEAF' : 'BRANCH_LEQ');
      a.trues.push(n.yes ?? 0);
      a.falses.push(n.no ?? 0);
      n.leaf?.slice(0, targetsPerLeaf).forEach((w, k) => {
        t.treeids.push(ti);
        t.nodeids.push(ni);
        t.ids.push(k);
        t.weights.push(w);
      });
    }),
  );
  return {
    nodes_treeids: { ints: a.treeids },
    nodes_nodeids: { ints: a.nodeids },
    nodes_featureids: { ints: a.featureids },
    nodes_values: { floats: a.values },
    nodes_modes: { strings: a.modes },
    nodes_truenodeids: { ints: a.trues },
    nodes_falsenodeids: { ints: a.falses },
    [`${leafPrefix}_treeids`]: { ints: t.treeids },
    [`${leafPrefix}_nodeids`]: { ints: t.nodeids },
    [`${leafPrefix}_ids`]: { ints: t.ids },
    [`${leafPrefix}_weights`]: { floats: t.weights },
  };
}

function leafOf(tree: readonly TreeNode[], x: readonly number[]): readonly number[] {
  let n = tree[0]!;
  while (!n.leaf) n = tree[Math.fround(x[n.feature!]!) <= Math.fround(n.threshold!) ? n.yes! : n.no!]!;
  return n.leaf;
}

/** ai.onnx.ml TreeEnsembleRegressor, SUM of the first leaf value of each tree: x [N, 4] → y [N, 1]. */
export function treeRegressor(): Uint8Array {
  return buildModel({
    inputs: [{ name: 'x', elem: 'float', shape: ['N', 4] }],
    outputs: [{ name: 'y', elem: 'float', shape: ['N', 1] }],
    nodes: [
      {
        op: 'TreeEnsembleRegressor',
        domain: 'ai.onnx.ml',
        inputs: ['x'],
        outputs: ['y'],
        attrs: {
          ...treeAttributes(1, 'target'),
          n_targets: { i: 1 },
          aggregate_function: { s: 'SUM' },
          post_transform: { s: 'NONE' },
        },
      },
    ],
  });
}

export function treeRegressorReference(x: readonly number[]): number {
  return TREES.reduce((s, tree) => s + leafOf(tree, x)[0]!, 0);
}

/** ai.onnx.ml TreeEnsembleClassifier with classes 0, 1, 2: x [N, 4] → label int64 [N], probabilities [N, 3]. */
export function treeClassifier(): Uint8Array {
  return buildModel({
    inputs: [{ name: 'x', elem: 'float', shape: ['N', 4] }],
    outputs: [
      { name: 'label', elem: 'int64', shape: ['N'] },
      { name: 'probabilities', elem: 'float', shape: ['N', 3] },
    ],
    nodes: [
      {
        op: 'TreeEnsembleClassifier',
        domain: 'ai.onnx.ml',
        inputs: ['x'],
        outputs: ['label', 'probabilities'],
        attrs: {
          ...treeAttributes(3, 'class'),
          classlabels_int64s: { ints: [0, 1, 2] },
          post_transform: { s: 'NONE' },
        },
      },
    ],
  });
}

export function treeClassifierReference(x: readonly number[]): { label: number; scores: number[] } {
  const scores = [0, 0, 0];
  for (const tree of TREES) leafOf(tree, x).forEach((w, k) => (scores[k]! += w));
  return { label: scores.indexOf(Math.max(...scores)), scores };
}

/** `typedModel`'s signature as the runtime config declares it. */
export const TYPED_SIGNATURE: { readonly inputs: InputTensor[]; readonly outputs: OutputTensor[] } = {
  inputs: [
    { name: 'x', dtype: 'FP64', shape: [-1, 2], features: ['x0', 'x1'] },
    { name: 'flag', dtype: 'BOOL', shape: [-1, 1], features: ['flag'] },
    { name: 'count', dtype: 'INT64', shape: [-1, 1], features: ['count'] },
    { name: 'n', dtype: 'INT32', shape: [-1, 1], features: ['n'] },
    { name: 'name', dtype: 'BYTES', shape: [-1, 1], features: ['name'] },
  ],
  outputs: [
    { name: 'sum', dtype: 'FP64', shape: [-1, 1] },
    { name: 'not_flag', dtype: 'BOOL', shape: [-1, 1] },
    { name: 'count_plus_one', dtype: 'INT64', shape: [-1, 1] },
    { name: 'n_twice', dtype: 'INT32', shape: [-1, 1] },
    { name: 'name_out', dtype: 'BYTES', shape: [-1, 1] },
  ],
};

/** One input per protocol type, each passed through an operation whose result is easy to check. */
export function typedModel(): Uint8Array {
  return buildModel({
    inputs: [
      { name: 'x', elem: 'double', shape: ['N', 2] },
      { name: 'flag', elem: 'bool', shape: ['N', 1] },
      { name: 'count', elem: 'int64', shape: ['N', 1] },
      { name: 'n', elem: 'int32', shape: ['N', 1] },
      { name: 'name', elem: 'string', shape: ['N', 1] },
    ],
    outputs: [
      { name: 'sum', elem: 'double', shape: ['N', 1] },
      { name: 'not_flag', elem: 'bool', shape: ['N', 1] },
      { name: 'count_plus_one', elem: 'int64', shape: ['N', 1] },
      { name: 'n_twice', elem: 'int32', shape: ['N', 1] },
      { name: 'name_out', elem: 'string', shape: ['N', 1] },
    ],
    initializers: [
      { name: 'ones', elem: 'double', dims: [2, 1], values: [1, 1] },
      { name: 'one', elem: 'int64', dims: [1], values: [1] },
    ],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'ones'], outputs: ['sum'] },
      { op: 'Not', inputs: ['flag'], outputs: ['not_flag'] },
      { op: 'Add', inputs: ['count', 'one'], outputs: ['count_plus_one'] },
      { op: 'Add', inputs: ['n', 'n'], outputs: ['n_twice'] },
      { op: 'Identity', inputs: ['name'], outputs: ['name_out'] },
    ],
  });
}

/** Same signature as `logisticRegression`, but every call with fewer than 3 rows fails (Reshape to [3, -1]). */
export function failingModel(): Uint8Array {
  return buildModel({
    inputs: [{ name: 'x', elem: 'float', shape: ['N', 4] }],
    outputs: [{ name: 'probability', elem: 'float', shape: ['R', 'C'] }],
    initializers: [{ name: 'shape', elem: 'int64', dims: [2], values: [3, -1] }],
    nodes: [{ op: 'Reshape', inputs: ['x', 'shape'], outputs: ['probability'] }],
  });
}

/** probability = (x·1) / (x·1), x: float [N, 4] → float [N, 1]: 1, or NaN (0/0) for a row of zeros. */
export function ratioModel(): Uint8Array {
  return buildModel({
    inputs: [{ name: 'x', elem: 'float', shape: ['N', 4] }],
    outputs: [{ name: 'probability', elem: 'float', shape: ['N', 1] }],
    initializers: [{ name: 'ones', elem: 'float', dims: [4, 1], values: [1, 1, 1, 1] }],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'ones'], outputs: ['sum'] },
      { op: 'Div', inputs: ['sum', 'sum'], outputs: ['probability'] },
    ],
  });
}

/**
 * Same signature as `logisticRegression` (x [N, 4] → probability [N, 1]), but each row passes
 * through `depth` dense 256 × 256 layers: a call's time grows with its rows, so a large batch is
 * a long call (about half a millisecond per row at the default depth).
 */
export function slowModel(depth = 512): Uint8Array {
  const wave = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 0.7 + seed) * 0.05);
  const nodes: { op: string; inputs: string[]; outputs: string[] }[] = [
    { op: 'MatMul', inputs: ['x', 'a'], outputs: ['h0'] },
  ];
  for (let i = 1; i <= depth; i++) {
    nodes.push({ op: 'MatMul', inputs: [`h${i - 1}`, 'w'], outputs: [`m${i}`] });
    nodes.push({ op: 'Tanh', inputs: [`m${i}`], outputs: [`h${i}`] });
  }
  nodes.push({ op: 'MatMul', inputs: [`h${depth}`, 'b'], outputs: ['z'] });
  nodes.push({ op: 'Sigmoid', inputs: ['z'], outputs: ['probability'] });
  return buildModel({
    inputs: [{ name: 'x', elem: 'float', shape: ['N', 4] }],
    outputs: [{ name: 'probability', elem: 'float', shape: ['N', 1] }],
    initializers: [
      { name: 'a', elem: 'float', dims: [4, 256], values: wave(4 * 256, 1) },
      { name: 'w', elem: 'float', dims: [256, 256], values: wave(256 * 256, 2) },
      { name: 'b', elem: 'float', dims: [256, 1], values: wave(256, 3) },
    ],
    nodes,
  });
}

/** Logistic regression whose weights live in an external data file `location` (beside the model). */
export function externalWeightsModel(location: string): { model: Uint8Array; weights: Uint8Array } {
  const model = buildModel({
    inputs: [{ name: 'x', elem: 'float', shape: ['N', 4] }],
    outputs: [{ name: 'probability', elem: 'float', shape: ['N', 1] }],
    initializers: [
      { name: 'w', elem: 'float', dims: [4, 1], values: LR_WEIGHTS, external: { location, offset: 0 } },
      { name: 'b', elem: 'float', dims: [1], values: [LR_BIAS] },
    ],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'w'], outputs: ['xw'] },
      { op: 'Add', inputs: ['xw', 'b'], outputs: ['z'] },
      { op: 'Sigmoid', inputs: ['z'], outputs: ['probability'] },
    ],
  });
  return { model, weights: new Uint8Array(Float32Array.from(LR_WEIGHTS).buffer) };
}

export const TOKEN_EMBEDDINGS = Array.from({ length: 10 }, (_, i) => (i - 4.5) / 10);

/**
 * A ranking-style model over token ids: score = Σ embedding[id] over the sequence + x·(1, -1),
 * `input_ids` int64 [N, S] (no feature per column), `x` float [N, 2]; vocabulary of 10 tokens.
 */
export function tokenModel(): Uint8Array {
  return buildModel({
    inputs: [
      { name: 'input_ids', elem: 'int64', shape: ['N', 'S'] },
      { name: 'x', elem: 'float', shape: ['N', 2] },
    ],
    outputs: [{ name: 'score', elem: 'float', shape: ['N', 1] }],
    initializers: [
      { name: 'emb', elem: 'float', dims: [10, 1], values: TOKEN_EMBEDDINGS },
      { name: 'w', elem: 'float', dims: [2, 1], values: [1, -1] },
      { name: 'axes', elem: 'int64', dims: [1], values: [1] },
    ],
    nodes: [
      { op: 'Gather', inputs: ['emb', 'input_ids'], outputs: ['e'] }, // [N, S, 1]
      { op: 'ReduceSum', inputs: ['e', 'axes'], outputs: ['s'], attrs: { keepdims: { i: 0 } } }, // [N, 1]
      { op: 'MatMul', inputs: ['x', 'w'], outputs: ['xw'] },
      { op: 'Add', inputs: ['s', 'xw'], outputs: ['score'] },
    ],
  });
}

export function tokenReference(ids: readonly number[], x: readonly [number, number]): number {
  return ids.reduce((s, id) => s + Math.fround(TOKEN_EMBEDDINGS[id]!), 0) + x[0] - x[1];
}
