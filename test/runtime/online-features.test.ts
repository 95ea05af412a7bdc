// Online retrieval: a record carries the entity key, the runtime fetches the model's stored
// features from a Feast feature server (here an HTTP peer speaking Feast's documented shapes,
// helpers/feast-server.ts), with a time limit, defaults or a clear error for missing values,
// freshness metrics, drift on the fetched values, and request values replacing fetched ones
// only where the config allows it.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OnlineFeatures, RuntimeConfig } from '../../runtime/contract/config.js';
import { lrConfig } from './helpers/config.js';
import { entityKey, type FeastServer, startFeastServer } from './helpers/feast-server.js';
import { fixture, type Fixture } from './helpers/fixture.js';
import { json, sample, startHarness, type Harness } from './helpers/harness.js';
import { logisticReference, logisticRegression } from './helpers/models.js';

let feast: FeastServer;
let fx: Fixture;
let h: Harness | undefined;
beforeAll(async () => {
  feast = await startFeastServer();
});
afterAll(() => feast.close());
afterEach(async () => {
  await h?.stop();
  h = undefined;
  fx?.cleanup();
  feast.table.views.clear();
  feast.table.ttlSeconds.clear();
  feast.requests.length = 0;
  feast.delayMs = 0;
  feast.failWith = undefined;
  feast.now = () => Date.now();
});

const fixtureFile = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/feast/${name}`, import.meta.url), 'utf8')) as unknown;

const NOW = Date.parse('2024-06-01T12:00:00Z');

/** tenure and spend live in the store (view user_stats, keyed by user_id); age and visits come with the request. */
function onlineConfig(online: Partial<OnlineFeatures> = {}): RuntimeConfig {
  fx = fixture();
  return {
    ...lrConfig(fx.model('lr', logisticRegression())),
    onlineFeatures: {
      url: feast.url,
      timeoutMs: 200,
      entities: [{ joinKey: 'user_id', dtype: 'INT64' }],
      features: [
        { name: 'tenure', ref: 'user_stats:tenure' },
        { name: 'spend', ref: 'user_stats:spend' },
      ],
      ...online,
    },
  };
}

function store(userId: number, values: Record<string, unknown>, ageSeconds = 60): void {
  const view = feast.table.views.get('user_stats') ?? new Map();
  view.set(entityKey(userId), { values, eventTime: NOW - ageSeconds * 1000 });
  feast.table.views.set('user_stats', view);
}

async function start(config: RuntimeConfig): Promise<Harness> {
  feast.now = () => NOW;
  h = await startHarness(fx, config, { now: () => NOW });
  return h;
}

const infer = (record: Record<string, unknown>) => h!.post('/v2/models/churn/infer', record);

describe('the Feast peer', () => {
  it('answers Feast’s documented example with the documented answer', async () => {
    const view = new Map([
      [
        entityKey(1001),
        { values: { conv_rate: 0.7037263512611389, acc_rate: 0.8724706768989563, avg_daily_trips: 308 } },
      ],
      [
        entityKey(1002),
        { values: { conv_rate: 0.038169607520103455, acc_rate: 0.48534533381462097, avg_daily_trips: 332 } },
      ],
      [
        entityKey(1003),
        { values: { conv_rate: 0.9665873050689697, acc_rate: 0.7793770432472229, avg_daily_trips: 779 } },
      ],
    ]);
    for (const row of view.values()) Object.assign(row, { eventTime: Date.parse('2021-12-31T23:00:00Z') });
    feast.table.views.set('driver_hourly_stats', view as never);
    const res = await fetch(`${feast.url}/get-online-features`, {
      method: 'POST',
      body: JSON.stringify(fixtureFile('get-online-features.request.json')),
    });
    expect(await res.json()).toEqual(fixtureFile('get-online-features.response.json'));
  });
});

describe('online feature retrieval', () => {
  it('fetches the stored features for the entity key and serves the full vector', async () => {
    store(42, { tenure: 7, spend: 1.5 });
    await start(onlineConfig());
    const out = await json(infer({ user_id: 42, age: 3, visits: 2 }));
    expect(out.outputs.probability).toBeCloseTo(logisticReference([3, 7, 1.5, 2]), 6);
    expect(feast.requests).toEqual([
      { features: ['user_stats:tenure', 'user_stats:spend'], entities: { user_id: [42] }, full_feature_names: true },
    ]);
  });

  it('exports the age of every fetched value (freshness) and counts values by status and source', async () => {
    store(42, { tenure: 7, spend: 1.5 }, 900); // written 15 minutes ago
    await start(onlineConfig());
    expect((await infer({ user_id: 42, age: 3, visits: 2 })).status).toBe(200);
    const m = await h!.metrics();
    expect(sample(m, 'mlspec_feature_age_seconds_sum', { feature: 'tenure' })).toBeCloseTo(900, 6);
    expect(sample(m, 'mlspec_feature_age_seconds_bucket', { feature: 'tenure', le: '900' })).toBe(1);
    expect(sample(m, 'mlspec_feature_age_seconds_bucket', { feature: 'tenure', le: '300' })).toBe(0);
    expect(sample(m, 'mlspec_feature_values_total', { feature: 'spend', status: 'present', source: 'store' })).toBe(1);
    expect(sample(m, 'mlspec_feature_fetch_duration_seconds_count')).toBe(1);
  });

  it('feeds fetched values to drift like request values', async () => {
    for (let u = 0; u < 100; u++) store(u, { tenure: 9.5, spend: u % 10 }); // tenure stuck in the top bin
    await start(onlineConfig());
    for (let u = 0; u < 100; u++)
      expect((await infer({ user_id: u, age: u % 10, visits: (u * 7) % 10 })).status).toBe(200);
    h!.runtime.current.drift.closeWindow(NOW);
    const m = await h!.metrics();
    expect(sample(m, 'mlspec_drift_feature_drifted', { feature: 'tenure' })).toBe(1);
    expect(sample(m, 'mlspec_drift_feature_drifted', { feature: 'spend' })).toBe(0);
  });

  it('a key the store does not know: 422 without a default, the default with one (counted)', async () => {
    await start(onlineConfig());
    const res = await infer({ user_id: 404, age: 3, visits: 2 });
    expect(res.status).toBe(422);
    expect(await json(res)).toMatchObject({
      code: 'feature_not_found',
      error: expect.stringMatching(/no `user_stats:tenure` for user_id=404/),
    });
    // A refused request is counted too: the value that refused it and the call.
    let m = await h!.metrics();
    expect(sample(m, 'mlspec_feature_values_total', { feature: 'tenure', status: 'not_found', source: 'store' })).toBe(
      1,
    );
    expect(sample(m, 'mlspec_feature_fetch_duration_seconds_count')).toBe(1);
    await h!.stop();
    const config = onlineConfig({
      features: [
        { name: 'tenure', ref: 'user_stats:tenure', default: 0 },
        { name: 'spend', ref: 'user_stats:spend', default: 1 },
      ],
    });
    await start(config);
    const out = await json(infer({ user_id: 404, age: 3, visits: 2 }));
    expect(out.outputs.probability).toBeCloseTo(logisticReference([3, 0, 1, 2]), 6);
    m = await h!.metrics();
    expect(
      sample(m, 'mlspec_feature_values_total', { feature: 'tenure', status: 'not_found', source: 'default' }),
    ).toBe(1);
  });

  it('a value older than the view’s TTL is 503 feature_unavailable without a default', async () => {
    feast.table.ttlSeconds.set('user_stats', 3600);
    store(42, { tenure: 7, spend: 1.5 }, 7200);
    await start(onlineConfig());
    const res = await infer({ user_id: 42, age: 3, visits: 2 });
    expect(res.status).toBe(503);
    expect(await json(res)).toMatchObject({
      code: 'feature_unavailable',
      error: expect.stringMatching(/outside max age/),
    });
  });

  it('refuses a request value for a stored feature unless the config lets it override', async () => {
    store(42, { tenure: 7, spend: 1.5 });
    await start(onlineConfig());
    const res = await infer({ user_id: 42, age: 3, visits: 2, tenure: 1 });
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe('feature_not_overridable');
    await h!.stop();
    await start(
      onlineConfig({
        features: [
          { name: 'tenure', ref: 'user_stats:tenure', overridable: true },
          { name: 'spend', ref: 'user_stats:spend' },
        ],
      }),
    );
    feast.requests.length = 0;
    const out = await json(infer({ user_id: 42, age: 3, visits: 2, tenure: 1 }));
    expect(out.outputs.probability).toBeCloseTo(logisticReference([3, 1, 1.5, 2]), 6);
    expect(feast.requests).toEqual([
      { features: ['user_stats:spend'], entities: { user_id: [42] }, full_feature_names: true },
    ]);
    const m = await h!.metrics();
    expect(sample(m, 'mlspec_feature_values_total', { feature: 'tenure', status: 'present', source: 'request' })).toBe(
      1,
    );
    expect(sample(m, 'mlspec_feature_values_total', { feature: 'spend', status: 'present', source: 'store' })).toBe(1);
  });

  it('a slow, failing or absent feature server: 504, 502 and 503, each with its code', async () => {
    store(42, { tenure: 7, spend: 1.5 });
    await start(onlineConfig({ timeoutMs: 50 }));
    feast.delayMs = 300;
    let res = await infer({ user_id: 42, age: 3, visits: 2 });
    expect(res.status).toBe(504);
    expect((await json(res)).code).toBe('feature_store_timeout');
    feast.delayMs = 0;
    feast.failWith = 500;
    res = await infer({ user_id: 42, age: 3, visits: 2 });
    expect(res.status).toBe(502);
    expect(await json(res)).toMatchObject({
      code: 'feature_store_error',
      error: expect.stringMatching(/answered 500/),
    });
    feast.failWith = 200; // a 200 whose body is not a get-online-features answer
    res = await infer({ user_id: 42, age: 3, visits: 2 });
    expect(res.status).toBe(502);
    expect(await json(res)).toMatchObject({
      code: 'feature_store_error',
      error: expect.stringMatching(/answer is not usable: .*metadata\.feature_names/),
    });
    const m = await h!.metrics();
    expect(sample(m, 'mlspec_feature_fetch_failures_total', { reason: 'timeout' })).toBe(1);
    expect(sample(m, 'mlspec_feature_fetch_failures_total', { reason: 'error_status' })).toBe(1);
    expect(sample(m, 'mlspec_feature_fetch_failures_total', { reason: 'bad_answer' })).toBe(1);
    // Answers that came are timed, usable or not; the timed-out call is not.
    expect(sample(m, 'mlspec_feature_fetch_duration_seconds_count')).toBe(2);
    await h!.stop();
    const config = onlineConfig({ url: 'http://127.0.0.1:9' }); // nothing listens on the discard port
    await start(config);
    res = await infer({ user_id: 42, age: 3, visits: 2 });
    expect(res.status).toBe(503);
    expect((await json(res)).code).toBe('feature_store_unavailable');
    expect(sample(await h!.metrics(), 'mlspec_feature_fetch_failures_total', { reason: 'unreachable' })).toBe(1);
  });

  it('needs the entity key, of its declared type', async () => {
    await start(onlineConfig());
    expect(await json(infer({ age: 3, visits: 2 }))).toMatchObject({ code: 'missing_entity_key' });
    expect(await json(infer({ user_id: 'u-1', age: 3, visits: 2 }))).toMatchObject({ code: 'bad_entity_key' });
    expect(feast.requests).toEqual([]);
  });
});
