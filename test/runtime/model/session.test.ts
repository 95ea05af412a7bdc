// Models built in the test are served by onnxruntime and compared with the same computation in
// TypeScript; the load-time checks (digest, signature) refuse the wrong file.
import { Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { InputTensor, OutputTensor } from '../../../runtime/contract/tensor.js';
import { ModelLoadError, loadModelSession } from '../../../runtime/model/session.js';
import { fixture } from '../helpers/fixture.js';
import { live } from '../helpers/run-options.js';
import {
  logisticReference,
  logisticRegression,
  mlp,
  mlpReference,
  treeClassifier,
  treeClassifierReference,
  treeRegressor,
  treeRegressorReference,
  typedModel,
} from '../helpers/models.js';

const fx = fixture();
afterAll(() => fx.cleanup());

const X_INPUT: InputTensor = { name: 'x', dtype: 'FP32', shape: [-1, 4], features: ['a', 'b', 'c', 'd'] };
const ROWS = [
  [0.1, -0.5, 1.0, 0.3],
  [2.5, 0.0, -1.0, -0.7],
  [0.6, 0.2, 2.0, 1.1],
  [-1.0, -1.0, 0.5, -0.2],
  [3.0, 0.4, 1.7, 0.9],
];
const batch = () => new Tensor('float32', Float32Array.from(ROWS.flat()), [ROWS.length, 4]);

async function session(name: string, bytes: Uint8Array, outputs: OutputTensor[], inputs: InputTensor[] = [X_INPUT]) {
  const file = fx.model(name, bytes);
  return loadModelSession({ ...file, inputs, outputs });
}

describe('ONNX sessions against TypeScript references', () => {
  it('logistic regression', async () => {
    const s = await session('lr', logisticRegression(), [{ name: 'probability', dtype: 'FP32', shape: [-1, 1] }]);
    const out = await s.run({ x: batch() }, live(5));
    expect(out.probability!.dims).toEqual([5, 1]);
    ROWS.forEach((x, i) => expect((out.probability!.data as Float32Array)[i]).toBeCloseTo(logisticReference(x), 6));
    await s.release();
  });

  it('small MLP (Gemm, Relu, Softmax)', async () => {
    const s = await session('mlp', mlp(), [{ name: 'probabilities', dtype: 'FP32', shape: [-1, 3] }]);
    const out = await s.run({ x: batch() }, live(5));
    const p = out.probabilities!.data as Float32Array;
    ROWS.forEach((x, i) => mlpReference(x).forEach((v, k) => expect(p[i * 3 + k]).toBeCloseTo(v, 5)));
    await s.release();
  });

  it('ai.onnx.ml TreeEnsembleRegressor', async () => {
    const s = await session('tree-reg', treeRegressor(), [{ name: 'y', dtype: 'FP32', shape: [-1, 1] }]);
    const out = await s.run({ x: batch() }, live(5));
    ROWS.forEach((x, i) => expect((out.y!.data as Float32Array)[i]).toBeCloseTo(treeRegressorReference(x), 6));
    await s.release();
  });

  it('ai.onnx.ml TreeEnsembleClassifier (INT64 labels)', async () => {
    const s = await session('tree-clf', treeClassifier(), [
      { name: 'label', dtype: 'INT64', shape: [-1] },
      { name: 'probabilities', dtype: 'FP32', shape: [-1, 3] },
    ]);
    const out = await s.run({ x: batch() }, live(5));
    const labels = Array.from(out.label!.data as BigInt64Array, Number);
    const scores = out.probabilities!.data as Float32Array;
    ROWS.forEach((x, i) => {
      const ref = treeClassifierReference(x);
      expect(labels[i]).toBe(ref.label);
      ref.scores.forEach((v, k) => expect(scores[i * 3 + k]).toBeCloseTo(v, 6));
    });
    await s.release();
  });
});

describe('load-time checks', () => {
  it('refuses a file whose sha256 differs from the pinned one', async () => {
    const file = fx.model('lr-pinned', logisticRegression());
    const wrong = 'f'.repeat(64);
    await expect(
      loadModelSession({
        path: file.path,
        sha256: wrong,
        inputs: [X_INPUT],
        outputs: [{ name: 'probability', dtype: 'FP32', shape: [-1, 1] }],
      }),
    ).rejects.toThrow(new RegExp(`has sha256 ${file.sha256}, but the config pins ${wrong}`));
  });

  it('refuses a missing file with a hint about the init container', async () => {
    const err = await loadModelSession({
      path: `${fx.dir}/nope.onnx`,
      sha256: 'a'.repeat(64),
      inputs: [X_INPUT],
      outputs: [],
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as ModelLoadError).hint).toMatch(/init container/);
  });

  it('refuses a model whose inputs or outputs do not match the signature', async () => {
    const wrongType: InputTensor = { ...X_INPUT, dtype: 'FP64' };
    const err = await session(
      'lr-sig',
      logisticRegression(),
      [{ name: 'score', dtype: 'FP32', shape: [-1, 1] }],
      [wrongType],
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toMatch(/input `x` is float32 in the model, FP64 in the config/);
    expect(err.message).toMatch(/output `score` is not in the model/);
  });

  it('refuses a fixed dimension that differs', async () => {
    const err = await session(
      'lr-dim',
      logisticRegression(),
      [{ name: 'probability', dtype: 'FP32', shape: [-1, 1] }],
      [{ ...X_INPUT, shape: [-1, 5] }],
    ).catch((e) => e);
    expect(err.message).toMatch(/dimension 1 is 4 in the model, 5 in the config/);
  });

  it('refuses bytes that are not an ONNX model', async () => {
    const err = await session('garbage', new TextEncoder().encode('not a model'), []).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toMatch(/onnxruntime cannot load/);
  });
});

describe('typed tensors', () => {
  it('passes FP64, BOOL, INT64, INT32 and BYTES through the model', async () => {
    const inputs: InputTensor[] = [
      { name: 'x', dtype: 'FP64', shape: [-1, 2], features: ['x0', 'x1'] },
      { name: 'flag', dtype: 'BOOL', shape: [-1, 1], features: ['flag'] },
      { name: 'count', dtype: 'INT64', shape: [-1, 1], features: ['count'] },
      { name: 'n', dtype: 'INT32', shape: [-1, 1], features: ['n'] },
      { name: 'name', dtype: 'BYTES', shape: [-1, 1], features: ['name'] },
    ];
    const s = await session('typed', typedModel(), [{ name: 'sum', dtype: 'FP64', shape: [-1, 1] }], inputs);
    const out = await s.run(
      {
        x: new Tensor('float64', Float64Array.from([0.1, 0.2, 1e300, 1e300]), [2, 2]),
        flag: new Tensor('bool', Uint8Array.from([1, 0]), [2, 1]),
        count: new Tensor('int64', BigInt64Array.from([41n, 9007199254740990n]), [2, 1]),
        n: new Tensor('int32', Int32Array.from([7, -3]), [2, 1]),
        name: new Tensor('string', ['ä', ''], [2, 1]),
      },
      live(2),
    );
    expect(Array.from(out.sum!.data as Float64Array)).toEqual([0.1 + 0.2, 2e300]);
    expect(Array.from(out.not_flag!.data as Uint8Array)).toEqual([0, 1]);
    expect(Array.from(out.count_plus_one!.data as BigInt64Array)).toEqual([42n, 9007199254740991n]);
    expect(Array.from(out.n_twice!.data as Int32Array)).toEqual([14, -6]);
    expect(out.name_out!.data).toEqual(['ä', '']);
    await s.release();
  });
});
