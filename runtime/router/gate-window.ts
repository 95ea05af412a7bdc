// Request outcomes of one variant over a sliding window, in bounded memory: the window is cut
// into SLICES slices, each holding a count, an error count and a latency histogram with
// log-spaced buckets. Memory does not grow with traffic; the window slides one slice at a time.
// p99 is read as the upper bound of the bucket that holds the 99th percentile, so it is never
// under-estimated and over-estimated by at most one bucket ratio (10 %): a gate errs on the
// side of draining.
const SLICES = 20;
const BUCKET_RATIO = 1.1;
const FIRST_BOUND = 1e-4; // 0.1 ms
const BUCKETS = Math.ceil(Math.log(600 / FIRST_BOUND) / Math.log(BUCKET_RATIO)) + 1; // up to 10 minutes

export interface WindowSummary {
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number;
  /** Seconds; 0 without requests. */
  readonly p99: number;
}

export class GateWindow {
  readonly #sliceMs: number;
  readonly #counts = new Float64Array(SLICES);
  readonly #errors = new Float64Array(SLICES);
  readonly #latency = new Float64Array(SLICES * BUCKETS);
  #current = 0;
  #currentStart: number;

  constructor(windowSeconds: number, now: number) {
    this.#sliceMs = (windowSeconds * 1000) / SLICES;
    this.#currentStart = now;
  }

  record(now: number, latencySeconds: number, error: boolean): void {
    this.#advance(now);
    const s = this.#current;
    this.#counts[s]!++;
    if (error) this.#errors[s]!++;
    this.#latency[s * BUCKETS + bucketOf(latencySeconds)]!++;
  }

  summary(now: number): WindowSummary {
    this.#advance(now);
    let requests = 0;
    let errors = 0;
    for (let s = 0; s < SLICES; s++) {
      requests += this.#counts[s]!;
      errors += this.#errors[s]!;
    }
    return {
      requests,
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      p99: requests === 0 ? 0 : this.#quantile(0.99, requests),
    };
  }

  #quantile(q: number, total: number): number {
    const rank = Math.ceil(q * total);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      for (let s = 0; s < SLICES; s++) seen += this.#latency[s * BUCKETS + b]!;
      if (seen >= rank) return upperBound(b);
    }
    return upperBound(BUCKETS - 1);
  }

  /** Moves to the slice holding `now`, clearing the slices that fell out of the window. */
  #advance(now: number): void {
    const steps = Math.floor((now - this.#currentStart) / this.#sliceMs);
    if (steps <= 0) return;
    for (let i = 1; i <= Math.min(steps, SLICES); i++) {
      const s = (this.#current + i) % SLICES;
      this.#counts[s] = 0;
      this.#errors[s] = 0;
      this.#latency.fill(0, s * BUCKETS, (s + 1) * BUCKETS);
    }
    this.#current = (this.#current + steps) % SLICES;
    this.#currentStart += steps * this.#sliceMs;
  }
}

function bucketOf(seconds: number): number {
  if (!(seconds > FIRST_BOUND)) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log(seconds / FIRST_BOUND) / Math.log(BUCKET_RATIO)));
}

function upperBound(bucket: number): number {
  return FIRST_BOUND * BUCKET_RATIO ** bucket;
}
