// The model-call time limit: one queue and one timer for all calls with the same limit. A call
// that settles in time keeps its result or failure; one that does not is rejected when its own
// deadline passes, even behind calls that finished; finished calls are not kept.
import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../runtime/deadline-queue.js';

const expired = () => new Error('too late');
const never = () => new Promise<never>(() => {});
const after = <T>(ms: number, v: T) => new Promise<T>((resolve) => setTimeout(() => resolve(v), ms));

describe('DeadlineQueue', () => {
  it('passes through a result or failure that comes in time', async () => {
    const q = new DeadlineQueue(1000, expired);
    try {
      await expect(q.within(after(5, 'ok'))).resolves.toBe('ok');
      await expect(q.within(Promise.reject(new Error('model failed')))).rejects.toThrow('model failed');
    } finally {
      q.close();
    }
  });

  it('rejects a call that does not settle within the limit, not before', async () => {
    const q = new DeadlineQueue(40, expired);
    try {
      const t0 = performance.now();
      await expect(q.within(never())).rejects.toThrow('too late');
      const waited = performance.now() - t0;
      expect(waited).toBeGreaterThanOrEqual(39);
      expect(waited).toBeLessThan(1000);
    } finally {
      q.close();
    }
  });

  it('still times out a call queued behind calls that finished first, each at its own deadline', async () => {
    const q = new DeadlineQueue(60, expired);
    try {
      const t0 = performance.now();
      const done = q.within(after(5, 'fast'));
      await after(20, null);
      const stuck = q.within(never()).catch((e: Error) => ({ message: e.message, at: performance.now() - t0 }));
      expect(await done).toBe('fast');
      const r = await stuck;
      expect(r.message).toBe('too late');
      expect(r.at).toBeGreaterThanOrEqual(79); // 20 ms after the first call, plus its own 60
    } finally {
      q.close();
    }
  });

  it('keeps only calls in flight: finished ones are dropped as new ones arrive', async () => {
    const q = new DeadlineQueue(5000, expired);
    try {
      for (let i = 0; i < 5000; i++) await q.within(Promise.resolve(i));
      expect(q.size).toBe(1); // the last call, settled, is dropped when the next one arrives
      const stuck = q.within(never());
      for (let i = 0; i < 3000; i++) await q.within(Promise.resolve(i));
      // Behind a call still running, finished calls wait (bounded by the limit), then go.
      expect(q.size).toBeGreaterThan(1);
      expect(q.size).toBeLessThanOrEqual(3001);
      void stuck.catch(() => {});
    } finally {
      q.close();
    }
  });
});
