// What the canary gate counts: only live (split and sticky) traffic, so overrides and version
// paths, which are test traffic, cannot promote or drain a canary; only server errors, so a
// client sending bad tensors neither fails a canary nor pages on-call. Overrides are off unless
// configured, and then restricted to a shared secret and/or client addresses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../runtime/config/validate.js';
import type { RuntimeConfig } from '../../runtime/contract/config.js';
import { OverrideGuard } from '../../runtime/router/override-access.js';
import { canaryConfig, lrConfig } from './helpers/config.js';
import { fixture, type Fixture } from './helpers/fixture.js';
import { json, sample, startHarness, type Harness } from './helpers/harness.js';
import { failingModel, logisticRegression } from './helpers/models.js';
import { seeded } from './helpers/random.js';

let fx: Fixture;
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  fx?.cleanup();
});

const record = { age: 1, tenure: 2, spend: 3, visits: 4 };
const LOOPBACK = { allowSources: ['127.0.0.0/8', '::1/128'] };

/** `override` null: overrides left off. */
function canary(model: Uint8Array, override: RuntimeConfig['traffic']['override'] | null = LOOPBACK): RuntimeConfig {
  fx = fixture();
  const c = canaryConfig(fx.model('stable', logisticRegression()), fx.model('canary', model), 10, {
    steps: [
      { weight: 10, pauseSeconds: 0 },
      { weight: 100, pauseSeconds: 0 },
    ],
    gate: { windowSeconds: 600, minRequests: 20, maxErrorRate: 0.1 },
  });
  return { ...c, traffic: { ...c.traffic, ...(override ? { override } : {}) } };
}

describe('the gate counts live traffic only', () => {
  it('120 healthy override requests do not promote a canary that live traffic has not judged', async () => {
    const config = canary(logisticRegression());
    h = await startHarness(fx, config);
    for (let i = 0; i < 120; i++)
      expect((await h.post('/v2/models/churn/infer', record, { 'x-mlspec-variant': 'canary' })).status).toBe(200);
    h.runtime.tick();
    expect(h.runtime.current.canary!.state).toMatchObject({ phase: 'progressing', step: 0, weight: 10 });
    expect(sample(await h.metrics(), 'mlspec_gate_requests_total', { variant: 'canary', outcome: 'ok' })).toBe(0);
  });

  it('failing override and version-path requests do not drain it; failing live requests do', async () => {
    const config = canary(failingModel());
    h = await startHarness(fx, config, { random: seeded(7) });
    for (let i = 0; i < 30; i++) {
      expect((await h.post('/v2/models/churn/infer', record, { 'x-mlspec-variant': 'canary' })).status).toBe(500);
      expect((await h.post('/v2/models/churn/versions/2/infer', record)).status).toBe(500);
    }
    expect(h.runtime.current.canary!.state.phase).toBe('progressing');
    for (let i = 0; i < 600 && h.runtime.current.canary!.state.phase !== 'drained'; i++)
      await h.post('/v2/models/churn/infer', record);
    expect(h.runtime.current.canary!.state.phase).toBe('drained');
    expect(
      sample(await h.metrics(), 'mlspec_gate_requests_total', { variant: 'canary', outcome: 'server_error' }),
    ).toBe(20);
  });

  it('client errors are counted apart: not in mlspec_request_errors_total, which alerts read', async () => {
    fx = fixture();
    h = await startHarness(fx, lrConfig(fx.model('lr', logisticRegression())));
    for (let i = 0; i < 10; i++)
      expect(
        (
          await h.post('/v2/models/churn/infer', {
            inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }],
          })
        ).status,
      ).toBe(400);
    const m = await h.metrics();
    expect(sample(m, 'mlspec_request_client_errors_total', { code: '400' })).toBe(10);
    expect(m).not.toMatch(/^mlspec_request_errors_total\{[^}]*code="4\d\d"/m);
  });
});

describe('who may override the split', () => {
  it('refuses the override header unless the config enables it', async () => {
    const config = canary(logisticRegression(), null);
    h = await startHarness(fx, config);
    const res = await h.post('/v2/models/churn/infer', record, { 'x-mlspec-variant': 'canary' });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({
      code: 'override_forbidden',
      error: expect.stringMatching(/not enabled .*traffic\.override/),
    });
  });

  it('with a secret file, requires the secret in its header', async () => {
    const config = canary(logisticRegression(), { secretFile: 'override-secret' });
    writeFileSync(join(fx.dir, 'config', 'override-secret'), 's3cr3t-0123456789abcdef\n');
    h = await startHarness(fx, config);
    const send = (secret?: string) =>
      h!.post('/v2/models/churn/infer', record, {
        'x-mlspec-variant': 'canary',
        ...(secret !== undefined ? { 'x-mlspec-override-secret': secret } : {}),
      });
    expect((await send()).status).toBe(403);
    expect((await send('wrong')).status).toBe(403);
    const ok = await send('s3cr3t-0123456789abcdef');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-mlspec-variant')).toBe('canary');
  });

  it('a version path reaches a preview variant only with override access', async () => {
    fx = fixture();
    const c = lrConfig(fx.model('a', logisticRegression()), {
      variants: [
        { name: 'blue', version: '1', role: 'stable', ...fx.model('b', logisticRegression()) },
        { name: 'green', version: '2', role: 'preview', ...fx.model('g', logisticRegression()) },
      ],
      traffic: { strategy: 'blueGreen', weights: { blue: 100, green: 0 }, overrideHeader: 'x-mlspec-variant' },
    });
    h = await startHarness(fx, c);
    expect((await h.post('/v2/models/churn/versions/2/infer', record)).status).toBe(403);
    expect((await h.post('/v2/models/churn/versions/1/infer', record)).status).toBe(200);
  });

  it('checks the client address against allowSources, IPv4-mapped addresses included', () => {
    const guard = new OverrideGuard({ allowSources: ['10.0.0.0/8', 'fd00::/8'] }, undefined);
    const caller = (address: string) => ({ header: () => undefined, address });
    expect(() => guard.check(caller('10.1.2.3'), 'x')).not.toThrow();
    expect(() => guard.check(caller('::ffff:10.1.2.3'), 'x')).not.toThrow();
    expect(() => guard.check(caller('fd00::1'), 'x')).not.toThrow();
    expect(() => guard.check(caller('192.168.0.1'), 'x')).toThrow(/not allowed from 192\.168\.0\.1/);
  });

  it('refuses a config that enables overrides for anyone, and a secret too short to be one', async () => {
    fx = fixture();
    const c = canary(logisticRegression(), {});
    const out = validateConfig(JSON.stringify(c), '/etc/mlspec/runtime.json');
    expect(out.ok).toBe(false);
    if (!out.ok)
      expect(out.diagnostics[0]).toMatchObject({ code: 'override_unrestricted', pointer: '/traffic/override' });
    const weak = canary(logisticRegression(), { secretFile: 'short' });
    writeFileSync(join(fx.dir, 'config', 'short'), 'abc');
    await expect(startHarness(fx, weak)).rejects.toThrow(/override secret .* shorter than 16 characters/);
  });
});
