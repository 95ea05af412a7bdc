// How long a model call will take, from the calls already made, to decide where it runs: a
// call predicted short runs on the event loop (a hop to a worker and back costs more than a
// small tabular model's call), a longer one on a worker. The estimate is milliseconds per row
// times the rows: for a fast model whose per-row cost comes from single-row calls it
// overestimates large batches, which errs towards the worker. Per row it takes the
// third-highest of the last 32 calls: one or two calls slowed by a scheduler hiccup or a
// collection do not send the model to the workers, while a model that is slow for real is seen
// as slow within a few calls.
const RING = 32;
const RANK = 2; // 0-based: the third-highest

export class CallCost {
  readonly #perRow = new Float64Array(RING);
  #count = 0;
  #estimate = Number.POSITIVE_INFINITY;

  /** A call of `rows` rows took `ms` milliseconds. */
  observe(ms: number, rows: number): void {
    const slot = this.#count % RING;
    const evicted = this.#perRow[slot]!;
    const value = ms / Math.max(1, rows);
    this.#perRow[slot] = value;
    this.#count++;
    // The rank only moves when a value above it arrives or one at or above it leaves.
    if (this.#count <= RING || value > this.#estimate || evicted >= this.#estimate) this.#recompute();
  }

  /** Predicted milliseconds for `rows` rows; infinite before the first call is measured. */
  predict(rows: number): number {
    return this.#estimate * Math.max(1, rows);
  }

  #recompute(): void {
    const n = Math.min(this.#count, RING);
    const sorted = this.#perRow.slice(0, n).sort();
    this.#estimate = sorted[Math.max(0, n - 1 - RANK)]!;
  }
}
