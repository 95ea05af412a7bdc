// A seeded PRNG (mulberry32): statistical tests draw the same samples on every run.
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts of `n` draws over bins with the given probabilities. */
export function multinomial(random: () => number, n: number, probabilities: readonly number[]): number[] {
  const counts = probabilities.map(() => 0);
  for (let i = 0; i < n; i++) {
    let x = random();
    let k = 0;
    while (k < probabilities.length - 1 && x >= probabilities[k]!) x -= probabilities[k++]!;
    counts[k]!++;
  }
  return counts;
}
