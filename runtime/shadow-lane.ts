// Shadow copies, kept from costing live traffic: they run only on the inference workers, behind
// every live call waiting there (workers.ts), at most `maxConcurrent` at a time, with at most
// `maxQueued` waiting; a copy beyond that is dropped and counted, never queued without bound.
// A copy's answer is discarded, but judged: a failure, or an output holding NaN or infinity
// (which a live answer would refuse with a 500), counts as an error.
import type { Shadow } from './contract/config.js';
import { SHADOW_DEFAULTS } from './contract/constants.js';
import type { Feeds, ModelSession, Outputs } from './model/session.js';
import { ExpiredError } from './model/workers.js';
import { nonFiniteOutput } from './protocol/encode.js';
import type { ShadowOutcome } from './telemetry/metrics.js';

export interface ShadowCopy {
  readonly session: ModelSession;
  readonly feeds: Feeds;
  readonly rows: number;
  /** `performance.now()` after which the copy is not worth running. */
  readonly deadline: number;
}

export type ShadowReport = (outcome: ShadowOutcome, seconds?: number, error?: string) => void;

export class ShadowLane {
  readonly #maxQueued: number;
  readonly #maxConcurrent: number;
  readonly #queue: { copy: ShadowCopy; done: () => void }[] = [];
  #running = 0;

  constructor(
    config: Shadow,
    private readonly report: ShadowReport,
    private readonly clock: () => number,
  ) {
    this.#maxQueued = config.maxQueued ?? SHADOW_DEFAULTS.maxQueued;
    this.#maxConcurrent = config.maxConcurrent ?? SHADOW_DEFAULTS.maxConcurrent;
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Queues a copy, or drops it when the lane is full; `done` runs when the copy is finished or dropped. */
  offer(copy: ShadowCopy, done: () => void): void {
    if (this.#running < this.#maxConcurrent) return this.#run(copy, done);
    if (this.#queue.length >= this.#maxQueued) {
      this.report('dropped');
      return done();
    }
    this.#queue.push({ copy, done });
  }

  #run(copy: ShadowCopy, done: () => void): void {
    this.#running++;
    const start = this.clock();
    const seconds = () => (this.clock() - start) / 1000;
    copy.session
      .run(copy.feeds, { rows: copy.rows, lane: 'shadow', deadline: copy.deadline, inlineMaxMs: -1 })
      .then(
        (outputs: Outputs) => {
          const bad = nonFiniteOutput(outputs);
          if (bad) this.report('error', seconds(), bad);
          else this.report('ok', seconds());
        },
        (e: unknown) => {
          const expired = e instanceof ExpiredError;
          this.report(
            expired ? 'dropped' : 'error',
            expired ? undefined : seconds(),
            String((e as Error)?.message ?? e),
          );
        },
      )
      .finally(() => {
        this.#running--;
        done();
        const next = this.#queue.shift();
        if (next) this.#run(next.copy, next.done);
      });
  }
}
