// The canary controller walks its steps on time while the gate passes and drains on a breach;
// the gate window slides and bounds p99 from above. Time is injected: nothing here sleeps.
import { describe, expect, it } from 'vitest';
import type { Traffic } from '../../../runtime/contract/config.js';
import {
  CanaryController,
  type CanaryState,
  type RolloutSync,
  type SharedRollout,
} from '../../../runtime/router/canary.js';
import type { GateEvidence } from '../../../runtime/router/gate.js';
import { GateWindow } from '../../../runtime/router/gate-window.js';
import { seeded } from '../helpers/random.js';

const traffic = (gate: Partial<NonNullable<Traffic['canary']>['gate']> = {}): Traffic => ({
  strategy: 'canary',
  weights: { stable: 90, canary: 10 },
  overrideHeader: 'x-mlspec-variant',
  canary: {
    stable: 'stable',
    canary: 'canary',
    steps: [
      { weight: 10, pauseSeconds: 60 },
      { weight: 50, pauseSeconds: 60 },
      { weight: 100, pauseSeconds: 0 },
    ],
    gate: {
      windowSeconds: 60,
      minRequests: 20,
      minLatencySamples: 20,
      maxErrorRate: 0.05,
      maxP99LatencySeconds: 0.2,
      ...gate,
    },
  },
});

function healthy(c: CanaryController, from: number, count: number, latency = 0.01): number {
  for (let i = 0; i < count; i++) c.record('canary', from + i, latency, false);
  return from + count;
}

describe('GateWindow', () => {
  it('counts requests and errors and slides old ones out', () => {
    const w = new GateWindow(10, 0);
    for (let i = 0; i < 10; i++) w.record(0, 0.01, i < 3);
    expect(w.summary(0)).toMatchObject({ requests: 10, errors: 3, errorRate: 0.3 });
    for (let i = 0; i < 10; i++) w.record(6000, 0.01, false);
    expect(w.summary(6000).requests).toBe(20);
    // After the window has passed the first batch, only the second remains.
    expect(w.summary(10_500)).toMatchObject({ requests: 10, errors: 0 });
    expect(w.summary(30_000).requests).toBe(0);
  });

  it('reads p99 as an upper bound within one bucket (10 %)', () => {
    const w = new GateWindow(60, 0);
    for (let i = 0; i < 990; i++) w.record(0, 0.005, false);
    for (let i = 0; i < 10; i++) w.record(0, 0.4, false);
    const { p99 } = w.summary(0);
    expect(p99).toBeGreaterThanOrEqual(0.005);
    expect(p99).toBeLessThanOrEqual(0.005 * 1.1);
    w.record(0, 0.4, false); // one more slow request: now more than 1 % are slow
    expect(w.summary(0).p99).toBeGreaterThanOrEqual(0.4);
    expect(w.summary(0).p99).toBeLessThanOrEqual(0.4 * 1.1);
  });
});

describe('CanaryController', () => {
  it('starts at the first step and shares the stable+canary pool', () => {
    const c = new CanaryController(traffic(), 0);
    expect(c.state).toMatchObject({ phase: 'progressing', step: 0, weight: 10 });
    expect(c.weights({ stable: 90, canary: 10, other: 0 })).toEqual({ stable: 90, canary: 10, other: 0 });
  });

  it('advances after each pause while the gate passes, then holds the last step', () => {
    const c = new CanaryController(traffic(), 0);
    const seen: CanaryState[] = [];
    c.onChange((s) => seen.push(s));
    healthy(c, 30_000, 50);
    c.tick(59_999);
    expect(c.state.step).toBe(0);
    c.tick(60_000);
    expect(c.state).toMatchObject({ phase: 'progressing', step: 1, weight: 50 });
    expect(c.weights({ stable: 90, canary: 10 })).toEqual({ stable: 50, canary: 50 });
    healthy(c, 100_000, 50);
    c.tick(119_999);
    expect(c.state.step).toBe(1);
    c.tick(120_000);
    expect(c.state).toMatchObject({ phase: 'holding', step: 2, weight: 100 });
    healthy(c, 200_000, 50);
    c.tick(1_000_000);
    expect(seen.map((s) => s.step)).toEqual([1, 2]);
  });

  it('does not advance without enough requests for a verdict', () => {
    const c = new CanaryController(traffic(), 0);
    healthy(c, 0, 19);
    c.tick(600_000);
    expect(c.state.step).toBe(0);
  });

  it('drains on an error-rate breach and stays drained', () => {
    const c = new CanaryController(traffic(), 0);
    healthy(c, 0, 30);
    c.record('canary', 100, 0.01, true);
    expect(c.state.phase).toBe('progressing'); // 1/31 = 3.2 %: within 5 %
    c.record('canary', 101, 0.01, true);
    expect(c.state.phase).toBe('drained'); // 2/32 = 6.25 %
    expect(c.state.reason).toMatch(/server error rate 0.0625 above 0.05 over 32 requests/);
    expect(c.state.weight).toBe(0);
    healthy(c, 200, 1000);
    c.tick(10_000_000);
    expect(c.state.phase).toBe('drained');
  });

  it('drains on a p99 breach, giving the whole pool back to stable', () => {
    const c = new CanaryController(traffic({ maxErrorRate: undefined }), 0);
    healthy(c, 0, 20, 0.5);
    expect(c.state.phase).toBe('drained');
    expect(c.state.reason).toMatch(/p99 latency/);
    expect(c.weights({ stable: 90, canary: 10 })).toEqual({ stable: 100, canary: 0 });
    healthy(c, 100_000, 1000);
    c.tick(10_000_000);
    expect(c.state.phase).toBe('drained');
  });

  it('no verdict (and no breach) below minRequests, even with errors', () => {
    const c = new CanaryController(traffic(), 0);
    for (let i = 0; i < 19; i++) c.record('canary', i, 0.01, true);
    expect(c.state.phase).toBe('progressing');
    c.record('canary', 19, 0.01, true);
    expect(c.state.phase).toBe('drained');
  });
});

describe('judging the canary, not the queue or the traffic volume', () => {
  const relative = (gate: Partial<NonNullable<Traffic['canary']>['gate']> = {}) =>
    traffic({
      maxP99LatencySeconds: undefined,
      maxErrorRate: undefined,
      maxP99Ratio: 1.5,
      minLatencySamples: 50,
      ...gate,
    });

  it('compares the canary p99 with stable over the same window', () => {
    const c = new CanaryController(relative(), 0);
    for (let i = 0; i < 100; i++) c.record('stable', 1000 + i, 0.02, false);
    for (let i = 0; i < 60; i++) c.record('canary', 1000 + i, 0.045, false);
    expect(c.state.phase).toBe('drained');
    expect(c.state.reason).toMatch(/is 2\.\d+x stable's .* \(at most 1.5x\)/);
  });

  it('passes a canary exactly as slow as stable: queueing they share is not the canary', () => {
    const c = new CanaryController(relative(), 0);
    for (let i = 0; i < 100; i++) c.record('stable', 1000 + i, 0.3, false);
    for (let i = 0; i < 60; i++) c.record('canary', 1000 + i, 0.3, false);
    c.tick(60_000);
    expect(c.state).toMatchObject({ phase: 'progressing', step: 1 });
  });

  it('gives no latency verdict below minLatencySamples, but still judges errors', () => {
    const c = new CanaryController(relative({ maxErrorRate: 0.05 }), 0);
    for (let i = 0; i < 100; i++) c.record('stable', 1000 + i, 0.01, false);
    for (let i = 0; i < 40; i++) c.record('canary', 1000 + i, 1, false); // slow, but only 40 of 50
    c.tick(60_000);
    expect(c.state).toMatchObject({ phase: 'progressing', step: 0 });
    for (let i = 0; i < 5; i++) c.record('canary', 2000 + i, 0.01, true);
    expect(c.state.phase).toBe('drained');
    expect(c.state.reason).toMatch(/server error rate/);
  });

  it('reaches a verdict on traffic too thin for any one window, over the windows since the step began', () => {
    // 5 canary requests per 30 s window, 64 % failing: no window ever holds the 50 a verdict needs.
    const c = new CanaryController(
      traffic({ windowSeconds: 30, minRequests: 50, maxErrorRate: 0.1, maxP99LatencySeconds: undefined }),
      0,
    );
    const random = seeded(4);
    let now = 0;
    for (let n = 0; n < 49; n++) {
      now += 6_000;
      c.record('canary', now, 0.01, random() < 0.64);
      c.tick(now);
    }
    expect(c.state.phase).toBe('progressing');
    now += 6_000;
    c.record('canary', now, 0.01, true);
    expect(c.state.phase).toBe('drained');
    expect(c.state.reason).toMatch(/over 50 requests/);
  });
});

describe('CanaryController sharing state with the tier (RolloutSync)', () => {
  const none = { requests: 0, serverErrors: 0, p99: undefined };
  function fakeSync(shared: () => SharedRollout | undefined, evidence: (seconds: number) => GateEvidence | undefined) {
    const asked: number[] = [];
    const sync: RolloutSync = {
      intervalMs: 1000,
      read: async () => shared(),
      evidence: async (seconds) => {
        asked.push(seconds);
        return evidence(seconds);
      },
    };
    return { sync, asked };
  }

  it('sends the canary nothing until the tier state is read, and holds while it cannot be', async () => {
    let reachable = false;
    const { sync } = fakeSync(
      () => (reachable ? { step: undefined, stepStartedAt: undefined, drained: false } : undefined),
      () => ({ canary: none, stable: none }),
    );
    const c = new CanaryController(traffic(), 0, sync);
    expect(c.state).toMatchObject({ phase: 'syncing', weight: 0 });
    expect(c.weights({ stable: 90, canary: 10 })).toEqual({ stable: 100, canary: 0 });
    await c.synchronize(1000);
    expect(c.state.phase).toBe('syncing');
    reachable = true;
    await c.synchronize(2000);
    expect(c.state).toMatchObject({ phase: 'progressing', step: 0, weight: 10, stepStartedAt: 2000 });
  });

  it('adopts the furthest step (with its start) and a drain from another replica', async () => {
    let shared: SharedRollout = { step: 1, stepStartedAt: 5000, drained: false };
    const { sync } = fakeSync(
      () => shared,
      () => ({ canary: none, stable: none }),
    );
    const c = new CanaryController(traffic(), 0, sync);
    await c.synchronize(6000);
    expect(c.state).toMatchObject({ phase: 'progressing', step: 1, weight: 50, stepStartedAt: 5000 });
    shared = { ...shared, drained: true };
    await c.synchronize(7000);
    expect(c.state).toMatchObject({ phase: 'drained', weight: 0, reason: expect.stringMatching(/another replica/) });
    shared = { step: 2, stepStartedAt: 8000, drained: false }; // a drain is not undone by the tier moving on
    await c.synchronize(9000);
    expect(c.state.phase).toBe('drained');
  });

  it('judges the tier’s evidence since the step began when the window is too thin, and advances on it', async () => {
    const healthy = { requests: 25, serverErrors: 0, p99: 0.01 };
    const { sync, asked } = fakeSync(
      () => ({ step: 0, stepStartedAt: 0, drained: false }),
      (seconds) => (seconds <= 60 ? { canary: none, stable: none } : { canary: healthy, stable: healthy }),
    );
    const c = new CanaryController(traffic(), 0, sync);
    await c.synchronize(300_000);
    expect(asked).toEqual([60, 300]);
    expect(c.state).toMatchObject({ phase: 'progressing', step: 1, stepStartedAt: 300_000 });
  });
});
