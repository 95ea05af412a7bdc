// Operating the runtime: alerts that can fire (counters exist at 0, the reload gauge recovers),
// shutdown that keeps serving while the pod leaves the endpoints, slow clients answered 408 on
// time, a cap on connections, every request counted, paths resolved against the config folder.
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../runtime/contract/config.js';
import { serve } from '../../runtime/main.js';
import { canaryConfig, lrConfig } from './helpers/config.js';
import { fixture, type Fixture } from './helpers/fixture.js';
import { json, sample, startHarness, until, type Harness } from './helpers/harness.js';
import { logisticRegression } from './helpers/models.js';

let fx: Fixture;
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  fx?.cleanup();
});

const record = { age: 1, tenure: 2, spend: 3, visits: 4 };

function withServer(c: RuntimeConfig, server: Partial<RuntimeConfig['server']>): RuntimeConfig {
  return { ...c, server: { ...c.server, ...server } };
}

/** Opens a raw connection and collects what the server sends until it closes (or `capMs` passes). */
async function raw(
  url: string,
  capMs = 10_000,
): Promise<{ socket: Socket; answer: Promise<{ text: string; ms: number }> }> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const start = performance.now();
  const answer = new Promise<{ text: string; ms: number }>((resolve) => {
    let text = '';
    const timer = setTimeout(() => socket.destroy(), capMs);
    socket.on('data', (d) => (text += d.toString('utf8')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, ms: performance.now() - start });
    });
  });
  return { socket, answer };
}

describe('alerts that can fire', () => {
  it('creates every counter a rule or gate reads at 0 for the label sets the config knows', async () => {
    fx = fixture();
    const c = canaryConfig(fx.model('s', logisticRegression()), fx.model('c', logisticRegression()), 10, {
      steps: [{ weight: 10, pauseSeconds: 60 }],
      gate: { windowSeconds: 60, minRequests: 10, maxErrorRate: 0.1 },
    });
    h = await startHarness(fx, c);
    const m = await h.metrics();
    expect(sample(m, 'mlspec_canary_drains_total', { variant: 'canary' })).toBe(0);
    for (const variant of ['stable', 'canary']) {
      expect(sample(m, 'mlspec_requests_total', { variant, code: '200' })).toBe(0);
      for (const code of ['500', '503', '504'])
        expect(sample(m, 'mlspec_request_errors_total', { variant, code })).toBe(0);
      for (const outcome of ['ok', 'server_error'])
        expect(sample(m, 'mlspec_gate_requests_total', { variant, outcome })).toBe(0);
    }
    expect(sample(m, 'mlspec_config_reloads_total', { result: 'rejected' })).toBe(0);
    expect(sample(m, 'mlspec_config_reloads_total', { result: 'applied' })).toBe(0);
  });

  it('the reload gauge returns to 1 when a rejected change is reverted, and a rejection is counted once', async () => {
    fx = fixture();
    const good = lrConfig(fx.model('lr', logisticRegression()));
    h = await startHarness(fx, good);
    const rejected = h.nextReload();
    fx.publish({ ...good, traffic: { ...good.traffic, weights: { stable: 60 } } });
    expect((await rejected).result).toBe('rejected');
    // The 10 s poll reads the same bad file again and again.
    for (let i = 0; i < 3; i++) expect(await h.runtime.reload()).toEqual({ result: 'unchanged' });
    let m = await h.metrics();
    expect(sample(m, 'mlspec_config_last_reload_successful')).toBe(0);
    expect(sample(m, 'mlspec_config_reloads_total', { result: 'rejected' })).toBe(1);
    expect(h.logs.filter((l) => l.msg === 'config change rejected; still serving the previous config')).toHaveLength(1);
    fx.publish(good); // reverted: the file is the config being served
    await until(
      async () => sample(await h!.metrics(), 'mlspec_config_last_reload_successful') === 1,
      'the gauge to recover',
    );
    m = await h.metrics();
    expect(sample(m, 'mlspec_config_reloads_total', { result: 'applied' })).toBe(0);
  });
});

describe('shutdown', () => {
  it('keeps serving (readiness failing, connections closed after each answer) for the drain delay', async () => {
    fx = fixture();
    fx.publish(withServer(lrConfig(fx.model('lr', logisticRegression())), { drainDelayMs: 1500 }));
    const signals = new EventEmitter();
    let port = 0;
    const ready = new Promise<void>(
      (resolve) =>
        void serve(
          {
            configPath: fx.configPath,
            port: 0,
            host: '127.0.0.1',
            signals,
            onListening: (p) => {
              port = p;
              resolve();
            },
          },
          { stdout: () => {}, stderr: () => {} },
        ).then((code) => exits.push(code)),
    );
    const exits: number[] = [];
    await ready;
    const url = `http://127.0.0.1:${port}`;
    signals.emit('SIGTERM');
    const stoppedAt = performance.now();
    expect((await fetch(`${url}/v2/health/ready`)).status).toBe(503);
    // A new connection during the delay is still served, and told to go elsewhere afterwards.
    const res = await fetch(`${url}/v2/models/churn/infer`, { method: 'POST', body: JSON.stringify(record) });
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect(performance.now() - stoppedAt).toBeLessThan(1500);
    await until(() => exits.length === 1, 'serve to return');
    expect(exits).toEqual([0]);
    expect(performance.now() - stoppedAt).toBeGreaterThanOrEqual(1400);
    await expect(fetch(`${url}/v2/health/live`)).rejects.toThrow();
  });
});

describe('slow clients and connections', () => {
  it('408 for headers that do not arrive within requestTimeoutMs + 1 s, counted', async () => {
    fx = fixture();
    h = await startHarness(fx, withServer(lrConfig(fx.model('lr', logisticRegression())), { requestTimeoutMs: 500 }));
    const { socket, answer } = await raw(h.url);
    socket.write('POST /v2/models/churn/infer HTTP/1.1\r\nHost: x\r\nContent-Type: appl');
    const { text, ms } = await answer;
    expect(text).toMatch(/^HTTP\/1.1 408 Request Timeout\r\n/);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'request_timeout' });
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(3000);
    expect(sample(await h.metrics(), 'mlspec_requests_total', { variant: '', code: '408' })).toBe(1);
  });

  it('408 with a JSON error for a body that does not arrive in time', async () => {
    fx = fixture();
    h = await startHarness(fx, withServer(lrConfig(fx.model('lr', logisticRegression())), { requestTimeoutMs: 500 }));
    const { socket, answer } = await raw(h.url);
    socket.write(
      'POST /v2/models/churn/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\n\r\n{"age"',
    );
    const { text, ms } = await answer;
    expect(text).toMatch(/^HTTP\/1.1 408 /);
    expect(text).toMatch(/connection: close/i);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'request_timeout' });
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(3000);
    expect(sample(await h.metrics(), 'mlspec_request_client_errors_total', { code: '408' })).toBe(1);
  });

  it('closes connections beyond maxConnections on arrival, and counts them', async () => {
    fx = fixture();
    h = await startHarness(fx, withServer(lrConfig(fx.model('lr', logisticRegression())), { maxConnections: 2 }));
    const held = [await raw(h.url), await raw(h.url)];
    const third = await raw(h.url, 3000);
    third.socket.write('GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await third.answer).text).toBe('');
    for (const c of held) c.socket.destroy();
    await Promise.all(held.map((c) => c.answer));
    await until(async () => {
      const m = await fetch(`${h!.url}/metrics`).then((r) => r.text());
      return sample(m, 'mlspec_connections_dropped_total') === 1;
    }, 'the dropped connection to be counted');
  });
});

describe('small things', () => {
  it('counts every answered error in mlspec_requests_total, before routing with an empty variant', async () => {
    fx = fixture();
    h = await startHarness(fx, lrConfig(fx.model('lr', logisticRegression())));
    await h.post('/v2/models/churn/infer', '{"inputs": [');
    await h.post('/v2/models/nope/infer', record);
    await fetch(`${h.url}/v2/models/churn/infer`);
    await fetch(`${h.url}/nowhere`);
    await h.post('/v2/models/churn/infer', { big: 'x'.repeat(70_000) });
    const m = await h.metrics();
    expect(sample(m, 'mlspec_requests_total', { variant: '', code: '400' })).toBe(1);
    expect(sample(m, 'mlspec_requests_total', { variant: '', code: '404' })).toBe(2);
    expect(sample(m, 'mlspec_requests_total', { variant: '', code: '405' })).toBe(1);
    expect(sample(m, 'mlspec_requests_total', { variant: '', code: '413' })).toBe(1);
  });

  it('lists only the version in the path in version metadata', async () => {
    fx = fixture();
    const c = canaryConfig(fx.model('s', logisticRegression()), fx.model('c', logisticRegression()), 10, {
      steps: [{ weight: 10, pauseSeconds: 60 }],
      gate: { windowSeconds: 60, minRequests: 10 },
    });
    h = await startHarness(fx, c);
    expect((await json(fetch(`${h.url}/v2/models/churn`))).versions).toEqual(['1', '2']);
    expect((await json(fetch(`${h.url}/v2/models/churn/versions/2`))).versions).toEqual(['2']);
  });

  it('resolves events.path against the config folder, like model paths', async () => {
    fx = fixture();
    const c = lrConfig(fx.model('lr', logisticRegression()));
    h = await startHarness(fx, { ...c, events: { path: 'events.jsonl', sampleRate: 1, redactFields: [] } });
    await h.post('/v2/models/churn/infer', record);
    await h.stop();
    h = undefined;
    const path = join(fx.dir, 'config', 'events.jsonl');
    expect(existsSync(path)).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).data.model).toBe('churn');
    expect(existsSync(join(process.cwd(), 'events.jsonl'))).toBe(false);
  });

  it('marks the drift verdict stale when a window is too small to judge', async () => {
    fx = fixture();
    let now = 1_000_000;
    h = await startHarness(fx, lrConfig(fx.model('lr', logisticRegression())), { now: () => now });
    for (let i = 0; i < 100; i++)
      await h.post('/v2/models/churn/infer', {
        age: i % 10,
        tenure: (i * 3) % 10,
        spend: (i * 7) % 10,
        visits: (i * 9) % 10,
      });
    now += 3_600_000;
    h.runtime.tick();
    expect(sample(await h.metrics(), 'mlspec_drift_verdict_stale')).toBe(0);
    await h.post('/v2/models/churn/infer', record); // one request: below minSamples
    now += 3_600_000;
    h.runtime.tick();
    const m = await h.metrics();
    expect(sample(m, 'mlspec_drift_verdict_stale')).toBe(1);
    expect(sample(m, 'mlspec_dataset_drift')).toBe(0); // the last verdict, marked stale
  });
});
