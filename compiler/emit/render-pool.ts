// Worker threads that render systems (compile --jobs). They start before the specs are
// analysed, so loading cdk8s overlaps reading the specs. Each worker takes every n-th system
// (a mix of examples) and writes its systems' files into the staged tree itself, or (--check)
// compares them with out/ itself: only summaries and paths cross threads. This module loads no
// cdk8s into the main thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { ResolvedSystem } from '../resolve/resolved.js';
import type { RenderOptions } from '../render/context.js';
import type { CheckedOutputs, WrittenOutputs } from './result.js';
import type { FileTarget } from './write.js';

/**
 * Young generation of a worker. Rendering allocates short-lived objects at a high rate, and
 * with V8's default (16 MB semi-spaces) scavenges took a fifth of the time; 128 MB rendered
 * the 600 benchmark systems about a quarter faster, larger sizes were slower again.
 */
const YOUNG_GENERATION_MB = 128;

/** What a worker does with each system's files: write them, or compare them with `out/`. */
export type RenderTask =
  | { readonly kind: 'write'; readonly target: FileTarget }
  | { readonly kind: 'check'; readonly outDir: string };

export interface RenderJob {
  readonly systems: readonly ResolvedSystem[];
  readonly options: RenderOptions;
  readonly task: RenderTask;
}

const WORKER = new URL('./render-worker.js', import.meta.url);

/** False when running from TypeScript sources (tests): there is no worker script to start. */
export const workersAvailable = (): boolean => existsSync(fileURLToPath(WORKER));

export class RenderPool {
  private readonly failures: Promise<never>[];

  private constructor(private readonly workers: Worker[]) {
    // A worker that fails before it gets a job (say, loading a module) fails that job.
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

  /** Render on the workers, each writing its systems' files. */
  async write(systems: readonly ResolvedSystem[], options: RenderOptions, target: FileTarget): Promise<WrittenOutputs> {
    const parts = await this.run<WrittenOutputs>(systems, options, { kind: 'write', target });
    return { written: parts.flatMap((p) => p.written), diagnostics: parts.flatMap((p) => p.diagnostics) };
  }

  /** Render on the workers, each comparing its systems' files with `outDir`. */
  async check(systems: readonly ResolvedSystem[], options: RenderOptions, outDir: string): Promise<CheckedOutputs> {
    const parts = await this.run<CheckedOutputs>(systems, options, { kind: 'check', outDir });
    return {
      checked: parts.flatMap((p) => p.checked),
      differing: parts.flatMap((p) => p.differing),
      missing: parts.flatMap((p) => p.missing),
      diagnostics: parts.flatMap((p) => p.diagnostics),
    };
  }

  /** Stop the workers (those that ran a job have stopped already). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** One job per worker: worker j gets systems j, j + n, j + 2n, ... Each worker runs one job. */
  private async run<T extends { diagnostics: Diagnostic[] }>(
    systems: readonly ResolvedSystem[],
    options: RenderOptions,
    task: RenderTask,
  ): Promise<T[]> {
    const n = this.workers.length;
    const jobs = this.workers.map((worker, j) => {
      const job: RenderJob = { systems: systems.filter((_, i) => i % n === j), options, task };
      const done = new Promise<T>((resolve) => worker.once('message', resolve));
      worker.postMessage(job);
      return Promise.race([done, this.failures[j]!]);
    });
    return Promise.all(jobs);
  }
}
