// Time limits for model calls that all have the same length, kept in one FIFO queue watched by
// one timer. With a single length, deadlines expire in the order they were set, so only the
// oldest unsettled call needs a timer. A Node timer per request instead creates and destroys
// Node's timer list for that length (and toggles the loop's reference count) whenever requests
// come one at a time; in the sidecar under load that per-request timer cost several percent of
// throughput (BENCHMARKS.md).
// Times are real (performance.now): the limit is enforced by a real timer, whatever clock the
// runtime was given for measuring latencies.
import { performance } from 'node:perf_hooks';

interface Waiter {
  readonly at: number;
  settled: boolean;
  readonly reject: (e: Error) => void;
}

export class DeadlineQueue {
  readonly #waiters: Waiter[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly ms: number,
    /** The error a call that ran out of time is rejected with. */
    private readonly expired: () => Error,
  ) {}

  /** `work`'s result, or `expired()` once `ms` have passed without it settling. */
  within<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const w: Waiter = { at: performance.now() + this.ms, settled: false, reject };
      this.#dropSettled();
      this.#waiters.push(w);
      if (!this.#timer) this.#arm(this.ms);
      work.then(
        (v) => {
          w.settled = true;
          resolve(v);
        },
        (e) => {
          w.settled = true;
          reject(e);
        },
      );
    });
  }

  /** Entries kept: calls in flight, and settled ones queued behind an older call still running. */
  get size(): number {
    return this.#waiters.length - this.#head;
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Settled calls at the front are forgotten: the queue stays as long as the calls in flight. */
  #dropSettled(): void {
    const ws = this.#waiters;
    while (this.#head < ws.length && ws[this.#head]!.settled) this.#head++;
    if (this.#head === ws.length) {
      ws.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > ws.length) {
      ws.splice(0, this.#head);
      this.#head = 0;
    }
  }

  #arm(ms: number): void {
    // Unreferenced: a pending model call keeps the process alive by itself.
    this.#timer = setTimeout(this.#sweep, Math.max(1, Math.ceil(ms))).unref();
  }

  readonly #sweep = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    const ws = this.#waiters;
    for (; this.#head < ws.length; this.#head++) {
      const w = ws[this.#head]!;
      if (w.settled) continue;
      if (w.at > now) break;
      w.settled = true;
      w.reject(this.expired());
    }
    this.#dropSettled();
    if (this.#head < ws.length) this.#arm(ws[this.#head]!.at - now);
  };
}
