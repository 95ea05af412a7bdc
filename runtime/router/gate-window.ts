// Gate evidence kept by this process, in bounded memory. A GateWindow holds request outcomes of
// one variant over a sliding window, cut into SLICES slices, each a Tally: a count, a server
// error count and a latency histogram with log-spaced buckets. The window slides one slice at
// a time. p99 is read as the upper bound of the bucket that holds the 99th percentile, so it is
// never under-estimated and over-estimated by at most one bucket ratio (10 %): a gate errs on
// the side of draining. LocalEvidence adds, per variant, a Tally since the current step began,
// so that traffic too thin for one window still reaches a verdict over several.
import type { GateEvidence, VariantEvidence } from './gate.js';

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

/** Outcomes of requests: count, errors and latency histogram. */
export class Tally {
  requests = 0;
  errors = 0;
  readonly latency = new Float64Array(BUCKETS);

  record(latencySeconds: number, error: boolean): void {
    this.requests++;
    if (error) this.errors++;
    this.latency[bucketOf(latencySeconds)]!++;
  }

  clear(): void {
    this.requests = 0;
    this.errors = 0;
    this.latency.fill(0);
  }

  evidence(): VariantEvidence {
    return {
      requests: this.requests,
      serverErrors: this.errors,
      p99: this.requests === 0 ? undefined : quantile([this.latency], 0.99, this.requests),
    };
  }
}

export class GateWindow {
  readonly #sliceMs: number;
  readonly #slices = Array.from({ length: SLICES }, () => new Tally());
  #current = 0;
  #currentStart: number;

  constructor(windowSeconds: number, now: number) {
    this.#sliceMs = (windowSeconds * 1000) / SLICES;
    this.#currentStart = now;
  }

  record(now: number, latencySeconds: number, error: boolean): void {
    this.#advance(now);
    this.#slices[this.#current]!.record(latencySeconds, error);
  }

  summary(now: number): WindowSummary {
    const e = this.evidence(now);
    return {
      requests: e.requests,
      errors: e.serverErrors,
      errorRate: e.requests === 0 ? 0 : e.serverErrors / e.requests,
      p99: e.p99 ?? 0,
    };
  }

  evidence(now: number): VariantEvidence {
    this.#advance(now);
    let requests = 0;
    let errors = 0;
    for (const s of this.#slices) {
      requests += s.requests;
      errors += s.errors;
    }
    const p99 =
      requests === 0
        ? undefined
        : quantile(
            this.#slices.map((s) => s.latency),
            0.99,
            requests,
          );
    return { requests, serverErrors: errors, p99 };
  }

  /** Moves to the slice holding `now`, clearing the slices that fell out of the window. */
  #advance(now: number): void {
    const steps = Math.floor((now - this.#currentStart) / this.#sliceMs);
    if (steps <= 0) return;
    for (let i = 1; i <= Math.min(steps, SLICES); i++) this.#slices[(this.#current + i) % SLICES]!.clear();
    this.#current = (this.#current + steps) % SLICES;
    this.#currentStart += steps * this.#sliceMs;
  }
}

/** Stable's and the canary's outcomes in this process: over the window, and since the step began. */
export class LocalEvidence {
  readonly #window: { readonly canary: GateWindow; readonly stable: GateWindow };
  readonly #step = { canary: new Tally(), stable: new Tally() };

  constructor(windowSeconds: number, now: number) {
    this.#window = { canary: new GateWindow(windowSeconds, now), stable: new GateWindow(windowSeconds, now) };
  }

  record(variant: 'canary' | 'stable', now: number, latencySeconds: number, serverError: boolean): void {
    this.#window[variant].record(now, latencySeconds, serverError);
    this.#step[variant].record(latencySeconds, serverError);
  }

  window(now: number): GateEvidence {
    return { canary: this.#window.canary.evidence(now), stable: this.#window.stable.evidence(now) };
  }

  sinceStep(): GateEvidence {
    return { canary: this.#step.canary.evidence(), stable: this.#step.stable.evidence() };
  }

  stepChanged(): void {
    this.#step.canary.clear();
    this.#step.stable.clear();
  }
}

function quantile(histograms: readonly Float64Array[], q: number, total: number): number {
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let b = 0; b < BUCKETS; b++) {
    for (const h of histograms) seen += h[b]!;
    if (seen >= rank) return upperBound(b);
  }
  return upperBound(BUCKETS - 1);
}

function bucketOf(seconds: number): number {
  if (!(seconds > FIRST_BOUND)) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log(seconds / FIRST_BOUND) / Math.log(BUCKET_RATIO)));
}

function upperBound(bucket: number): number {
  return FIRST_BOUND * BUCKET_RATIO ** bucket;
}
