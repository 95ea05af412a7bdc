// Shadow copies never cost live traffic: they run on the inference workers in a bounded lane of
// their own (dropped and counted when it is full), and a copy whose answer holds NaN or
// infinity counts as an error, as the same model serving live traffic would fail.
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../runtime/contract/config.js';
import { lrConfig } from './helpers/config.js';
import { fixture, type Fixture } from './helpers/fixture.js';
import { sample, startHarness, until, type Harness } from './helpers/harness.js';
import { logisticRegression, ratioModel, slowModel } from './helpers/models.js';

let fx: Fixture;
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  fx.cleanup();
});

function withShadow(shadowModel: Uint8Array, shadow: Partial<NonNullable<RuntimeConfig['traffic']['shadow']>> = {}) {
  fx = fixture();
  const stable = fx.model('stable', logisticRegression());
  const copy = fx.model('shadow', shadowModel);
  const c = lrConfig(stable, {
    variants: [
      { name: 'stable', version: '1', role: 'stable', ...stable },
      { name: 'shadow', version: '2', role: 'shadow', ...copy },
    ],
    traffic: {
      strategy: 'shadow',
      weights: { stable: 100 },
      overrideHeader: 'x-mlspec-variant',
      shadow: { variant: 'shadow', percent: 100, ...shadow },
    },
  });
  return { ...c, server: { ...c.server, bodyLimitBytes: 1 << 20 } };
}

const rowsOf = (rows: number, value = 0.25) => ({
  inputs: [{ name: 'x', datatype: 'FP32', shape: [rows, 4], data: Array(rows * 4).fill(value) }],
});

const shadowCount = async (outcome: string) =>
  sample(await h!.metrics(), 'mlspec_shadow_requests_total', { variant: 'shadow', outcome }) ?? 0;

describe('shadow copies', () => {
  it('run beside live traffic in a bounded lane: live answers do not wait, excess copies are dropped', async () => {
    const config = withShadow(slowModel(), { maxQueued: 2, maxConcurrent: 1 });
    h = await startHarness(fx, config);
    // Each copy takes the slow model a few hundred milliseconds; the live model answers in one.
    for (let i = 0; i < 10; i++) expect((await h.post('/v2/models/churn/infer', rowsOf(400))).status).toBe(200);
    expect(await shadowCount('ok')).toBeLessThan(3); // the copies were still running or queued
    expect(await shadowCount('dropped')).toBeGreaterThanOrEqual(7); // 10 - one running - two queued
    await until(
      async () => (await shadowCount('ok')) + (await shadowCount('dropped')) === 10,
      'the lane to finish what it kept',
    );
    expect(await shadowCount('error')).toBe(0);
  });

  it('counts a copy whose answer holds NaN as an error, though the live answer is fine', async () => {
    const config = withShadow(ratioModel());
    h = await startHarness(fx, config);
    for (let i = 0; i < 5; i++) expect((await h.post('/v2/models/churn/infer', rowsOf(1, 0))).status).toBe(200); // 0/0
    await until(async () => (await shadowCount('error')) === 5, 'five shadow errors');
    expect(await shadowCount('ok')).toBe(0);
    expect(h.logs.some((l) => l.msg === 'shadow inference failed' && /NaN/.test(String(l.error)))).toBe(true);
  });
});
