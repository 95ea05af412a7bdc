// Split strategies: given the variants with a positive weight, pick one per request.
//
// - `weightedRandom` serves requests without a sticky key: one uniform draw, mapped onto
//   cumulative weight ranges in a fixed variant order.
// - `rendezvous` serves requests with a sticky key: weighted rendezvous (highest random weight)
//   hashing. Each variant i scores the key with u_i = murmur3(key, seed_i) in (0, 1) and the key
//   goes to the variant with the smallest -ln(u_i) / w_i. Those are independent exponential
//   draws with rates w_i, so variant i wins with probability w_i / Σw (the split converges to
//   the weights), and the same key always wins the same way (stickiness). When one variant's
//   weight rises and the others shrink in proportion (a canary step, a ramp), only that
//   variant's scores change, so keys move only *to* it: 10 % → 20 % moves exactly the keys
//   needed, about 10 %. Cumulative ranges over hashed points do as well for two variants, but
//   with three or more a change shifts every range after it and moves keys that had no reason
//   to move (30/30/40 → 40/30/30 moves 20 % with ranges, 12.6 % here, 10 % at best).
import { murmur3, murmur3Bytes, unitInterval, utf8 } from './hash.js';

export interface WeightedVariant {
  readonly name: string;
  /** Positive; relative (percent in practice). */
  readonly weight: number;
}

export interface SplitStrategy {
  readonly name: string;
  /** The variant for this request; `key` is ignored by strategies that are not sticky. */
  pick(key: string): string;
}

export type StrategyFactory = (variants: readonly WeightedVariant[]) => SplitStrategy;

function positive(variants: readonly WeightedVariant[]): WeightedVariant[] {
  const out = variants.filter((v) => v.weight > 0);
  if (out.length === 0) throw new Error('a split needs at least one variant with a positive weight');
  return out;
}

export function weightedRandom(random: () => number = Math.random): StrategyFactory {
  return (variants) => {
    const vs = positive(variants);
    const total = vs.reduce((s, v) => s + v.weight, 0);
    const bounds = Float64Array.from(vs.map((_, i) => vs.slice(0, i + 1).reduce((s, v) => s + v.weight, 0) / total));
    const last = vs.length - 1;
    return {
      name: 'weighted-random',
      pick() {
        const x = random();
        for (let i = 0; i < last; i++) if (x < bounds[i]!) return vs[i]!.name;
        return vs[last]!.name;
      },
    };
  };
}

export const rendezvous: StrategyFactory = (variants) => {
  const vs = positive(variants);
  const seeds = vs.map((v) => murmur3(v.name, 0));
  return {
    name: 'rendezvous',
    pick(key) {
      const bytes = utf8(key);
      let best = 0;
      let bestScore = Infinity;
      for (let i = 0; i < vs.length; i++) {
        const score = -Math.log(unitInterval(murmur3Bytes(bytes, seeds[i]!))) / vs[i]!.weight;
        if (score < bestScore) {
          bestScore = score;
          best = i;
        }
      }
      return vs[best]!.name;
    },
  };
};
