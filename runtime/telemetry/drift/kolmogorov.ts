// The Kolmogorov distribution's survival function Q(λ) = P(K > λ), the limit law of
// √n·D for the Kolmogorov-Smirnov statistic (scipy.stats.kstwobign.sf).
//   λ ≥ 1.18: Q = 2 Σ_{j≥1} (-1)^{j-1} e^{-2 j² λ²}         (alternating, a few terms suffice)
//   λ < 1.18: Q = 1 - √(2π)/λ · Σ_{j≥1} e^{-(2j-1)² π² / (8 λ²)}   (Jacobi's form, fast for small λ)
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    const w = (Math.PI * Math.PI) / (8 * lambda * lambda);
    let sum = 0;
    for (let j = 1; j <= 20; j++) {
      const term = Math.exp(-(2 * j - 1) * (2 * j - 1) * w);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    sum += j % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
