// Micro-batching gives every request the answer it would get alone, in fewer model calls.
import { Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { MicroBatcher } from '../../../runtime/model/batcher.js';
import { loadModelSession, type Feeds, type ModelSession } from '../../../runtime/model/session.js';
import { fixture } from '../helpers/fixture.js';
import { live } from '../helpers/run-options.js';
import {
  logisticReference,
  mlp,
  mlpReference,
  logisticRegression,
  typedModel,
  TYPED_SIGNATURE,
} from '../helpers/models.js';

const fx = fixture();
afterAll(() => fx.cleanup());

const rowsOf = (n: number, seed: number) =>
  Array.from({ length: n }, (_, r) => Array.from({ length: 4 }, (_, c) => Math.sin(seed * 7 + r * 3 + c)));
const feeds = (rows: number[][]): Feeds => ({
  x: new Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 4]),
});

function counting(s: ModelSession): ModelSession & { calls: number[] } {
  const calls: number[] = [];
  return { calls, run: (f, o) => (calls.push(f.x!.dims[0]!), s.run(f, o)), release: () => s.release() };
}

describe('MicroBatcher', () => {
  it('runs at once when idle, stacks requests arriving meanwhile into one call, splits the outputs back', async () => {
    const file = fx.model('mlp', mlp());
    const s = counting(
      await loadModelSession({
        ...file,
        inputs: [{ name: 'x', dtype: 'FP32', shape: [-1, 4], features: ['a', 'b', 'c', 'd'] }],
        outputs: [{ name: 'probabilities', dtype: 'FP32', shape: [-1, 3] }],
      }),
    );
    const sizes: number[] = [];
    const b = new MicroBatcher(s, { maxBatchSize: 8, maxDelayMs: 50, onBatch: (n) => sizes.push(n) });
    const requests = [rowsOf(1, 1), rowsOf(3, 2), rowsOf(2, 3)];
    const outs = await Promise.all(requests.map((r) => b.run(feeds(r), live(r.length))));
    // The first finds the model idle and runs alone; the other two wait for it, then go together.
    expect(s.calls).toEqual([1, 5]);
    expect(sizes).toEqual([1, 5]);
    requests.forEach((rows, i) => {
      expect(outs[i]!.probabilities!.dims).toEqual([rows.length, 3]);
      const p = outs[i]!.probabilities!.data as Float32Array;
      rows.forEach((x, r) => mlpReference(x).forEach((v, k) => expect(p[r * 3 + k]).toBeCloseTo(v, 5)));
    });
  });

  it('flushes as soon as maxBatchSize rows are waiting, and runs large requests alone', async () => {
    const file = fx.model('lr', logisticRegression());
    const s = counting(
      await loadModelSession({
        ...file,
        inputs: [{ name: 'x', dtype: 'FP32', shape: [-1, 4], features: ['a', 'b', 'c', 'd'] }],
        outputs: [{ name: 'probability', dtype: 'FP32', shape: [-1, 1] }],
      }),
    );
    // A delay far beyond the test timeout: only the size trigger (or the model freeing up) flushes.
    const b = new MicroBatcher(s, { maxBatchSize: 4, maxDelayMs: 3_600_000 });
    const busy = rowsOf(1, 3); // occupies the model so that the next requests queue
    const small = [rowsOf(2, 4), rowsOf(2, 5)];
    const big = rowsOf(5, 6);
    const runs = [
      b.run(feeds(busy), live(1)),
      ...small.map((r) => b.run(feeds(r), live(r.length))),
      b.run(feeds(big), live(big.length)),
    ];
    // Queued: 2 + 2 rows reach maxBatchSize 4 and go at once, before the busy call even ends.
    expect(s.calls).toEqual([1, 4, 5]);
    const outs = await Promise.all(runs);
    [busy, ...small, big].forEach((rows, i) =>
      rows.forEach((x, r) =>
        expect((outs[i]!.probability!.data as Float32Array)[r]).toBeCloseTo(logisticReference(x), 6),
      ),
    );
  });

  it('stacks and splits every element type, strings included, each answer its own rows', async () => {
    const file = fx.model('typed', typedModel());
    const s = counting(await loadModelSession({ ...file, ...TYPED_SIGNATURE }));
    const b = new MicroBatcher(s, { maxBatchSize: 8, maxDelayMs: 50 });
    const request = (k: number): Feeds => ({
      x: new Tensor('float64', Float64Array.from([k, k / 10]), [1, 2]),
      flag: new Tensor('bool', Uint8Array.from([k % 2]), [1, 1]),
      count: new Tensor('int64', BigInt64Array.from([BigInt(k)]), [1, 1]),
      n: new Tensor('int32', Int32Array.from([k]), [1, 1]),
      name: new Tensor('string', [`row ${k}`], [1, 1]),
    });
    const outs = await Promise.all([1, 2, 3].map((k) => b.run(request(k), live(1))));
    expect(s.calls).toEqual([1, 2]);
    outs.forEach((o, i) => {
      const k = i + 1;
      expect(o.sum!.dims).toEqual([1, 1]);
      expect(Array.from(o.sum!.data as Float64Array)).toEqual([k + k / 10]);
      expect(Array.from(o.not_flag!.data as Uint8Array).map(Boolean)).toEqual([k % 2 === 0]);
      expect(Array.from(o.count_plus_one!.data as BigInt64Array)).toEqual([BigInt(k + 1)]);
      expect(Array.from(o.n_twice!.data as Int32Array)).toEqual([2 * k]);
      expect(o.name_out!.data).toEqual([`row ${k}`]);
    });
  });

  it('rejects every request of a failed batch', async () => {
    const failing: ModelSession = { run: () => Promise.reject(new Error('boom')), release: async () => {} };
    const b = new MicroBatcher(failing, { maxBatchSize: 4, maxDelayMs: 1 });
    const results = await Promise.allSettled([
      b.run(feeds(rowsOf(1, 1)), live(1)),
      b.run(feeds(rowsOf(1, 2)), live(1)),
      b.run(feeds(rowsOf(1, 3)), live(1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});
