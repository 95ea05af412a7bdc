// The canary state shared by the replicas of a tier, through the Prometheus that scrapes them
// (as Argo Rollouts and Flagger judge canaries): every replica exports its step, the time the
// step began and whether it drained (labelled by the canary's revision, a digest of its config),
// and the live traffic of stable and canary (mlspec_gate_*). Each replica reads the furthest
// step and any drain across the tier, and judges the tier's traffic, not its own share.
// Prometheus runs in every cluster the compiler targets and needs no write access; shared
// state through the Kubernetes API would need RBAC on a Lease or ConfigMap for every pod.
import { readFile } from 'node:fs/promises';
import type { PrometheusState } from '../contract/config.js';
import { ROLLOUT_STATE_DEFAULTS } from '../contract/constants.js';
import { METRICS } from '../contract/metric-names.js';
import type { GateEvidence, VariantEvidence } from './gate.js';
import type { RolloutSync, SharedRollout } from './canary.js';

export interface PrometheusSyncOptions {
  readonly config: PrometheusState;
  readonly model: string;
  readonly revision: string;
  readonly canary: { readonly name: string; readonly version: string };
  readonly stable: { readonly name: string; readonly version: string };
  /** Called with the outcome of every round of queries. */
  readonly onQuery?: (ok: boolean, error?: string) => void;
}

export class PrometheusSync implements RolloutSync {
  readonly intervalMs: number;
  readonly #o: PrometheusSyncOptions;
  readonly #lookback: number;
  readonly #timeoutMs: number;

  constructor(options: PrometheusSyncOptions) {
    this.#o = options;
    const c = options.config;
    this.intervalMs = (c.intervalSeconds ?? ROLLOUT_STATE_DEFAULTS.intervalSeconds) * 1000;
    this.#lookback = c.lookbackSeconds ?? ROLLOUT_STATE_DEFAULTS.lookbackSeconds;
    this.#timeoutMs = c.timeoutMs ?? ROLLOUT_STATE_DEFAULTS.timeoutMs;
  }

  async read(now: number): Promise<SharedRollout | undefined> {
    const sel = this.#selector({ variant: this.#o.canary.name, revision: this.#o.revision });
    const range = `[${this.#lookback}s]`;
    return this.#round(async () => {
      const [drained, step] = await Promise.all([
        this.#query(`max(max_over_time(${METRICS.canaryState}{${sel},state="drained"}${range}))`, now),
        this.#query(`max(max_over_time(${METRICS.canaryStep}{${sel}}${range}))`, now),
      ]);
      const started =
        step === undefined
          ? undefined
          : await this.#query(`min(min_over_time(${METRICS.canaryStepStarted}{${sel},step="${step}"}${range}))`, now);
      return {
        drained: drained === 1,
        step,
        stepStartedAt: started === undefined ? undefined : started * 1000,
      };
    });
  }

  async evidence(seconds: number, now: number): Promise<GateEvidence | undefined> {
    const range = `[${Math.max(1, Math.ceil(seconds))}s]`;
    const of = async (v: { name: string; version: string }): Promise<VariantEvidence> => {
      const sel = this.#selector({ variant: v.name, version: v.version });
      const [requests, errors, p99] = await Promise.all([
        this.#query(`sum(increase(${METRICS.gateRequests}{${sel}}${range}))`, now),
        this.#query(`sum(increase(${METRICS.gateRequests}{${sel},outcome="server_error"}${range}))`, now),
        this.#query(
          `histogram_quantile(0.99, sum by (le) (increase(${METRICS.gateLatency}_bucket{${sel}}${range})))`,
          now,
        ),
      ]);
      const n = requests ?? 0;
      return { requests: n, serverErrors: errors ?? 0, p99: n > 0 && Number.isFinite(p99) ? p99 : undefined };
    };
    return this.#round(async () => {
      const [canary, stable] = await Promise.all([of(this.#o.canary), of(this.#o.stable)]);
      return { canary, stable };
    });
  }

  async #round<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await work();
      this.#o.onQuery?.(true);
      return result;
    } catch (e) {
      this.#o.onQuery?.(false, (e as Error)?.message ?? String(e));
      return undefined;
    }
  }

  #selector(labels: Record<string, string>): string {
    const all = { ...this.#o.config.selector, model: this.#o.model, ...labels };
    return Object.entries(all)
      .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
      .join(',');
  }

  /** The single value of an instant query, or undefined for an empty result. */
  async #query(promql: string, now: number): Promise<number | undefined> {
    const url = new URL(
      'api/v1/query',
      this.#o.config.url.endsWith('/') ? this.#o.config.url : `${this.#o.config.url}/`,
    );
    url.searchParams.set('query', promql);
    url.searchParams.set('time', String(now / 1000));
    const headers: Record<string, string> = {};
    const tokenFile = this.#o.config.bearerTokenFile;
    if (tokenFile) headers.authorization = `Bearer ${(await readFile(tokenFile, 'utf8')).trim()}`;
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(this.#timeoutMs) });
    const body = (await res.json().catch(() => undefined)) as PrometheusAnswer | undefined;
    if (!res.ok || body?.status !== 'success')
      throw new Error(`Prometheus answered ${res.status}: ${body?.error ?? 'no JSON body'} (${promql})`);
    const first = body.data?.result?.[0]?.value?.[1];
    return first === undefined ? undefined : Number(first);
  }
}

interface PrometheusAnswer {
  readonly status: string;
  readonly error?: string;
  readonly data?: { readonly result?: readonly { readonly value?: readonly [number, string] }[] };
}
