// The canary gate's verdict on evidence: requests, server errors and p99 latency of the canary
// and of stable over the same stretch of time. Only live traffic (split and sticky) is evidence:
// overrides are test traffic, and client errors (4xx) say nothing about the canary's health.
// The evidence comes from this process (gate-window.ts) or from Prometheus across every replica
// (prometheus-gate.ts); the verdict is the same function of it.
import type { CanaryGate } from '../contract/config.js';
import { GATE_DEFAULTS } from '../contract/constants.js';

export interface VariantEvidence {
  readonly requests: number;
  readonly serverErrors: number;
  /** Seconds, or undefined without any request. */
  readonly p99: number | undefined;
}

export interface GateEvidence {
  readonly canary: VariantEvidence;
  readonly stable: VariantEvidence;
}

export type Verdict =
  | { readonly kind: 'pass' }
  /** Not enough evidence yet: neither advance nor drain. */
  | { readonly kind: 'pending'; readonly reason: string }
  | { readonly kind: 'breach'; readonly reason: string };

export function judge(gate: CanaryGate, e: GateEvidence): Verdict {
  const { canary, stable } = e;
  if (canary.requests < gate.minRequests)
    return { kind: 'pending', reason: `${fmt(canary.requests)} of ${gate.minRequests} canary requests` };
  const errorRate = canary.serverErrors / canary.requests;
  if (gate.maxErrorRate !== undefined && errorRate > gate.maxErrorRate)
    return {
      kind: 'breach',
      reason:
        `server error rate ${errorRate.toFixed(4)} above ${gate.maxErrorRate} ` +
        `over ${fmt(canary.requests)} requests`,
    };
  const minLatency = gate.minLatencySamples ?? GATE_DEFAULTS.minLatencySamples;
  const latencyJudged = gate.maxP99LatencySeconds !== undefined || gate.maxP99Ratio !== undefined;
  if (!latencyJudged) return { kind: 'pass' };
  if (canary.requests < minLatency || canary.p99 === undefined)
    return { kind: 'pending', reason: `${fmt(canary.requests)} of ${minLatency} canary requests for a p99` };
  if (gate.maxP99LatencySeconds !== undefined && canary.p99 > gate.maxP99LatencySeconds)
    return {
      kind: 'breach',
      reason:
        `p99 latency ${canary.p99.toFixed(4)}s above ${gate.maxP99LatencySeconds}s ` +
        `over ${fmt(canary.requests)} requests`,
    };
  if (gate.maxP99Ratio !== undefined) {
    if (stable.requests < minLatency || stable.p99 === undefined)
      return { kind: 'pending', reason: `${fmt(stable.requests)} of ${minLatency} stable requests for a p99` };
    const ratio = stable.p99 > 0 ? canary.p99 / stable.p99 : 1;
    if (ratio > gate.maxP99Ratio)
      return {
        kind: 'breach',
        reason:
          `p99 latency ${canary.p99.toFixed(4)}s is ${ratio.toFixed(2)}x stable's ${stable.p99.toFixed(4)}s ` +
          `(at most ${gate.maxP99Ratio}x) over ${fmt(canary.requests)} canary requests`,
      };
  }
  return { kind: 'pass' };
}

/** Counts from Prometheus are extrapolated and need not be whole. */
function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
