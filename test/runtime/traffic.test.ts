// Traffic end to end: override, sticky assignment, shadow copies, the canary gate draining a
// failing canary, drift metrics from live requests, and the redacted event stream.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../runtime/contract/config.js';
import { canaryConfig, lrConfig } from './helpers/config.js';
import { fixture, type Fixture } from './helpers/fixture.js';
import { json, sample, startHarness, until, type Harness } from './helpers/harness.js';
import { failingModel, logisticReference, logisticRegression } from './helpers/models.js';
import { seeded } from './helpers/random.js';

let fx: Fixture;
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  fx.cleanup();
});

const ALT_WEIGHTS = [-0.5, 0.5, 1.0, -1.0];
const record = (age: number, extra: Record<string, unknown> = {}) => ({
  age,
  tenure: 2,
  spend: 3,
  visits: 4,
  ...extra,
});

function twoVariants(
  extra: Partial<RuntimeConfig['traffic']> = {},
  roles: [string, string] = ['stable', 'variant'],
): RuntimeConfig {
  fx = fixture();
  const a = fx.model('a', logisticRegression());
  const b = fx.model('b', logisticRegression(ALT_WEIGHTS, 0.1));
  return lrConfig(a, {
    variants: [
      { name: 'control', version: '1', role: roles[0] as 'stable', ...a },
      { name: 'treatment', version: '2', role: roles[1] as 'variant', ...b },
    ],
    traffic: {
      strategy: 'abTest',
      weights: { control: 50, treatment: 50 },
      overrideHeader: 'x-mlspec-variant',
      ...extra,
    },
  });
}

describe('routing over HTTP', () => {
  it('keeps a sticky header on one variant, splits keys across both, answers with that variant’s model', async () => {
    const config = twoVariants({ stickyKey: { header: 'x-user' } });
    h = await startHarness(fx, config);
    const seen = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      for (let u = 0; u < 40; u++) {
        const res = await h.post('/v2/models/churn/infer', record(u % 10), { 'x-user': `user-${u}` });
        const variant = res.headers.get('x-mlspec-variant')!;
        if (round > 0) expect(variant).toBe(seen.get(`user-${u}`));
        seen.set(`user-${u}`, variant);
        const p = (await json(res)).outputs.probability;
        const x = [u % 10, 2, 3, 4];
        expect(p).toBeCloseTo(variant === 'control' ? logisticReference(x) : logisticReference(x, ALT_WEIGHTS, 0.1), 6);
      }
    }
    expect(new Set(seen.values())).toEqual(new Set(['control', 'treatment']));
  });

  it('uses a sticky field from the record (not a feature, so not a model input)', async () => {
    const config = twoVariants({ stickyKey: { field: 'user_id' } });
    h = await startHarness(fx, config);
    const first = await h.post('/v2/models/churn/infer', record(1, { user_id: 'u-42' }));
    for (let i = 0; i < 10; i++)
      expect(
        (await h.post('/v2/models/churn/infer', record(i, { user_id: 'u-42' }))).headers.get('x-mlspec-variant'),
      ).toBe(first.headers.get('x-mlspec-variant'));
  });

  it('the override header reaches a preview variant that gets no live traffic', async () => {
    const config = twoVariants(
      { weights: { control: 100, treatment: 0 }, override: { allowSources: ['127.0.0.0/8', '::1/128'] } },
      ['stable', 'preview'],
    );
    h = await startHarness(fx, config);
    for (let i = 0; i < 20; i++)
      expect((await h.post('/v2/models/churn/infer', record(i))).headers.get('x-mlspec-variant')).toBe('control');
    const res = await h.post('/v2/models/churn/infer', record(1), { 'x-mlspec-variant': 'treatment' });
    expect(res.headers.get('x-mlspec-variant')).toBe('treatment');
    expect((await h.post('/v2/models/churn/infer', record(1), { 'x-mlspec-variant': 'nope' })).status).toBe(400);
  });

  it('copies requests to the shadow, records its latency and errors, and never lets it answer', async () => {
    fx = fixture();
    const stable = fx.model('stable', logisticRegression());
    const shadow = fx.model('shadow', failingModel());
    h = await startHarness(
      fx,
      lrConfig(stable, {
        variants: [
          { name: 'stable', version: '1', role: 'stable', ...stable },
          { name: 'shadow', version: '2', role: 'shadow', ...shadow },
        ],
        traffic: {
          strategy: 'shadow',
          weights: { stable: 100 },
          overrideHeader: 'x-mlspec-variant',
          shadow: { variant: 'shadow', percent: 100 },
        },
      }),
    );
    for (let i = 0; i < 20; i++) {
      const res = await h.post('/v2/models/churn/infer', record(i));
      expect(res.status).toBe(200);
      expect(res.headers.get('x-mlspec-variant')).toBe('stable');
    }
    await until(
      async () => sample(await h!.metrics(), 'mlspec_shadow_requests_total', { outcome: 'error' }) === 20,
      'shadow copies to finish',
    );
    const m = await h.metrics();
    expect(sample(m, 'mlspec_shadow_request_duration_seconds_count', { variant: 'shadow' })).toBe(20);
    expect(sample(m, 'mlspec_requests_total', { variant: 'shadow' })).toBeUndefined();
  });
});

describe('canary gate', () => {
  it('drains a failing canary, reports it, and sends its traffic back to stable', async () => {
    fx = fixture();
    const stable = fx.model('stable', logisticRegression());
    const canary = fx.model('canary', failingModel());
    const policy = {
      steps: [
        { weight: 50, pauseSeconds: 600 },
        { weight: 100, pauseSeconds: 0 },
      ],
      gate: { windowSeconds: 300, minRequests: 5, maxErrorRate: 0.2 },
    };
    h = await startHarness(fx, canaryConfig(stable, canary, 50, policy), { random: seeded(1) });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await h.post('/v2/models/churn/infer', record(i))).status);
    const failures = statuses.filter((s) => s === 500).length;
    // Exactly minRequests canary answers were needed for a verdict; after that only stable answers.
    expect(failures).toBe(5);
    expect(statuses.slice(statuses.lastIndexOf(500) + 1).every((s) => s === 200)).toBe(true);
    expect(h.runtime.current.canary!.state.phase).toBe('drained');
    const m = await h.metrics();
    expect(sample(m, 'mlspec_canary_drains_total', { variant: 'canary' })).toBe(1);
    expect(sample(m, 'mlspec_canary_state', { state: 'drained' })).toBe(1);
    expect(sample(m, 'mlspec_traffic_weight_ratio', { variant: 'canary' })).toBe(0);
    expect(sample(m, 'mlspec_traffic_weight_ratio', { variant: 'stable' })).toBe(1);
    expect(h.logs.find((l) => l.msg === 'canary drained: gate breached, traffic returned to stable')).toMatchObject({
      level: 'error',
      canary: 'canary',
      reason: expect.stringMatching(/error rate 1.0000/),
    });
  });
});

describe('drift and events from live traffic', () => {
  it('publishes per-feature PSI, p-values and the dataset flag when a window closes', async () => {
    fx = fixture();
    let now = 1_000_000;
    h = await startHarness(fx, lrConfig(fx.model('lr', logisticRegression())), { now: () => now });
    // `age` is stuck in the top bin; the other features follow the baseline (uniform over 0..9).
    for (let i = 0; i < 200; i++) {
      const res = await h.post('/v2/models/churn/infer', {
        inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [9.5, i % 10, (i * 3) % 10, (i * 7) % 10] }],
      });
      expect(res.status).toBe(200);
    }
    now += 3_600_000;
    h.runtime.tick();
    const m = await h.metrics();
    expect(sample(m, 'mlspec_dataset_drift')).toBe(1);
    expect(sample(m, 'mlspec_drift_feature_drifted', { feature: 'age' })).toBe(1);
    expect(sample(m, 'mlspec_drift_feature_drifted', { feature: 'tenure' })).toBe(0);
    expect(sample(m, 'mlspec_drift_psi', { feature: 'age' })).toBeGreaterThan(2);
    expect(sample(m, 'mlspec_drift_p_value', { feature: 'age', test: 'ks' })).toBeLessThan(1e-10);
    expect(sample(m, 'mlspec_drift_window_samples')).toBe(200);
  });

  it('writes sampled assignment events without the redacted fields', async () => {
    const config = twoVariants({ stickyKey: { field: 'user_id' } });
    const path = join(fx.dir, 'events.jsonl');
    h = await startHarness(fx, { ...config, events: { path, sampleRate: 1, redactFields: ['age', 'user_id'] } });
    for (let i = 0; i < 5; i++) await h.post('/v2/models/churn/infer', record(i, { user_id: `u-${i}` }));
    await h.stop();
    h = undefined;
    const events = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).data);
    expect(events).toHaveLength(5);
    for (const e of events) {
      expect(e.keyHash).toMatch(/^[0-9a-f]{64}$/);
      expect(e).toMatchObject({
        model: 'churn',
        reason: 'sticky',
        status: 200,
        features: { tenure: 2, spend: 3, visits: 4 },
      });
      expect(['control', 'treatment']).toContain(e.variant);
      expect(e.features.age).toBeUndefined();
      expect(e.key).toBeUndefined();
      expect(typeof e.outputs.probability).toBe('number');
    }
  });
});
