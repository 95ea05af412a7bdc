// Population Stability Index over matching bins:
//   PSI = Σ_i (l_i − b_i) · ln(l_i / b_i)
// with b_i, l_i the baseline and live proportions of bin i, natural log, and every proportion
// floored at PSI_EPSILON (not renormalised) so an empty bin adds a large but finite term instead
// of infinity. Usual reading: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 major shift.
export const PSI_EPSILON = 1e-4;

export function psi(baseline: ArrayLike<number>, live: ArrayLike<number>): number {
  const nb = total(baseline);
  const nl = total(live);
  if (nb === 0 || nl === 0) return 0;
  let sum = 0;
  for (let i = 0; i < baseline.length; i++) {
    const b = Math.max(baseline[i]! / nb, PSI_EPSILON);
    const l = Math.max(live[i]! / nl, PSI_EPSILON);
    sum += (l - b) * Math.log(l / b);
  }
  return sum;
}

export function total(counts: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i]!;
  return n;
}
