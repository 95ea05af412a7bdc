// The canary across replicas: two runtime processes, scraped by a real Prometheus, agree on
// the step and on a drain, judge the tier's traffic (including traffic too thin for one window)
// rather than their own share, and a replica that restarts resumes where the tier is: at its
// step, or drained.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../runtime/contract/config.js';
import { canaryConfig } from './helpers/config.js';
import { fixture, type Fixture } from './helpers/fixture.js';
import { sample, until } from './helpers/harness.js';
import { failingModel, logisticRegression } from './helpers/models.js';
import { freePort, type Prometheus, type Replica, startPrometheus, startReplica } from './helpers/processes.js';

const JOB = 'mlspec-replicas';
let prometheus: Prometheus;
let ports: number[];
let fx: Fixture;
const running: Replica[] = [];

beforeAll(async () => {
  ports = [await freePort(), await freePort()];
  prometheus = await startPrometheus(
    JOB,
    ports.map((p) => `127.0.0.1:${p}`),
  );
});
afterAll(() => prometheus?.stop());
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.kill()));
  fx?.cleanup();
});

const record = { age: 1, tenure: 2, spend: 3, visits: 4 };

/** A canary at 50 % whose state lives in Prometheus; `version` keeps each test's evidence apart. */
function rollout(version: string, model: Uint8Array, pauseSeconds: number): RuntimeConfig {
  fx = fixture();
  const c = canaryConfig(fx.model('stable', logisticRegression()), fx.model('canary', model), 50, {
    steps: [
      { weight: 50, pauseSeconds },
      { weight: 100, pauseSeconds: 0 },
    ],
    gate: { windowSeconds: 4, minRequests: 6, maxErrorRate: 0.2 },
  });
  return {
    ...c,
    variants: c.variants.map((v) => (v.role === 'canary' ? { ...v, version } : v)),
    traffic: {
      ...c.traffic,
      canary: {
        ...c.traffic.canary!,
        state: {
          prometheus: {
            url: prometheus.url,
            selector: { job: JOB },
            intervalSeconds: 1,
            lookbackSeconds: 3600,
            timeoutMs: 1000,
          },
        },
      },
    },
  };
}

async function replica(port: number): Promise<Replica> {
  const r = await startReplica(fx.configPath, port);
  running.push(r);
  return r;
}

async function canaryState(r: Replica): Promise<{ drained: boolean; step: number | undefined }> {
  const m = await r.metrics();
  return {
    drained: sample(m, 'mlspec_canary_state', { state: 'drained' }) === 1,
    step: sample(m, 'mlspec_canary_step', { variant: 'canary' }),
  };
}

async function variantsServed(r: Replica, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${r.url}/v2/models/churn/infer`, { method: 'POST', body: JSON.stringify(record) });
    out.push(`${res.headers.get('x-mlspec-variant')}:${res.status}`);
  }
  return out;
}

describe('canary state shared through Prometheus', () => {
  it('a drain on thin traffic at one replica reaches the other within a window, and survives a restart', async () => {
    const config = rollout('2-drain', failingModel(), 600);
    fx.publish(config);
    const a = await replica(ports[0]!);
    const b = await replica(ports[1]!);
    // Thin live traffic, to replica a only: about 3 canary requests per 4 s window, fewer than
    // the 6 a verdict needs, so only the evidence accumulated since the step began decides.
    let aDrainedAt = 0;
    await until(
      async () => {
        await fetch(`${a.url}/v2/models/churn/infer`, { method: 'POST', body: JSON.stringify(record) });
        if ((await canaryState(a)).drained) aDrainedAt = performance.now();
        else await new Promise((r) => setTimeout(r, 700));
        return aDrainedAt > 0;
      },
      'replica a to drain the canary',
      90_000,
    );
    expect(a.logs.find((l) => l.msg === 'canary drained: gate breached, traffic returned to stable')).toMatchObject({
      reason: expect.stringMatching(/server error rate 1\.0000 above 0\.2/),
    });
    // No single window ever held the 6 canary requests a verdict needs.
    const busiestWindow = await prometheus.query(
      'max_over_time(sum(increase(mlspec_gate_requests_total' +
        `{job="${JOB}",variant="canary",version="2-drain"}[4s]))[5m:1s])`,
    );
    expect(busiestWindow).toBeLessThan(6);
    await until(async () => (await canaryState(b)).drained, 'replica b to adopt the drain', 15_000);
    expect(performance.now() - aDrainedAt).toBeLessThan(4000 + 2000); // one gate window, plus polling
    expect(new Set(await variantsServed(b, 20))).toEqual(new Set(['stable:200']));
    // A restarted replica reads the drain before it serves: not one request reaches the canary.
    await b.kill();
    running.splice(running.indexOf(b), 1);
    const b2 = await replica(ports[1]!);
    expect((await canaryState(b2)).drained).toBe(true);
    expect(new Set(await variantsServed(b2, 20))).toEqual(new Set(['stable:200']));
  });

  it('the replicas walk the steps together, and a restarted replica resumes at the tier’s step', async () => {
    const config = rollout('2-steps', logisticRegression(), 3);
    fx.publish(config);
    const a = await replica(ports[0]!);
    const b = await replica(ports[1]!);
    let sending = true;
    const traffic = (async () => {
      for (let i = 0; sending; i++) {
        const target = i % 2 === 0 ? a : b;
        await fetch(`${target.url}/v2/models/churn/infer`, { method: 'POST', body: JSON.stringify(record) }).catch(
          () => undefined,
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      await until(
        async () => (await canaryState(a)).step === 1 || (await canaryState(b)).step === 1,
        'a replica to reach step 1',
        60_000,
      );
      await until(
        async () => (await canaryState(a)).step === 1 && (await canaryState(b)).step === 1,
        'both replicas at step 1',
        6000,
      );
      await a.kill();
      running.splice(running.indexOf(a), 1);
      const a2 = await replica(ports[0]!);
      const resumed = await a2.metrics();
      expect(sample(resumed, 'mlspec_canary_step', { variant: 'canary' })).toBe(1);
      expect(sample(resumed, 'mlspec_canary_state', { state: 'holding' })).toBe(1);
      expect(sample(resumed, 'mlspec_traffic_weight_ratio', { variant: 'canary' })).toBe(1);
    } finally {
      sending = false;
      await traffic;
    }
  });
});
