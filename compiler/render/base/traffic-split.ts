// How a tier's traffic is divided among model releases, in the runtime's terms. Two modes:
//
// - Runtime split (default; A/B and shadow always): one pod runs every variant in-process and
//   its router splits live traffic: weighted, sticky by key, shadow copies, a canary that walks
//   its steps and is drained when the gate breaks.
// - Release per revision (Argo Rollouts canary/blue-green): each pod revision serves exactly
//   one release; Argo Rollouts moves traffic between revisions. The runtime sees one variant.
import type { Artifact } from '../../schema/model.js';
import type { ResolvedSystem, ResolvedVariant } from '../../resolve/resolved.js';
import { durationSeconds } from '../../schema/duration.js';
import type { Traffic, Variant, VariantRole } from '../../../runtime/contract/config.js';
import { DEFAULT_OVERRIDE_HEADER } from '../../../runtime/contract/constants.js';
import { sanitize } from './names.js';

/** Model files live in an emptyDir, one folder per variant. */
export const MODELS_DIR = '/models';
export const modelPath = (variant: string) => `${MODELS_DIR}/${variant}/model.onnx`;

/** Analysis defaults when the spec names gates without a window (runtime and Argo alike). */
export const DEFAULT_ANALYSIS = { interval: '1m', window: '5m', minRequests: 100 } as const;

export interface TrafficPlan {
  readonly variants: readonly Variant[];
  readonly traffic: Traffic;
}

/** Roles that receive live traffic (shadows get copies, previews only the override header). */
export const LIVE_ROLES: ReadonlySet<VariantRole> = new Set(['stable', 'canary', 'variant']);

function runtimeVariant(v: Pick<ResolvedVariant, 'name' | 'version' | 'role'>, artifact: Artifact): Variant {
  return {
    name: v.name,
    version: v.version,
    role: v.role,
    path: modelPath(v.name),
    sha256: artifact.sha256,
    uri: artifact.uri,
  };
}

/** The gate values the runtime's canary and Argo's analysis share, with defaults applied. */
export interface Gates {
  readonly intervalSeconds: number;
  readonly windowSeconds: number;
  readonly minRequests: number;
  readonly maxErrorRate: number;
  readonly maxP99LatencySeconds: number;
  readonly maxDriftScore?: number;
}

/** Gates of a tier: the spec's analysis gates, else the error-rate SLO and the tier's p99 SLO. */
export function gatesFor(system: ResolvedSystem, tier: string): Gates {
  const analysis = system.spec.rollout?.analysis;
  const gates = analysis?.gates;
  const slo = system.spec.serving.tiers[tier]!.latencySlo;
  return {
    intervalSeconds: durationSeconds(analysis?.interval ?? DEFAULT_ANALYSIS.interval),
    windowSeconds: durationSeconds(analysis?.window ?? DEFAULT_ANALYSIS.window),
    minRequests: analysis?.minRequests ?? DEFAULT_ANALYSIS.minRequests,
    maxErrorRate: gates?.maxErrorRate ?? system.spec.monitoring.slos.errorRate,
    maxP99LatencySeconds: durationSeconds(gates?.maxP99Latency ?? slo.p99),
    ...(gates?.maxDriftScore !== undefined ? { maxDriftScore: gates.maxDriftScore } : {}),
  };
}

/** Runtime split: every resolved variant in one pod. */
export function runtimeSplit(system: ResolvedSystem, tier: string): TrafficPlan {
  const variants = system.variants.map((v) => runtimeVariant(v, v.artifact));
  const weights = Object.fromEntries(system.variants.map((v) => [v.name, v.weight]));
  const rollout = system.spec.rollout;
  const base = { weights, overrideHeader: DEFAULT_OVERRIDE_HEADER };
  if (!rollout) return { variants, traffic: { strategy: 'single', ...base } };
  switch (rollout.strategy) {
    case 'canary': {
      const stable = system.variants.find((v) => v.role === 'stable')!;
      const canary = system.variants.find((v) => v.role === 'canary')!;
      const g = gatesFor(system, tier);
      return {
        variants,
        traffic: {
          strategy: 'canary',
          ...base,
          canary: {
            stable: stable.name,
            canary: canary.name,
            steps: (rollout.canary?.steps ?? []).map((s) => ({
              weight: s.weight,
              pauseSeconds: durationSeconds(s.pause),
            })),
            gate: {
              windowSeconds: g.windowSeconds,
              minRequests: g.minRequests,
              maxErrorRate: g.maxErrorRate,
              maxP99LatencySeconds: g.maxP99LatencySeconds,
            },
          },
        },
      };
    }
    case 'blueGreen':
      return { variants, traffic: { strategy: 'blueGreen', ...base } };
    case 'shadow': {
      const shadow = system.variants.find((v) => v.role === 'shadow')!;
      return {
        variants,
        traffic: {
          strategy: 'shadow',
          ...base,
          shadow: { variant: shadow.name, percent: rollout.shadow?.percent ?? 100 },
        },
      };
    }
    case 'abTest':
      return { variants, traffic: { strategy: 'abTest', ...base, stickyKey: { ...rollout.abTest!.stickyKey } } };
  }
}

/** A release as Argo Rollouts sees it: one pod revision serving one model version. */
export interface Release {
  readonly version: string;
  readonly artifact: Artifact;
}

/** Variant name of a release: `v` + the version as a DNS label (`3.2.0` → `v3-2-0`). */
export function releaseVariantName(version: string): string {
  return `v${sanitize(version)}`.slice(0, 63).replace(/-+$/, '');
}

/** Release per revision: the pod serves `release` alone, as its stable variant. */
export function singleRelease(release: Release): TrafficPlan {
  const name = releaseVariantName(release.version);
  return {
    variants: [runtimeVariant({ name, version: release.version, role: 'stable' }, release.artifact)],
    traffic: { strategy: 'single', weights: { [name]: 100 }, overrideHeader: DEFAULT_OVERRIDE_HEADER },
  };
}

/** Variants that receive live traffic (for SLO queries). */
export function liveVariants(plan: TrafficPlan): string[] {
  return plan.variants.filter((v) => LIVE_ROLES.has(v.role)).map((v) => v.name);
}
