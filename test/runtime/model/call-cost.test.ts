// Where a call runs is decided from the calls already measured: unknown means the worker, a
// stray slow call does not move a fast model off the event loop, a slow model is seen as slow.
import { describe, expect, it } from 'vitest';
import { CallCost } from '../../../runtime/model/call-cost.js';

describe('CallCost', () => {
  it('predicts an infinite time before the first measure', () => {
    expect(new CallCost().predict(1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('scales the per-row time with the rows', () => {
    const c = new CallCost();
    for (let i = 0; i < 10; i++) c.observe(0.2, 4); // 0.05 ms a row
    expect(c.predict(1)).toBeCloseTo(0.05, 10);
    expect(c.predict(100)).toBeCloseTo(5, 10);
  });

  it('ignores two outliers among the last 32 calls, but not three', () => {
    const c = new CallCost();
    for (let i = 0; i < 30; i++) c.observe(0.02, 1);
    c.observe(40, 1); // a collection, or the machine busy elsewhere
    c.observe(35, 1);
    expect(c.predict(1)).toBeCloseTo(0.02, 10);
    c.observe(50, 1);
    expect(c.predict(1)).toBeGreaterThanOrEqual(35);
  });

  it('forgets old calls: a model that became fast is seen as fast after 30 fast calls', () => {
    const c = new CallCost();
    for (let i = 0; i < 32; i++) c.observe(20, 1);
    for (let i = 0; i < 30; i++) c.observe(0.01, 1);
    expect(c.predict(1)).toBeCloseTo(0.01, 10);
  });
});
