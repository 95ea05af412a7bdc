// The inference pool: calls run on worker threads, live calls before shadow copies, a call
// past its deadline is dropped unstarted, and a model too large to copy lives in one worker.
import { Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelSession } from '../../../runtime/model/session.js';
import { ExpiredError, WorkerPool } from '../../../runtime/model/workers.js';
import { fixture } from '../helpers/fixture.js';
import { LR_SIGNATURE, logisticReference, logisticRegression, slowModel } from '../helpers/models.js';

const fx = fixture();
afterAll(() => fx.cleanup());

const x = (rows: number) => ({ x: new Tensor('float32', new Float32Array(rows * 4).fill(0.25), [rows, 4]) });

describe('WorkerPool', () => {
  it('runs live calls before shadow copies, each lane in arrival order', async () => {
    const pool = new WorkerPool(1);
    try {
      await pool.load('slow', slowModel(), 1, true);
      const order: string[] = [];
      const run = (name: string, lane: 'live' | 'shadow') =>
        pool.run('slow', x(200), lane, Number.POSITIVE_INFINITY).then(() => order.push(name));
      const busy = run('live-1', 'live'); // takes the only worker
      const calls = [
        run('shadow-1', 'shadow'),
        run('live-2', 'live'),
        run('shadow-2', 'shadow'),
        run('live-3', 'live'),
      ];
      await Promise.all([busy, ...calls]);
      expect(order).toEqual(['live-1', 'live-2', 'live-3', 'shadow-1', 'shadow-2']);
    } finally {
      await pool.close();
    }
  });

  it('drops a call whose deadline passed while it waited, without running it', async () => {
    const pool = new WorkerPool(1);
    try {
      await pool.load('slow', slowModel(), 1, true);
      const busy = pool.run('slow', x(500), 'live', Number.POSITIVE_INFINITY);
      const late = pool.run('slow', x(1), 'live', performance.now() + 20);
      await expect(late).rejects.toBeInstanceOf(ExpiredError);
      expect(pool.queued).toBe(0);
      await busy;
    } finally {
      await pool.close();
    }
  });

  it('unloads a model from every worker when it fails to load in one, and refuses calls for it', async () => {
    const pool = new WorkerPool(2);
    try {
      await expect(pool.load('bad', new Uint8Array([8, 1, 2, 3]), 4, true)).rejects.toThrow();
      await expect(pool.run('bad', x(1), 'live', Number.POSITIVE_INFINITY)).rejects.toThrow(
        /no inference worker holds model bad/,
      );
    } finally {
      await pool.close();
    }
  });

  it('reports the time of the call itself, measured in the worker', async () => {
    const pool = new WorkerPool(1);
    try {
      await pool.load('lr', logisticRegression(), 1, true);
      const r = await pool.run('lr', x(2), 'live', Number.POSITIVE_INFINITY);
      expect(r.outputs.probability!.dims).toEqual([2, 1]);
      expect(r.ms).toBeGreaterThan(0);
      expect(r.ms).toBeLessThan(1000);
    } finally {
      await pool.close();
    }
  });
});

describe('sessions on the pool', () => {
  it('a model above replicateMaxBytes is loaded in one worker only, and its calls still run', async () => {
    const pool = new WorkerPool(2);
    try {
      const file = fx.model('lr-big', logisticRegression());
      const s = await loadModelSession({ ...file, ...LR_SIGNATURE, replicateMaxBytes: 0 }, pool);
      const rows = [
        [0.1, 0.2, 0.3, 0.4],
        [1, -1, 2, -2],
      ];
      const out = await s.run(
        { x: new Tensor('float32', Float32Array.from(rows.flat()), [2, 4]) },
        { rows: 2, lane: 'live', deadline: Number.POSITIVE_INFINITY, inlineMaxMs: Number.POSITIVE_INFINITY },
      );
      rows.forEach((r, i) => expect((out.probability!.data as Float32Array)[i]).toBeCloseTo(logisticReference(r), 6));
      await s.release();
    } finally {
      await pool.close();
    }
  });
});
