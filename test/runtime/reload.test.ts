// Hot reload: a changed ConfigMap (swapped `..data` symlink) is picked up by the directory
// watch, validated and swapped in; a bad config or model keeps the old one serving.
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../runtime/contract/config.js';
import { canaryConfig, lrConfig } from './helpers/config.js';
import { seeded } from './helpers/random.js';
import { fixture, type Fixture } from './helpers/fixture.js';
import { sample, startHarness, type Harness } from './helpers/harness.js';
import { failingModel, logisticRegression } from './helpers/models.js';

let fx: Fixture;
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  fx.cleanup();
});

const record = { age: 1, tenure: 2, spend: 3, visits: 4 };
const variantOf = async (h: Harness, headers: Record<string, string> = {}) =>
  (await h.post('/v2/models/churn/infer', record, headers)).headers.get('x-mlspec-variant');

function setup() {
  fx = fixture();
  const a = fx.model('a', logisticRegression());
  const b = fx.model('b', logisticRegression([1, 1, 1, 1], 0));
  const base = lrConfig(a);
  const both = (weights: Record<string, number>, extra: Partial<RuntimeConfig> = {}): RuntimeConfig => ({
    ...base,
    variants: [
      { name: 'stable', version: '1', role: 'stable', ...a },
      { name: 'next', version: '2', role: 'variant', ...b },
    ],
    traffic: { strategy: 'abTest', weights, overrideHeader: 'x-mlspec-variant' },
    ...extra,
  });
  return { a, b, base, both };
}

describe('hot reload', () => {
  it('applies a new config published by a symlink swap, reusing unchanged sessions', async () => {
    const { base, both } = setup();
    h = await startHarness(fx, base);
    expect(await variantOf(h)).toBe('stable');
    const reloaded = h.nextReload();
    fx.publish(both({ stable: 0, next: 100 }));
    expect(await reloaded).toEqual({ result: 'applied' });
    expect(await variantOf(h)).toBe('next');
    expect(h.runtime.pool.size).toBe(2);
    // Dropping a variant releases its session once the old generation has drained.
    const again = h.nextReload();
    fx.publish(base);
    expect(await again).toEqual({ result: 'applied' });
    expect(h.runtime.pool.size).toBe(1);
    const m = await h.metrics();
    expect(sample(m, 'mlspec_config_reloads_total', { result: 'applied' })).toBe(2);
    expect(sample(m, 'mlspec_model_info', { variant: 'next' })).toBeUndefined();
  });

  it('keeps serving the old config when the new one is invalid, and says why', async () => {
    const { base } = setup();
    h = await startHarness(fx, base);
    const reloaded = h.nextReload();
    fx.publish({ ...base, traffic: { ...base.traffic, weights: { stable: 90 } } });
    const r = await reloaded;
    expect(r.result).toBe('rejected');
    expect(await variantOf(h)).toBe('stable');
    const m = await h.metrics();
    expect(sample(m, 'mlspec_config_reloads_total', { result: 'rejected' })).toBe(1);
    expect(sample(m, 'mlspec_config_last_reload_successful')).toBe(0);
    const log = h.logs.find((l) => l.msg === 'config change rejected; still serving the previous config') as {
      level: string;
      problems: { code: string; pointer: string }[];
    };
    expect(log.level).toBe('error');
    expect(log.problems).toEqual([expect.objectContaining({ code: 'weights_sum', pointer: '/traffic/weights' })]);
  });

  it('keeps serving the old config when a new model file does not match its sha256', async () => {
    const { both } = setup();
    const c = both({ stable: 50, next: 50 });
    h = await startHarness(fx, { ...c, traffic: { ...c.traffic, weights: { stable: 100, next: 0 } } });
    const reloaded = h.nextReload();
    fx.publish({ ...c, variants: [c.variants[0]!, { ...c.variants[1]!, sha256: 'e'.repeat(64) }] });
    const r = await reloaded;
    expect(r.result).toBe('rejected');
    if (r.result === 'rejected')
      expect(r.error.diagnostics[0]).toMatchObject({
        code: 'model_load_failed',
        message: expect.stringMatching(/but the config pins eeee/),
      });
    expect(await variantOf(h)).toBe('stable');
    expect(h.runtime.pool.size).toBe(2); // the old generation's two sessions, nothing leaked
  });

  it('keeps the canary’s state across an unrelated change, and starts over when the canary changes', async () => {
    fx = fixture();
    const stable = fx.model('stable', logisticRegression());
    const canary = fx.model('canary', failingModel());
    const config = canaryConfig(stable, canary, 10, {
      steps: [{ weight: 10, pauseSeconds: 60 }],
      gate: { windowSeconds: 60, minRequests: 3, maxErrorRate: 0.5 },
    });
    h = await startHarness(fx, config, { random: seeded(3) });
    for (let i = 0; i < 300 && h.runtime.current.canary!.state.phase !== 'drained'; i++)
      await h.post('/v2/models/churn/infer', record);
    expect(h.runtime.current.canary!.state.phase).toBe('drained');
    let reloaded = h.nextReload();
    fx.publish({ ...config, drift: { ...config.drift, alpha: 0.05 } });
    expect(await reloaded).toEqual({ result: 'applied' });
    expect(h.runtime.current.canary!.state.phase).toBe('drained');
    reloaded = h.nextReload();
    fx.publish({
      ...config,
      traffic: {
        ...config.traffic,
        canary: { ...config.traffic.canary!, gate: { ...config.traffic.canary!.gate, maxErrorRate: 0.9 } },
      },
    });
    expect(await reloaded).toEqual({ result: 'applied' });
    expect(h.runtime.current.canary!.state).toMatchObject({ phase: 'holding', step: 0, weight: 10 });
  });
});
