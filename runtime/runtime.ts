// The runtime: the generation being served, hot reload, and the timers that move the canary
// and close drift windows. A reload validates the new file, loads its models (reusing sessions
// whose file and digest did not change) and only then swaps the generation; any failure keeps
// the old one serving and is reported in the logs and in `mlspec_config_reloads_total` /
// `mlspec_config_last_reload_successful`.
import { sha256Hex } from '../core/hash.js';
import { performance } from 'node:perf_hooks';
import { renderText } from '../core/diagnostics/render.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import { loadConfigFile, readConfigText } from './config/load.js';
import { validateConfig, type ConfigOutcome, type ValidConfig } from './config/validate.js';
import { watchConfig, type ConfigWatcher, type WatchOptions } from './config/watch.js';
import { Generation } from './generation.js';
import type { Logger } from './log.js';
import { cpuLimit } from './model/cpu-limit.js';
import { LoadError } from './load-error.js';
import { SessionPool } from './model/pool.js';
import { loadModelSession } from './model/session.js';
import { WorkerPool } from './model/workers.js';
import { DeadlineQueue } from './deadline-queue.js';
import { timeoutError, type PipelineDeps } from './pipeline.js';
import { RuntimeMetrics } from './telemetry/metrics.js';

export interface RuntimeOptions {
  readonly configPath: string;
  readonly logger: Logger;
  readonly pool?: SessionPool;
  readonly now?: () => number;
  readonly clock?: () => number;
  readonly random?: () => number;
  /** Watch the config for changes (default on); options tune debounce and polling. */
  readonly watch?: false | WatchOptions;
  /** Process metrics (`process_*`, `nodejs_*`); off in tests that build many runtimes. */
  readonly processMetrics?: boolean;
  /** How often canary steps and drift windows are checked. */
  readonly tickMs?: number;
  /** Where events shipped to standard output go (default: process.stdout). */
  readonly stdout?: (line: string) => void;
}

/** The config or a model could not be used: what is wrong, where, and what to do. */
export class ConfigRejected extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(renderText(diagnostics, { color: false }).trimEnd());
  }
}

export type ReloadResult =
  | { readonly result: 'applied' | 'unchanged' }
  | { readonly result: 'rejected'; readonly error: ConfigRejected };

export class Runtime {
  readonly metrics: RuntimeMetrics;
  #pool: SessionPool | undefined;
  #workers: WorkerPool | undefined;
  readonly #options: RuntimeOptions;
  readonly #now: () => number;
  readonly #clock: () => number;
  readonly #random: () => number;
  #current: Generation | undefined;
  #watcher: ConfigWatcher | undefined;
  #ticker: NodeJS.Timeout | undefined;
  #reloading: Promise<ReloadResult> | undefined;
  #again = false;
  #closed = false;
  /** Digest of the last file rejected: the poll re-reading it does not count it again. */
  #rejected: string | undefined;
  readonly #listeners: ((r: ReloadResult) => void)[] = [];
  readonly #deps = new Map<number, PipelineDeps>();

  constructor(options: RuntimeOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#clock = options.clock ?? (() => performance.now());
    this.#random = options.random ?? Math.random;
    this.#pool = options.pool;
    this.metrics = new RuntimeMetrics('', options.processMetrics ?? true);
  }

  /** Sessions shared across reloads; their calls run on the inference workers (started with the first config). */
  get pool(): SessionPool {
    if (!this.#pool) throw new Error('runtime not started');
    return this.#pool;
  }

  /** False once an inference worker died: liveness fails and Kubernetes restarts the container. */
  get healthy(): boolean {
    return this.#workers?.healthy ?? true;
  }

  /**
   * Loads the config (or uses `initial`, already validated) and its models; throws
   * ConfigRejected when either is unusable.
   */
  async start(initial?: ValidConfig): Promise<void> {
    let valid = initial;
    if (!valid) {
      const loaded = await loadConfigFile(this.#options.configPath);
      if (!loaded.ok) throw new ConfigRejected(loaded.diagnostics);
      valid = loaded.value;
    }
    if (!this.#pool) {
      const size = valid.config.server.inference?.workers ?? cpuLimit();
      const workers = new WorkerPool(size, (e) =>
        this.#options.logger.error('an inference worker failed; liveness now fails so the container restarts', {
          error: e.message,
        }),
      );
      this.#workers = workers;
      this.#pool = new SessionPool((spec) => loadModelSession(spec, workers, (place) => this.metrics.modelCall(place)));
    }
    await this.#apply(valid);
    if (this.#options.watch !== false) {
      this.#watcher = watchConfig(this.#options.configPath, () => void this.reload(), {
        ...this.#options.watch,
        onError: (e) => this.#options.logger.warn('config watch failed; falling back to polling', { error: e.message }),
      });
    }
    this.#ticker = setInterval(() => this.tick(), this.#options.tickMs ?? 1000).unref();
  }

  get ready(): boolean {
    return this.#current !== undefined && !this.#closed;
  }

  /** The generation new requests use. */
  get current(): Generation {
    if (!this.#current) throw new Error('runtime not started');
    return this.#current;
  }

  /** Monotonic milliseconds. */
  clock(): number {
    return this.#clock();
  }

  pipelineDeps(timeoutMs: number): PipelineDeps {
    let deps = this.#deps.get(timeoutMs);
    if (!deps) {
      const deadlines = new DeadlineQueue(timeoutMs, () => timeoutError(timeoutMs));
      deps = { metrics: this.metrics, logger: this.#options.logger, deadlines, clock: this.#clock, now: this.#now };
      this.#deps.set(timeoutMs, deps);
    }
    return deps;
  }

  onReload(listener: (r: ReloadResult) => void): void {
    this.#listeners.push(listener);
  }

  /** Re-reads the config; concurrent calls coalesce into one more reload after the running one. */
  reload(): Promise<ReloadResult> {
    if (this.#reloading) {
      this.#again = true;
      return this.#reloading;
    }
    const run = async (): Promise<ReloadResult> => {
      let result: ReloadResult;
      try {
        do {
          this.#again = false;
          result = await this.#reloadOnce();
          for (const l of this.#listeners) l(result);
        } while (this.#again && !this.#closed);
      } finally {
        // Cleared in the same turn as the last check of #again: a reload asked for after it
        // starts a new run instead of joining one that is already over.
        this.#reloading = undefined;
      }
      return result;
    };
    this.#reloading = run();
    return this.#reloading;
  }

  async #reloadOnce(): Promise<ReloadResult> {
    if (this.#closed) return { result: 'unchanged' };
    const file = this.#options.configPath;
    const read = await readConfigText(file);
    // Directory events and the poll re-read often: compare bytes before parsing anything. The
    // file being the config already served (a bad change reverted) is a healthy state again; a
    // file already rejected is not counted (or logged) once more at every poll.
    const digest = 'text' in read ? sha256Hex(read.text) : undefined;
    if (digest !== undefined && digest === this.#current?.config.digest) {
      this.#rejected = undefined;
      this.metrics.configReloadOk.set(1);
      return { result: 'unchanged' };
    }
    if (digest !== undefined && digest === this.#rejected) return { result: 'unchanged' };
    const loaded: ConfigOutcome =
      'text' in read ? validateConfig(read.text, file) : { ok: false, diagnostics: read.diagnostics };
    try {
      if (!loaded.ok) throw new ConfigRejected(loaded.diagnostics);
      await this.#apply(loaded.value);
      this.#rejected = undefined;
      this.metrics.configReloads.inc({ result: 'applied' });
      this.metrics.configReloadOk.set(1);
      return { result: 'applied' };
    } catch (e) {
      const error =
        e instanceof ConfigRejected ? e : new ConfigRejected([modelDiagnostic(e, this.#options.configPath)]);
      this.#rejected = digest;
      this.metrics.configReloads.inc({ result: 'rejected' });
      this.metrics.configReloadOk.set(0);
      this.#options.logger.error('config change rejected; still serving the previous config', {
        file: this.#options.configPath,
        problems: error.diagnostics.map((d) => ({
          code: d.code,
          message: d.message,
          pointer: d.pointer,
          line: d.location?.line,
          hint: d.hint,
        })),
      });
      return { result: 'rejected', error };
    }
  }

  async #apply(valid: ValidConfig): Promise<void> {
    const previous = this.#current;
    let next: Generation;
    try {
      next = await Generation.build(
        valid,
        {
          pool: this.pool,
          metrics: this.metrics,
          logger: this.#options.logger,
          now: this.#now,
          clock: this.#clock,
          random: this.#random,
          stdout: this.#options.stdout ?? ((line) => process.stdout.write(line)),
        },
        previous,
      );
    } catch (e) {
      if (e instanceof LoadError) throw new ConfigRejected([modelDiagnostic(e, valid.file)]);
      throw e;
    }
    if (this.#closed) {
      await next.retire(undefined);
      return;
    }
    if (previous && previous.config.config.server.port !== valid.config.server.port) {
      this.#options.logger.warn('server.port changed; the port in use stays until a restart', {
        port: previous.config.config.server.port,
        configured: valid.config.server.port,
      });
    }
    this.#current = next; // the swap: one assignment, requests already running keep `previous`
    this.metrics.configApplied(valid.config, valid.digest, next.router.weights());
    if (next.drift !== previous?.drift) next.drift.onReport((r) => this.#driftReported(r));
    if (next.canary && next.canary !== previous?.canary) this.#watchCanary(next);
    if (next.canary) this.metrics.canary(next.canary.canary, next.canaryRevision, next.canary.state);
    this.#options.logger.info('config applied', {
      file: valid.file,
      digest: valid.digest,
      variants: valid.config.variants.map((v) => `${v.name}@${v.version}`),
      weights: next.router.weights(),
    });
    if (previous) void previous.retire(next);
  }

  #watchCanary(gen: Generation): void {
    const canary = gen.canary!;
    canary.onChange((state, before) => {
      if (this.#current?.canary !== canary) return;
      this.metrics.canary(canary.canary, this.#current.canaryRevision, state);
      this.metrics.weights(this.#current.config.config, this.#current.router.weights());
      if (state.phase === before.phase && state.step === before.step) return;
      if (state.phase === 'drained') {
        this.metrics.canaryDrains.inc({ model: gen.signature.modelName, variant: canary.canary });
        this.#options.logger.error('canary drained: gate breached, traffic returned to stable', {
          canary: canary.canary,
          stable: canary.stable,
          step: state.step,
          reason: state.reason,
        });
      } else if (before.phase === 'syncing') {
        this.#options.logger.info('canary state read from the tier', { canary: canary.canary, step: state.step });
      } else {
        this.#options.logger.info('canary advanced', {
          canary: canary.canary,
          from: before.step,
          to: state.step,
          weight: state.weight,
        });
      }
    });
  }

  #driftReported(r: import('./telemetry/drift/monitor.js').DriftReport): void {
    this.metrics.drift(r);
    if (r.features.length === 0) return;
    this.#options.logger.info('drift window evaluated', {
      samples: r.samples,
      datasetDrift: r.datasetDrift,
      drifted: r.features.filter((f) => f.drifted).map((f) => f.name),
    });
  }

  /** Advances canary steps and closes drift windows; the timer calls it every second. */
  tick(): void {
    const gen = this.#current;
    if (!gen) return;
    const now = this.#now();
    gen.canary?.tick(now);
    gen.drift.roll(now);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#watcher?.close();
    if (this.#ticker) clearInterval(this.#ticker);
    for (const d of this.#deps.values()) d.deadlines.close();
    await this.#reloading;
    const last = this.#current;
    this.#current = undefined;
    await last?.retire(undefined);
    await this.#workers?.close();
  }
}

function modelDiagnostic(e: unknown, file: string): Diagnostic {
  const hint = e instanceof LoadError ? e.hint : 'see the message; the previous config keeps serving';
  return {
    code: e instanceof LoadError ? e.code : 'model_load_failed',
    severity: 'error',
    message: (e as Error)?.message ?? String(e),
    hint,
    location: { file, line: 1, column: 1 },
  };
}
