// Everything that belongs to one config: the validated config, its signature index, one
// session (and runner) per variant, the router and who may override it, the canary controller,
// the drift monitor, online feature retrieval, the shadow lane and the event writer. A hot
// reload builds a new generation beside the old one and swaps a single reference; requests hold
// the generation they started with, and the old one is disposed once its last request (and
// shadow copy) has finished.
//
// State that must survive an unrelated config change is carried over from the previous
// generation when the part of the config it depends on is unchanged: the canary's progression
// and gate evidence, the drift window's counts, the event writer.
import { readFile } from 'node:fs/promises';
import { sha256Hex } from '../core/hash.js';
import { configPath, variantPath } from './config/load.js';
import type { ValidConfig } from './config/validate.js';
import type { RuntimeConfig, Variant } from './contract/config.js';
import { INFERENCE_DEFAULTS, SERVER_DEFAULTS } from './contract/constants.js';
import { OnlineFeatureSource } from './features/online-features.js';
import type { Logger } from './log.js';
import { MicroBatcher, directRunner, type Runner } from './model/batcher.js';
import { LoadError } from './load-error.js';
import type { SessionPool } from './model/pool.js';
import type { ModelSession, SessionSpec } from './model/session.js';
import { signatureOf, type Signature } from './protocol/signature.js';
import { CanaryController } from './router/canary.js';
import { OverrideGuard } from './router/override-access.js';
import { PrometheusSync } from './router/prometheus-sync.js';
import { Router } from './router/router.js';
import { ShadowLane } from './shadow-lane.js';
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
  /** Monotonic milliseconds, for latencies. */
  readonly clock: () => number;
  readonly random: () => number;
  /** Where events shipped to standard output go. */
  readonly stdout: (line: string) => void;
}

/** Per-request limits of the config, read once. */
export interface Limits {
  readonly maxRows: number;
  readonly inlineMaxMs: number;
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
    readonly overrideGuard: OverrideGuard,
    readonly drift: DriftMonitor,
    readonly canary: CanaryController | undefined,
    /** Digest of the canary's config: the `revision` its replicas share state under. */
    readonly canaryRevision: string,
    readonly events: EventWriter | undefined,
    readonly online: OnlineFeatureSource | undefined,
    readonly shadow: ShadowLane | undefined,
    readonly limits: Limits,
    /** Header names, lower-cased as node:http presents them. */
    readonly overrideHeader: string,
    readonly stickyHeader: string | undefined,
    /** Record-form keys that are not features (the sticky field, entity join keys). */
    readonly recordExtraKeys: ReadonlySet<string>,
    private readonly deps: GenerationDeps,
  ) {}

  static async build(valid: ValidConfig, deps: GenerationDeps, previous?: Generation): Promise<Generation> {
    const c = valid.config;
    const variants = await loadVariants(valid, deps);
    const built = await (async () => {
      const overrideGuard = new OverrideGuard(c.traffic.override, await overrideSecret(valid));
      const now = deps.now();
      const signature = signatureOf(c);
      const prev = previous?.config.config;
      const same = (key: (x: RuntimeConfig) => unknown) => prev !== undefined && sameJson(key(prev), key(c));
      const revision = canaryRevision(c);
      const canary = !c.traffic.canary
        ? undefined
        : previous?.canary && same(canaryKey)
          ? previous.canary
          : await newCanary(c, revision, deps, now);
      const drift =
        previous && same((x) => [x.drift, x.model.inputs]) ? previous.drift : new DriftMonitor(c.drift, signature, now);
      const events = !c.events
        ? undefined
        : previous?.events && same((x) => [x.events, x.traffic.stickyKey, x.system, x.environment, x.tier])
          ? previous.events
          : new EventWriter({
              config: c.events,
              sticky: c.traffic.stickyKey,
              source: `/mlspec/${c.system}/${c.environment}/${c.tier}`,
              ...(c.events.path ? { path: configPath(valid, c.events.path) } : {}),
              stdout: deps.stdout,
              count: (sink, outcome) => deps.metrics.events.inc({ sink, outcome }),
              random: deps.random,
            });
      const online =
        c.onlineFeatures && new OnlineFeatureSource(c.onlineFeatures, deps.metrics.features, deps.clock, deps.now);
      const shadow =
        c.traffic.shadow && new ShadowLane(c.traffic.shadow, shadowReport(c.traffic.shadow.variant, deps), deps.clock);
      const router = new Router(c, canary, { random: deps.random });
      const sticky = c.traffic.stickyKey;
      const limits: Limits = {
        maxRows: c.server.maxRowsPerRequest ?? SERVER_DEFAULTS.maxRowsPerRequest,
        inlineMaxMs: c.server.inference?.inlineMaxMs ?? INFERENCE_DEFAULTS.inlineMaxMs,
      };
      return new Generation(
        valid,
        signature,
        variants,
        router,
        overrideGuard,
        drift,
        canary,
        revision,
        events,
        online,
        shadow,
        limits,
        c.traffic.overrideHeader.toLowerCase(),
        sticky?.header?.toLowerCase(),
        new Set([...(sticky?.field ? [sticky.field] : []), ...(online?.entityKeys ?? [])]),
        deps,
      );
    })().catch(async (e: unknown) => {
      await Promise.all([...variants.values()].map((v) => deps.pool.release(v.spec)));
      throw e;
    });
    return built;
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
    this.online?.close();
    const results = await Promise.allSettled([
      ...[...this.variants.values()].map((v) => this.deps.pool.release(v.spec)),
      this.events && this.events !== next?.events ? this.events.close() : undefined,
    ]);
    for (const r of results)
      if (r.status === 'rejected')
        this.deps.logger.warn('releasing an old generation failed', { error: String(r.reason) });
  }
}

async function loadVariants(valid: ValidConfig, deps: GenerationDeps): Promise<Map<string, LoadedVariant>> {
  const c = valid.config;
  const specs = c.variants.map((v) => ({ v, spec: sessionSpec(valid, v) }));
  const loaded = await Promise.allSettled(specs.map(({ spec }) => deps.pool.acquire(spec)));
  const failed = loaded.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(loaded.map((r, i) => (r.status === 'fulfilled' ? deps.pool.release(specs[i]!.spec) : undefined)));
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
  return variants;
}

function sessionSpec(valid: ValidConfig, v: Variant): SessionSpec {
  const c = valid.config;
  return {
    path: variantPath(valid, v),
    sha256: v.sha256,
    externalData: (v.externalData ?? []).map((f) => ({ path: configPath(valid, f.path), sha256: f.sha256 })),
    inputs: c.model.inputs,
    outputs: c.model.outputs,
    replicateMaxBytes: c.server.inference?.replicateMaxBytes ?? INFERENCE_DEFAULTS.replicateMaxBytes,
  };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What a canary's progression depends on: a change to any of it starts the canary over. */
function canaryKey(c: RuntimeConfig): unknown {
  return [
    c.traffic.canary,
    c.traffic.weights,
    c.variants.filter((v) => v.role === 'stable' || v.role === 'canary'),
    c.model.name,
  ];
}

function canaryRevision(c: RuntimeConfig): string {
  return c.traffic.canary ? sha256Hex(JSON.stringify(canaryKey(c))).slice(0, 12) : '';
}

async function newCanary(c: RuntimeConfig, revision: string, deps: GenerationDeps, now: number) {
  const policy = c.traffic.canary!;
  const prometheus = policy.state?.prometheus;
  const version = (name: string) => c.variants.find((v) => v.name === name)?.version ?? '';
  const sync =
    prometheus &&
    new PrometheusSync({
      config: prometheus,
      model: c.model.name,
      revision,
      canary: { name: policy.canary, version: version(policy.canary) },
      stable: { name: policy.stable, version: version(policy.stable) },
      onQuery: (ok, error) => {
        deps.metrics.canarySync.inc({ model: c.model.name, result: ok ? 'ok' : 'error' });
        if (!ok) deps.logger.warn('canary state query failed; holding the canary', { error });
      },
    });
  const canary = new CanaryController(c.traffic, now, sync);
  // A replica reads the tier's state before serving: it must not send users to a drained canary.
  await canary.synchronize(now);
  return canary;
}

async function overrideSecret(valid: ValidConfig): Promise<string | undefined> {
  const file = valid.config.traffic.override?.secretFile;
  if (!file) return undefined;
  const path = configPath(valid, file);
  let secret: string;
  try {
    secret = (await readFile(path, 'utf8')).trim();
  } catch (e) {
    throw new LoadError(
      `cannot read the override secret ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'mount the Secret that holds it at this path',
      'secret_unreadable',
    );
  }
  if (secret.length < 16)
    throw new LoadError(
      `the override secret in ${path} is ${secret.length === 0 ? 'empty' : 'shorter than 16 characters'}`,
      'use a long random value (for example 32 bytes, base64)',
      'secret_unreadable',
    );
  return secret;
}

function shadowReport(variant: string, deps: GenerationDeps) {
  return (outcome: 'ok' | 'error' | 'dropped', seconds?: number, error?: string) => {
    deps.metrics.shadow(variant, outcome, seconds);
    if (outcome === 'error') deps.logger.warn('shadow inference failed', { variant, error: error?.split('\n')[0] });
  };
}
