// Everything that belongs to one config: the validated config, its signature index, one
// session (and runner) per variant, the router, the canary controller, the drift monitor and
// the event writer. A hot reload builds a new generation beside the old one and swaps a single
// reference; requests hold the generation they started with, and the old one is disposed once
// its last request (and shadow copy) has finished.
//
// State that must survive an unrelated config change is carried over from the previous
// generation when the part of the config it depends on is unchanged: the canary's progression
// and gate window, the drift window's counts, the event file.
import { variantPath } from './config/load.js';
import type { Variant } from './contract/config.js';
import type { ValidConfig } from './config/validate.js';
import type { Logger } from './log.js';
import { MicroBatcher, directRunner, type Runner } from './model/batcher.js';
import type { SessionPool } from './model/pool.js';
import type { ModelSession, SessionSpec } from './model/session.js';
import { signatureOf, type Signature } from './protocol/signature.js';
import { CanaryController } from './router/canary.js';
import { Router } from './router/router.js';
import { DriftMonitor } from './telemetry/drift/monitor.js';
import { EventWriter } from './telemetry/events.js';
import type { RuntimeMetrics } from './telemetry/metrics.js';

export interface LoadedVariant {
  readonly variant: Variant;
  readonly spec: SessionSpec;
  readonly session: ModelSession;
  readonly runner: Runner;
}

export interface GenerationDeps {
  readonly pool: SessionPool;
  readonly metrics: RuntimeMetrics;
  readonly logger: Logger;
  /** Milliseconds; injectable so tests control canary pauses and drift windows. */
  readonly now: () => number;
  readonly random: () => number;
}

export class Generation {
  #inflight = 0;
  #retired = false;
  #onDrained: (() => void) | undefined;

  private constructor(
    readonly config: ValidConfig,
    readonly signature: Signature,
    readonly variants: ReadonlyMap<string, LoadedVariant>,
    readonly router: Router,
    readonly drift: DriftMonitor,
    readonly canary: CanaryController | undefined,
    readonly events: EventWriter | undefined,
    /** Header names, lower-cased as node:http presents them. */
    readonly overrideHeader: string,
    readonly stickyHeader: string | undefined,
    /** Record-form keys that are not features (the sticky field). */
    readonly recordExtraKeys: ReadonlySet<string>,
    private readonly deps: GenerationDeps,
  ) {}

  static async build(valid: ValidConfig, deps: GenerationDeps, previous?: Generation): Promise<Generation> {
    const c = valid.config;
    const specs = c.variants.map((v) => ({
      v,
      spec: { path: variantPath(valid, v), sha256: v.sha256, inputs: c.model.inputs, outputs: c.model.outputs },
    }));
    const loaded = await Promise.allSettled(specs.map(({ spec }) => deps.pool.acquire(spec)));
    const failed = loaded.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(
        loaded.map((r, i) => (r.status === 'fulfilled' ? deps.pool.release(specs[i]!.spec) : undefined)),
      );
      throw failed.reason;
    }
    const variants = new Map<string, LoadedVariant>();
    specs.forEach(({ v, spec }, i) => {
      const session = (loaded[i] as PromiseFulfilledResult<ModelSession>).value;
      const runner = c.batching
        ? new MicroBatcher(session, { ...c.batching, onBatch: (rows) => deps.metrics.batch(v.name, rows) })
        : directRunner(session);
      variants.set(v.name, { variant: v, spec, session, runner });
    });
    const now = deps.now();
    const signature = signatureOf(c);
    const prev = previous?.config.config;
    const canaryKey = (x: typeof c) =>
      JSON.stringify([
        x.traffic.canary,
        x.traffic.weights,
        x.variants.filter((v) => v.role === 'stable' || v.role === 'canary'),
      ]);
    const canary = !c.traffic.canary
      ? undefined
      : previous?.canary && prev && canaryKey(prev) === canaryKey(c)
        ? previous.canary
        : new CanaryController(c.traffic, now);
    const driftKey = (x: typeof c) => JSON.stringify([x.drift, x.model.inputs]);
    const drift =
      previous && prev && driftKey(prev) === driftKey(c) ? previous.drift : new DriftMonitor(c.drift, signature, now);
    const eventsKey = (x: typeof c) => JSON.stringify([x.events, x.traffic.stickyKey]);
    const events = !c.events
      ? undefined
      : previous?.events && prev && eventsKey(prev) === eventsKey(c)
        ? previous.events
        : new EventWriter(c.events, c.traffic.stickyKey, (o) => deps.metrics.events.inc({ outcome: o }), deps.random);
    const router = new Router(c, canary, { random: deps.random });
    const sticky = c.traffic.stickyKey;
    return new Generation(
      valid,
      signature,
      variants,
      router,
      drift,
      canary,
      events,
      c.traffic.overrideHeader.toLowerCase(),
      sticky?.header?.toLowerCase(),
      new Set(sticky?.field ? [sticky.field] : []),
      deps,
    );
  }

  /** A request (or shadow copy) starts using this generation. */
  acquire(): void {
    this.#inflight++;
  }

  release(): void {
    if (--this.#inflight === 0 && this.#retired) this.#onDrained?.();
  }

  get inflight(): number {
    return this.#inflight;
  }

  /** Replaced by `next`: release what `next` does not share once the last request is done. */
  retire(next: Generation | undefined): Promise<void> {
    this.#retired = true;
    return new Promise<void>((resolve) => {
      this.#onDrained = () => {
        this.#onDrained = undefined;
        void this.#dispose(next).then(resolve);
      };
      if (this.#inflight === 0) this.#onDrained();
    });
  }

  async #dispose(next: Generation | undefined): Promise<void> {
    const results = await Promise.allSettled([
      ...[...this.variants.values()].map((v) => this.deps.pool.release(v.spec)),
      this.events && this.events !== next?.events ? this.events.close() : undefined,
    ]);
    for (const r of results)
      if (r.status === 'rejected')
        this.deps.logger.warn('releasing an old generation failed', { error: String(r.reason) });
  }
}
