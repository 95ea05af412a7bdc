// The canary's progression and gate. The controller walks `traffic.canary.steps` from its own
// start: step i holds for its pause and then advances, provided the gate has a passing verdict
// (at least `minRequests` canary requests in the window, error rate and p99 within bounds), so
// a canary that receives no traffic never reaches its last step. Any breach of the gate drains
// the canary: its weight goes to 0 and stable takes the whole share back, until a new config.
//
// Steps move traffic only between stable and canary: they share the "pool" of their two
// configured weights; other variants keep theirs.
import type { Traffic } from '../contract/config.js';
import { GateWindow, type WindowSummary } from './gate-window.js';

export type CanaryPhase = 'progressing' | 'holding' | 'drained';

export interface CanaryState {
  readonly phase: CanaryPhase;
  readonly step: number;
  /** The canary's current share, percent. */
  readonly weight: number;
  readonly reason?: string;
}

export type CanaryListener = (state: CanaryState, previous: CanaryState) => void;

type CanaryConfig = NonNullable<Traffic['canary']>;

export class CanaryController {
  readonly stable: string;
  readonly canary: string;
  readonly #config: CanaryConfig;
  readonly #pool: number;
  readonly #window: GateWindow;
  readonly #listeners: CanaryListener[] = [];
  #state: CanaryState;
  #stepStartedAt: number;

  constructor(traffic: Traffic, now: number) {
    const c = traffic.canary;
    if (!c) throw new Error('traffic has no canary section');
    this.#config = c;
    this.stable = c.stable;
    this.canary = c.canary;
    this.#pool = (traffic.weights[c.stable] ?? 0) + (traffic.weights[c.canary] ?? 0);
    this.#window = new GateWindow(c.gate.windowSeconds, now);
    this.#stepStartedAt = now;
    const first = c.steps[0]?.weight ?? traffic.weights[c.canary] ?? 0;
    this.#state = {
      phase: c.steps.length > 1 ? 'progressing' : 'holding',
      step: 0,
      weight: Math.min(first, this.#pool),
    };
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

  /** One request answered by the canary; a breach drains at once. */
  record(now: number, latencySeconds: number, error: boolean): void {
    this.#window.record(now, latencySeconds, error);
    if (this.#state.phase !== 'drained') this.#check(now, this.#window.summary(now));
  }

  /** Called periodically: time alone advances steps. */
  tick(now: number): void {
    if (this.#state.phase !== 'drained') this.#check(now, this.#window.summary(now));
  }

  summary(now: number): WindowSummary {
    return this.#window.summary(now);
  }

  #check(now: number, s: WindowSummary): void {
    const gate = this.#config.gate;
    if (s.requests < gate.minRequests) return; // no verdict yet: neither breach nor advance
    const breach =
      gate.maxErrorRate !== undefined && s.errorRate > gate.maxErrorRate
        ? `error rate ${s.errorRate.toFixed(4)} above ${gate.maxErrorRate} over ${s.requests} requests`
        : gate.maxP99LatencySeconds !== undefined && s.p99 > gate.maxP99LatencySeconds
          ? `p99 latency ${s.p99.toFixed(4)}s above ${gate.maxP99LatencySeconds}s over ${s.requests} requests`
          : undefined;
    if (breach) return this.#set({ phase: 'drained', step: this.#state.step, weight: 0, reason: breach });
    const steps = this.#config.steps;
    const step = this.#state.step;
    if (this.#state.phase !== 'progressing' || now - this.#stepStartedAt < steps[step]!.pauseSeconds * 1000) return;
    this.#stepStartedAt = now;
    const next = step + 1;
    this.#set({
      phase: next === steps.length - 1 ? 'holding' : 'progressing',
      step: next,
      weight: Math.min(steps[next]!.weight, this.#pool),
    });
  }

  #set(state: CanaryState): void {
    const previous = this.#state;
    this.#state = state;
    for (const l of this.#listeners) l(state, previous);
  }
}
