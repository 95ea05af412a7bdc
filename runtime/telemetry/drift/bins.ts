// Where a live value falls among a feature's baseline bins.
// Numeric: k inner edges make k + 1 bins; value v goes to bin i = (number of edges ≤ v), i.e.
// intervals closed on the left: (-∞, e₀), [e₀, e₁), ..., [e_{k-1}, ∞) — numpy.digitize(v, edges).
// NaN is not counted. Categorical: one bin per baseline category (in sorted order), then one
// "other" bin for every value the baseline did not list.
import type { DriftFeature } from '../../contract/config.js';

export interface Bins {
  readonly size: number;
  readonly baseline: Float64Array;
  /** Bin index, or -1 for a value that is not counted. */
  binOf(value: unknown): number;
}

export function binsOf(feature: DriftFeature): Bins {
  return feature.kind === 'numeric'
    ? numericBins(feature.edges, feature.counts)
    : categoricalBins(feature.categories, feature.other);
}

function numericBins(edgeList: readonly number[], counts: readonly number[]): Bins {
  const edges = Float64Array.from(edgeList);
  const k = edges.length;
  return {
    size: k + 1,
    baseline: Float64Array.from(counts),
    binOf(value) {
      const v =
        typeof value === 'number'
          ? value
          : typeof value === 'bigint' || typeof value === 'boolean'
            ? Number(value)
            : NaN;
      if (v !== v) return -1;
      let lo = 0;
      let hi = k;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (edges[mid]! <= v) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}

function categoricalBins(categories: Readonly<Record<string, number>>, other: number): Bins {
  const names = Object.keys(categories).sort();
  const index = new Map(names.map((c, i) => [c, i]));
  const otherBin = names.length;
  return {
    size: names.length + 1,
    baseline: Float64Array.from([...names.map((c) => categories[c]!), other]),
    binOf(value) {
      return index.get(typeof value === 'string' ? value : String(value)) ?? otherBin;
    },
  };
}
