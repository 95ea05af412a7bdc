// Split strategies share one contract (convergence to the weights); the sticky one also keeps
// keys in place and moves the minimum when weights change.
import { describe, expect, it } from 'vitest';
import { murmur3 } from '../../../runtime/router/hash.js';
import {
  rendezvous,
  weightedRandom,
  type StrategyFactory,
  type WeightedVariant,
} from '../../../runtime/router/strategy.js';
import { seeded } from '../helpers/random.js';

describe('murmur3 (x86, 32-bit) test vectors', () => {
  // Published MurmurHash3_x86_32 vectors (as used by the reference SMHasher implementation's ports).
  it.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['test', 0x9747b28c, 0x704b81dc],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ])('murmur3(%j, %i)', (key, seed, want) => {
    expect(murmur3(key, seed)).toBe(want);
  });
});

const N = 100_000;
const keys = Array.from({ length: N }, (_, i) => `user-${i}`);

function shares(pick: (key: string) => string, names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (const k of keys) counts[pick(k)]!++;
  return Object.fromEntries(names.map((n) => [n, counts[n]! / N]));
}

const strategies: [string, StrategyFactory][] = [
  ['weighted-random', weightedRandom(seeded(11))],
  ['rendezvous', rendezvous],
];

describe.each(strategies)('split contract: %s', (_, factory) => {
  it.each([
    [
      [
        { name: 'stable', weight: 90 },
        { name: 'canary', weight: 10 },
      ],
    ],
    [
      [
        { name: 'a', weight: 50 },
        { name: 'b', weight: 30 },
        { name: 'c', weight: 20 },
      ],
    ],
    [
      [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 99 },
      ],
    ],
  ] as WeightedVariant[][][])('converges to the weights %j within 4.5 standard deviations', (variants) => {
    const s = factory(variants);
    const got = shares(
      (k) => s.pick(k),
      variants.map((v) => v.name),
    );
    for (const v of variants) {
      const p = v.weight / 100;
      // Binomial(N, p): a deviation beyond 4.5 sd has probability below 1e-5.
      expect(Math.abs(got[v.name]! - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / N));
    }
  });

  it('never picks a variant with weight 0', () => {
    const s = factory([
      { name: 'a', weight: 100 },
      { name: 'b', weight: 0 },
    ]);
    expect(new Set(keys.slice(0, 5000).map((k) => s.pick(k)))).toEqual(new Set(['a']));
  });

  it('refuses a split where no variant has weight', () => {
    expect(() => factory([{ name: 'a', weight: 0 }])).toThrow(/positive weight/);
  });
});

describe('rendezvous: stickiness and minimal movement', () => {
  const assign = (variants: WeightedVariant[]) => {
    const s = rendezvous(variants);
    return keys.map((k) => s.pick(k));
  };

  it('a key keeps its variant while weights are constant (also across new strategy objects)', () => {
    const w = [
      { name: 'a', weight: 50 },
      { name: 'b', weight: 30 },
      { name: 'c', weight: 20 },
    ];
    const first = assign(w);
    expect(assign(w)).toEqual(first);
    // Variant order does not matter either: the score depends on names, not positions.
    expect(assign([...w].reverse())).toEqual(first);
  });

  it('moving the canary from 10 % to 20 % moves about 10 % of keys, all from stable to canary', () => {
    const before = assign([
      { name: 'stable', weight: 90 },
      { name: 'canary', weight: 10 },
    ]);
    const after = assign([
      { name: 'stable', weight: 80 },
      { name: 'canary', weight: 20 },
    ]);
    let moved = 0;
    for (let i = 0; i < N; i++) {
      if (before[i] === after[i]) continue;
      moved++;
      expect([before[i], after[i]]).toEqual(['stable', 'canary']);
    }
    // Expected 10 % of keys; sd of the count is sqrt(N·0.1·0.9) ≈ 95.
    expect(Math.abs(moved / N - 0.1)).toBeLessThan(0.005);
  });

  it('with three arms, raising one arm (others in proportion) moves keys only to it, the minimum', () => {
    const before = assign([
      { name: 'a', weight: 20 },
      { name: 'b', weight: 30 },
      { name: 'c', weight: 50 },
    ]);
    const after = assign([
      { name: 'a', weight: 40 },
      { name: 'b', weight: 22.5 },
      { name: 'c', weight: 37.5 },
    ]);
    let moved = 0;
    for (let i = 0; i < N; i++) {
      if (before[i] === after[i]) continue;
      moved++;
      expect(after[i]).toBe('a');
    }
    expect(Math.abs(moved / N - 0.2)).toBeLessThan(0.006);
  });

  it('with three arms, an arbitrary change moves fewer keys than cumulative ranges would', () => {
    const before = assign([
      { name: 'a', weight: 30 },
      { name: 'b', weight: 30 },
      { name: 'c', weight: 40 },
    ]);
    const after = assign([
      { name: 'a', weight: 40 },
      { name: 'b', weight: 30 },
      { name: 'c', weight: 30 },
    ]);
    const moved = before.filter((v, i) => v !== after[i]).length / N;
    // At least 10 % must move (c gives 10 points to a); ranges a|b|c would move 20 %.
    expect(moved).toBeGreaterThan(0.1);
    expect(moved).toBeLessThan(0.15);
  });
});
