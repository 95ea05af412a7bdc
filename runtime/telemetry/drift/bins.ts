// Where a live value falls among a feature's baseline bins.
// Numeric: k inner edges make k + 1 bins; value v goes to bin i = (number of edges ≤ v), i.e.
// intervals closed on the left: (-∞, e₀), [e₀, e₁), ..., [e_{k-1}, ∞) — numpy.digitize(v, edges).
// NaN is not counted. Categorical: one bin per baseline category (in sorted order), then one
// "other" bin for every value the baseline did not list. Categories of a numeric column are
// matched by value in the column's own precision: "0.1" of an FP32 column is the float32 nearest
// 0.1 (0.10000000149011612 once read back), not the text "0.1".
import type { DriftFeature } from '../../contract/config.js';
import type { TensorDtype } from '../../contract/tensor.js';

export interface Bins {
  readonly size: number;
  readonly baseline: Float64Array;
  /** Bin index, or -1 for a value that is not counted. */
  binOf(value: unknown): number;
}

export function binsOf(feature: DriftFeature, dtype: TensorDtype = 'BYTES'): Bins {
  if (feature.kind === 'numeric') return numericBins(feature.edges, feature.counts);
  const numeric = dtype === 'FP32' || dtype === 'FP64' || dtype === 'INT32' || dtype === 'INT64';
  return numeric
    ? numericCategories(feature.categories, feature.other, dtype === 'FP32' ? Math.fround : Number)
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

/** Categories of a numeric column, keyed by value (`precision` rounds a category as the column stores it). */
function numericCategories(
  categories: Readonly<Record<string, number>>,
  other: number,
  precision: (x: number) => number,
): Bins {
  const names = Object.keys(categories).sort();
  const index = new Map<number, number>();
  names.forEach((c, i) => {
    const v = precision(Number(c));
    if (!Number.isNaN(v) && !index.has(v)) index.set(v, i);
  });
  const otherBin = names.length;
  return {
    size: names.length + 1,
    baseline: Float64Array.from([...names.map((c) => categories[c]!), other]),
    binOf(value) {
      const v = typeof value === 'bigint' ? Number(value) : value;
      if (typeof v !== 'number') return otherBin;
      if (v !== v) return -1;
      return index.get(v) ?? otherBin;
    },
  };
}
