// Precedence of the routing rules, and the effective weights under a canary.
import { describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../../runtime/contract/config.js';
import { HttpError } from '../../../runtime/protocol/errors.js';
import { CanaryController } from '../../../runtime/router/canary.js';
import { Router } from '../../../runtime/router/router.js';
import { seeded } from '../helpers/random.js';

const v = (name: string, role: string, version = '1') => ({
  name,
  role,
  version,
  path: `${name}.onnx`,
  sha256: 'a'.repeat(64),
});

const config = (traffic: Partial<RuntimeConfig['traffic']>): RuntimeConfig =>
  ({
    variants: [
      v('stable', 'stable', '1'),
      v('canary', 'canary', '2'),
      v('preview', 'preview', '3'),
      v('shadow', 'shadow', '4'),
    ],
    traffic: {
      strategy: 'canary',
      weights: { stable: 80, canary: 20 },
      overrideHeader: 'x-mlspec-variant',
      ...traffic,
    },
  }) as unknown as RuntimeConfig;

describe('Router', () => {
  it('the override header wins, and reaches previews', () => {
    const r = new Router(config({}));
    expect(r.assign({ override: 'preview', key: 'u1', version: '1' })).toMatchObject({
      variant: { name: 'preview' },
      reason: 'override',
    });
  });

  it('an unknown override is a 400 listing the variants', () => {
    const r = new Router(config({}));
    const err = (() => {
      try {
        r.assign({ override: 'nope' });
      } catch (e) {
        return e as HttpError;
      }
    })();
    expect(err).toBeInstanceOf(HttpError);
    expect(err!.status).toBe(400);
    expect(err!.message).toMatch(/stable, canary, preview, shadow/);
  });

  it('a version in the path picks the variant serving it; an unknown one is a 404', () => {
    const r = new Router(config({}));
    expect(r.assign({ version: '2', key: 'u' })).toMatchObject({ variant: { name: 'canary' }, reason: 'version' });
    expect(() => r.assign({ version: '9' })).toThrow(/no variant serves version 9/);
  });

  it('sticky keys give the same variant every time; key-less requests split at random', () => {
    const r = new Router(config({}), undefined, { random: seeded(3) });
    const first = Array.from({ length: 200 }, (_, i) => r.assign({ key: `k${i}` }).variant.name);
    expect(Array.from({ length: 200 }, (_, i) => r.assign({ key: `k${i}` }).variant.name)).toEqual(first);
    expect(r.assign({}).reason).toBe('split');
    const names = new Set(Array.from({ length: 500 }, () => r.assign({}).variant.name));
    expect(names).toEqual(new Set(['stable', 'canary']));
  });

  it('sends about `percent` of requests to the shadow variant', () => {
    const r = new Router(config({ shadow: { variant: 'shadow', percent: 25 } }), undefined, { random: seeded(5) });
    let copies = 0;
    for (let i = 0; i < 20_000; i++) if (r.shadow()?.name === 'shadow') copies++;
    // Binomial(20000, 0.25): sd ≈ 61.
    expect(Math.abs(copies - 5000)).toBeLessThan(300);
    expect(new Router(config({})).shadow()).toBeUndefined();
  });

  it('follows the canary controller: its step weight, then 0 once drained', () => {
    const traffic = {
      strategy: 'canary' as const,
      weights: { stable: 80, canary: 20 },
      overrideHeader: 'x-mlspec-variant',
      canary: {
        stable: 'stable',
        canary: 'canary',
        steps: [{ weight: 5, pauseSeconds: 60 }],
        gate: { windowSeconds: 60, minRequests: 5, maxErrorRate: 0.1 },
      },
    };
    const canary = new CanaryController(traffic, 0);
    const r = new Router(config(traffic), canary, { random: seeded(9) });
    expect(r.weights()).toEqual({ stable: 95, canary: 5 });
    for (let i = 0; i < 5; i++) canary.record('canary', i, 0.01, true);
    expect(r.weights()).toEqual({ stable: 100, canary: 0 });
    const served = new Set(Array.from({ length: 2000 }, (_, i) => r.assign({ key: `u${i}` }).variant.name));
    expect(served).toEqual(new Set(['stable']));
  });
});
