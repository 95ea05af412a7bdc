// Worker threads that run systems through render → policy → sink (compile --jobs). They start
// before the specs are analysed, so loading cdk8s overlaps reading the specs. Each worker takes
// every n-th system (a mix of examples) and hands its systems' files to the sink itself: only
// small results cross threads. This module loads no cdk8s into the main thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PolicySetSpec } from '../policy/stage.js';
import type { ResolvedSystem } from '../resolve/resolved.js';
import type { SystemJob, SystemResult } from './system.js';

/**
 * Young generation of a worker. Rendering allocates short-lived objects at a high rate; with
 * V8's default semi-spaces, scavenges took a fifth of the time, and 128 MB was the fastest size
 * measured (BENCHMARKS.md).
 */
const YOUNG_GENERATION_MB = 128;

export interface WorkerBatch {
  readonly systems: readonly ResolvedSystem[];
  readonly job: SystemJob;
  readonly policies?: PolicySetSpec;
}

export type WorkerReply =
  | { readonly ok: true; readonly results: SystemResult[] }
  | { readonly ok: false; readonly message: string };

const WORKER = new URL('./worker.js', import.meta.url);

/** False when running from TypeScript sources (tests): there is no worker script to start. */
export const workersAvailable = (): boolean => existsSync(fileURLToPath(WORKER));

export class RenderPool {
  private readonly failures: Promise<never>[];

  private constructor(private readonly workers: Worker[]) {
    // A worker that fails before it gets a batch (say, loading a module) fails that batch.
    this.failures = workers.map(
      (w) =>
        new Promise<never>((_, reject) => {
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`render worker exited with code ${code}`)));
        }),
    );
    for (const f of this.failures) f.catch(() => undefined);
  }

  static start(size: number): RenderPool {
    return new RenderPool(
      Array.from(
        { length: size },
        () => new Worker(WORKER, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }),
      ),
    );
  }

  get size(): number {
    return this.workers.length;
  }

  /** Worker j gets systems j, j + n, j + 2n, ...; each worker runs one batch, then ends. */
  async run(systems: readonly ResolvedSystem[], job: SystemJob, policies?: PolicySetSpec): Promise<SystemResult[]> {
    const n = this.workers.length;
    const replies = await Promise.all(
      this.workers.map((worker, j) => {
        const batch: WorkerBatch = { systems: systems.filter((_, i) => i % n === j), job, policies };
        const done = new Promise<WorkerReply>((resolve) => worker.once('message', resolve));
        worker.postMessage(batch);
        return Promise.race([done, this.failures[j]!]);
      }),
    );
    const failed = replies.find((r) => !r.ok);
    if (failed && !failed.ok) throw new Error(`a render worker failed: ${failed.message}`);
    const results: SystemResult[][] = replies.map((r) => (r.ok ? r.results : []));
    // Back in input order, so that everything after is the same as in one thread.
    return systems.map((_, i) => results[i % n]![Math.floor(i / n)]!);
  }

  /** Stop the workers (those that ran a batch have stopped already). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
