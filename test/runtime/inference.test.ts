// Long model calls run on the inference workers: health probes are answered while a model is
// busy, the request time limit holds (504, the late answer discarded and counted), a call that
// waited past its deadline is never run, and requests above the row cap are refused.
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../runtime/contract/config.js';
import { lrConfig } from './helpers/config.js';
import { fixture, type Fixture } from './helpers/fixture.js';
import { json, sample, startHarness, until, type Harness } from './helpers/harness.js';
import { logisticRegression, slowModel } from './helpers/models.js';

let fx: Fixture;
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  fx.cleanup();
});

/** `rows` rows of the slow model: about 0.5 ms each on the test machine, so 2,000 rows take about a second or more. */
const batch = (rows: number) => ({
  inputs: [{ name: 'x', datatype: 'FP32', shape: [rows, 4], data: Array(rows * 4).fill(0.25) }],
});

function slowConfig(server: Partial<RuntimeConfig['server']> = {}): RuntimeConfig {
  fx = fixture();
  const c = lrConfig(fx.model('slow', slowModel()));
  return { ...c, server: { ...c.server, bodyLimitBytes: 4 << 20, maxRowsPerRequest: 10_000, ...server } };
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

describe('long model calls', () => {
  it('leave the event loop free: health probes are answered while the call runs', async () => {
    const config = slowConfig();
    h = await startHarness(fx, config);
    let finished = false;
    const long = h.post('/v2/models/churn/infer', batch(2000)).then((r) => {
      finished = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 150)); // the body is read and the call has started
    const probes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { value, ms } = await timed(() => fetch(`${h!.url}/v2/health/live`));
      expect(value.status).toBe(200);
      probes.push(ms);
    }
    expect(finished).toBe(false); // all five answered while the model was still busy
    expect(Math.max(...probes)).toBeLessThan(250);
    const res = await long;
    expect(res.status).toBe(200);
    expect((await json(res)).outputs[0].shape).toEqual([2000, 1]);
  });

  it('504 at the time limit, not when the model finishes; the late answer is discarded and counted', async () => {
    const config = slowConfig({ requestTimeoutMs: 300 });
    h = await startHarness(fx, config);
    const { value: res, ms } = await timed(() => h!.post('/v2/models/churn/infer', batch(2000)));
    expect(res.status).toBe(504);
    expect((await json(res)).code).toBe('timeout');
    expect(ms).toBeLessThan(1000);
    const discarded = async () =>
      sample(await h!.metrics(), 'mlspec_inference_discarded_total', { variant: 'stable', reason: 'late' });
    expect(await discarded()).toBe(0); // the call is still running
    await until(async () => (await discarded()) === 1, 'the late answer to be discarded and counted');
    expect(sample(await h.metrics(), 'mlspec_request_errors_total', { variant: 'stable', code: '504' })).toBe(1);
  });

  it('a call still queued when its deadline passes is never run', async () => {
    const config = slowConfig({ requestTimeoutMs: 300, inference: { workers: 1 } });
    h = await startHarness(fx, config);
    const [first, second] = await Promise.all([
      h.post('/v2/models/churn/infer', batch(2000)),
      h.post('/v2/models/churn/infer', batch(2000)),
    ]);
    expect([first.status, second.status]).toEqual([504, 504]);
    await until(
      async () => sample(await h!.metrics(), 'mlspec_inference_discarded_total', { reason: 'late' }) === 1,
      'the first call to finish late',
    );
    const m = await h.metrics();
    expect(sample(m, 'mlspec_inference_discarded_total', { variant: 'stable', reason: 'expired' })).toBe(1);
  });

  it('runs a small model’s short calls on the event loop, and a large batch of it on a worker', async () => {
    fx = fixture();
    const c = lrConfig(fx.model('lr', logisticRegression()));
    h = await startHarness(fx, { ...c, server: { ...c.server, bodyLimitBytes: 1 << 20 } });
    const calls = async (place: string) =>
      sample(await h!.metrics(), 'mlspec_inference_calls_total', { place }) ?? Number.NaN;
    const [loop0, worker0] = [await calls('event_loop'), await calls('worker')];
    for (let i = 0; i < 10; i++) expect((await h.post('/v2/models/churn/infer', batch(1))).status).toBe(200);
    expect(await calls('event_loop')).toBeGreaterThanOrEqual(loop0 + 9); // one may meet a scheduler hiccup
    const res = await h.post('/v2/models/churn/infer', batch(4000)); // per-row time x 4000 rows: over 1 ms
    expect(res.status).toBe(200);
    expect(await calls('worker')).toBeGreaterThanOrEqual(worker0 + 1);
  });

  it('refuses more rows than maxRowsPerRequest with 413, before building tensors', async () => {
    fx = fixture();
    const c = lrConfig(fx.model('lr', logisticRegression()));
    h = await startHarness(fx, { ...c, server: { ...c.server, maxRowsPerRequest: 100 } });
    const over = await h.post('/v2/models/churn/infer', batch(101));
    expect(over.status).toBe(413);
    expect(await json(over)).toMatchObject({
      code: 'too_many_rows',
      error: expect.stringMatching(/101 rows, more than the 100/),
    });
    expect((await h.post('/v2/models/churn/infer', batch(100))).status).toBe(200);
    expect(sample(await h.metrics(), 'mlspec_request_client_errors_total', { code: '413' })).toBe(1);
  });
});
