// A bounded load test on loopback: many concurrent keep-alive requests, two hot reloads in the
// middle (one applied, one rejected), and not a single failed or lost request.
import { Agent, request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../runtime/contract/config.js';
import { lrConfig } from './helpers/config.js';
import { fixture } from './helpers/fixture.js';
import { sample, startHarness } from './helpers/harness.js';
import { logisticRegression } from './helpers/models.js';

const TOTAL = 3000;
const CONCURRENCY = 16;

const fx = fixture();
afterAll(() => fx.cleanup());

function post(agent: Agent, port: number, body: string): Promise<{ status: number; variant: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v2/models/churn/infer',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode!, variant: res.headers['x-mlspec-variant'] as string | undefined }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('load test with hot reloads', () => {
  it(`answers ${TOTAL} requests at concurrency ${CONCURRENCY} with zero errors across reloads`, async () => {
    const a = fx.model('a', logisticRegression());
    const b = fx.model('b', logisticRegression([0.1, 0.2, 0.3, 0.4], 0));
    const base = lrConfig(a, { batching: { maxBatchSize: 16, maxDelayMs: 1 } });
    const before: RuntimeConfig = { ...base, traffic: { ...base.traffic, stickyKey: { field: 'user_id' } } };
    const after: RuntimeConfig = {
      ...before,
      variants: [before.variants[0]!, { name: 'next', version: '2', role: 'variant', ...b }],
      traffic: { ...before.traffic, strategy: 'abTest', weights: { stable: 50, next: 50 } },
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const h = await startHarness(fx, before);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const port = Number(new URL(h.url).port);
    const results: { status: number; variant: string | undefined; afterReload: boolean }[] = [];
    let sent = 0;
    let reloadedAt = Infinity;
    const applied = h.nextReload();
    let rejected: Promise<unknown> | undefined;
    const worker = async () => {
      while (sent < TOTAL) {
        const i = sent++;
        if (i === TOTAL / 3) fx.publish(after); // mid-run: a second variant and a sticky split
        if (i === (2 * TOTAL) / 3) {
          // The other workers keep sending meanwhile; this one makes sure the first reload landed
          // mid-run before publishing an invalid config, which must be rejected.
          await applied;
          rejected = h.nextReload();
          fx.publish({ ...after, traffic: { ...after.traffic, weights: { stable: 50 } } });
        }
        const body = JSON.stringify({
          age: i % 10,
          tenure: (i * 3) % 10,
          spend: (i * 7) % 10,
          visits: 5,
          user_id: `u${i % 500}`,
        });
        const r = await post(agent, port, body);
        results.push({ ...r, afterReload: i > reloadedAt });
      }
    };
    void applied.then(() => (reloadedAt = sent));
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    expect(await applied).toEqual({ result: 'applied' });
    expect(await rejected).toMatchObject({ result: 'rejected' });
    expect(results).toHaveLength(TOTAL);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    // Before the reload only `stable` existed; after it, both variants answer.
    expect(new Set(results.filter((r) => r.afterReload).map((r) => r.variant))).toEqual(new Set(['stable', 'next']));
    const m = await h.metrics();
    expect(sample(m, 'mlspec_config_reloads_total', { result: 'rejected' })).toBe(1);
    const served =
      (sample(m, 'mlspec_requests_total', { variant: 'stable', code: '200' }) ?? 0) +
      (sample(m, 'mlspec_requests_total', { variant: 'next', code: '200' }) ?? 0);
    expect(served).toBe(TOTAL);
    expect(m).not.toMatch(/^mlspec_request_(client_)?errors_total\{.*\} [1-9]/m);
    await h.stop();
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});
