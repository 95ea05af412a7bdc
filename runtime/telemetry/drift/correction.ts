// Multiple-testing corrections: with 32 features tested at α = 0.01, about one in three clean
// windows would flag some feature by chance. Each correction turns raw p-values into adjusted
// ones that are compared with α directly.
export type Correction = (pValues: readonly number[]) => number[];

/** Bonferroni: p·m, capped at 1. Controls the family-wise error rate; conservative. */
export const bonferroni: Correction = (p) => p.map((x) => Math.min(1, x * p.length));

/**
 * Benjamini-Hochberg step-up: p_(i) · m / i, made monotone from the largest rank down, capped
 * at 1 (scipy.stats.false_discovery_control, method 'bh'). Controls the false discovery rate.
 */
export const benjaminiHochberg: Correction = (p) => {
  const m = p.length;
  const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
  const out = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1]!;
    running = Math.min(running, (p[i]! * m) / rank);
    out[i] = running;
  }
  return out;
};

export const CORRECTIONS: Readonly<Record<'bonferroni' | 'benjamini-hochberg', Correction>> = {
  bonferroni,
  'benjamini-hochberg': benjaminiHochberg,
};
