// The canary's progression. Step i holds for its pause and then advances, provided the gate
// (gate.ts) has a passing verdict; a breach drains the canary: its weight goes to 0 and stable
// takes the whole share back, until a config changes the canary. A canary that receives no
// traffic never passes, so it never reaches its last step. When one window holds fewer than
// `minRequests` canary requests, the evidence since the step began is judged instead: thin
// traffic delays a verdict but still reaches one.
//
// Alone (no `state` in the config) the controller judges this process's own traffic and a
// breach drains at once. With a RolloutSync (Prometheus, rollout-sync.ts) every replica judges
// the whole tier's traffic and adopts the furthest step and any drain the replicas export, so
// they agree within one evaluation interval, and a restarted replica resumes instead of starting
// over. Until the shared state has been read once the canary gets no traffic (`syncing`): a
// replica that cannot know whether the canary was drained does not send users to it.
//
// Steps move traffic only between stable and canary: they share the "pool" of their two
// configured weights; other variants keep theirs.
import type { Traffic } from '../contract/config.js';
import { type GateEvidence, judge, type Verdict } from './gate.js';
import { LocalEvidence } from './gate-window.js';

export type CanaryPhase = 'syncing' | 'progressing' | 'holding' | 'drained';
export const CANARY_PHASES: readonly CanaryPhase[] = ['syncing', 'progressing', 'holding', 'drained'];

export interface CanaryState {
  readonly phase: CanaryPhase;
  readonly step: number;
  /** The canary's current share, percent. */
  readonly weight: number;
  /** Wall-clock milliseconds when this step began. */
  readonly stepStartedAt: number;
  readonly reason?: string;
}

/** What the replicas of a tier have exported, as one replica reads it. */
export interface SharedRollout {
  readonly step: number | undefined;
  /** Milliseconds; when the furthest step began. */
  readonly stepStartedAt: number | undefined;
  readonly drained: boolean;
}

export interface RolloutSync {
  readonly intervalMs: number;
  /** The tier's state, or undefined when it cannot be read (then nothing moves). */
  read(now: number): Promise<SharedRollout | undefined>;
  /** The tier's evidence over the last `seconds`, or undefined when it cannot be read. */
  evidence(seconds: number, now: number): Promise<GateEvidence | undefined>;
}

export type CanaryListener = (state: CanaryState, previous: CanaryState) => void;

type CanaryConfig = NonNullable<Traffic['canary']>;

export class CanaryController {
  readonly stable: string;
  readonly canary: string;
  readonly #config: CanaryConfig;
  readonly #pool: number;
  /** The canary's configured weight: its share when there are no steps. */
  readonly #configured: number;
  readonly #local: LocalEvidence;
  readonly #sync: RolloutSync | undefined;
  readonly #listeners: CanaryListener[] = [];
  #state: CanaryState;
  #lastSync = Number.NEGATIVE_INFINITY;
  #syncing: Promise<void> | undefined;

  constructor(traffic: Traffic, now: number, sync?: RolloutSync) {
    const c = traffic.canary;
    if (!c) throw new Error('traffic has no canary section');
    this.#config = c;
    this.stable = c.stable;
    this.canary = c.canary;
    this.#pool = (traffic.weights[c.stable] ?? 0) + (traffic.weights[c.canary] ?? 0);
    this.#configured = traffic.weights[c.canary] ?? 0;
    this.#local = new LocalEvidence(c.gate.windowSeconds, now);
    this.#sync = sync;
    this.#state = sync ? { phase: 'syncing', step: 0, weight: 0, stepStartedAt: now } : this.#stepState(0, now);
  }

  get state(): CanaryState {
    return this.#state;
  }

  onChange(listener: CanaryListener): void {
    this.#listeners.push(listener);
  }

  /** Stable and canary weights replaced by the current step's. */
  weights(configured: Readonly<Record<string, number>>): Record<string, number> {
    return { ...configured, [this.canary]: this.#state.weight, [this.stable]: this.#pool - this.#state.weight };
  }

  /** A live request answered by `variant`; alone, a canary request is judged at once. */
  record(variant: string, now: number, latencySeconds: number, serverError: boolean): void {
    const which = variant === this.canary ? 'canary' : variant === this.stable ? 'stable' : undefined;
    if (!which) return;
    this.#local.record(which, now, latencySeconds, serverError);
    if (!this.#sync && which === 'canary' && this.#state.phase !== 'drained') this.#apply(now, this.#localVerdict(now));
  }

  /** Called periodically: time advances steps; with a sync, every interval the tier is read and judged. */
  tick(now: number): void {
    if (!this.#sync) {
      if (this.#state.phase !== 'drained') this.#apply(now, this.#localVerdict(now));
      return;
    }
    if (this.#syncing || now - this.#lastSync < this.#sync.intervalMs) return;
    this.#lastSync = now;
    this.#syncing = this.synchronize(now).finally(() => (this.#syncing = undefined));
  }

  /** Reads the tier's state and evidence once (the first call before serving, then from `tick`). */
  async synchronize(now: number): Promise<void> {
    const sync = this.#sync;
    if (!sync) return;
    const shared = await sync.read(now);
    if (!shared) return; // cannot know: hold, and keep a syncing canary at weight 0
    if (shared.drained) {
      if (this.#state.phase !== 'drained') this.#drain('another replica of this tier drained it');
      return;
    }
    if (this.#state.phase === 'drained') return;
    const step = shared.step ?? 0;
    if (this.#state.phase === 'syncing' || step > this.#state.step)
      this.#set(
        this.#stepState(Math.max(0, Math.min(step, this.#config.steps.length - 1)), shared.stepStartedAt ?? now),
      );
    const window = this.#config.gate.windowSeconds;
    let evidence = await sync.evidence(window, now);
    if (evidence && evidence.canary.requests < this.#config.gate.minRequests) {
      const sinceStep = Math.ceil((now - this.#state.stepStartedAt) / 1000);
      if (sinceStep > window) evidence = await sync.evidence(sinceStep, now);
    }
    if (evidence) this.#apply(now, judge(this.#config.gate, evidence));
  }

  #localVerdict(now: number): Verdict {
    const inWindow = this.#local.window(now);
    const evidence = inWindow.canary.requests >= this.#config.gate.minRequests ? inWindow : this.#local.sinceStep();
    return judge(this.#config.gate, evidence);
  }

  #apply(now: number, verdict: Verdict): void {
    if (verdict.kind === 'breach') return this.#drain(verdict.reason);
    const steps = this.#config.steps;
    const s = this.#state;
    if (
      verdict.kind !== 'pass' ||
      s.phase !== 'progressing' ||
      now - s.stepStartedAt < steps[s.step]!.pauseSeconds * 1000
    )
      return;
    this.#set(this.#stepState(s.step + 1, now));
  }

  #drain(reason: string): void {
    this.#set({
      phase: 'drained',
      step: this.#state.step,
      weight: 0,
      stepStartedAt: this.#state.stepStartedAt,
      reason,
    });
  }

  #stepState(step: number, startedAt: number): CanaryState {
    const steps = this.#config.steps;
    return {
      phase: step >= steps.length - 1 ? 'holding' : 'progressing',
      step,
      weight: Math.min(steps[step]?.weight ?? this.#configured, this.#pool),
      stepStartedAt: startedAt,
    };
  }

  #set(state: CanaryState): void {
    const previous = this.#state;
    if (state.step !== previous.step) this.#local.stepChanged();
    this.#state = state;
    for (const l of this.#listeners) l(state, previous);
  }
}
