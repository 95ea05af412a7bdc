// Rules the platform team set for every system: registered teams, pinned images, GPU quotas.
import { quote } from '../../core/diagnostics/quote.js';
import type { MLSystemBody } from '../schema/mlsystem.js';
import type { Platform, Team } from '../schema/platform.js';
import { error, type Diagnostic, type SourceLocation } from '../../core/diagnostics/diagnostic.js';
import type { Placement, ResolvedSystem, TeamQuota } from './resolved.js';
import { TRAINING_STEPS } from './resolved.js';
import type { Reporter } from './report.js';

export function checkImages(spec: MLSystemBody, requireDigest: boolean, cluster: string, r: Reporter): void {
  if (!requireDigest) return;
  for (const step of TRAINING_STEPS) {
    const image = spec.training.pipeline[step].image;
    if (!image.includes('@sha256:')) {
      r.report(
        'unpinned_image',
        `cluster ${quote(cluster)} requires images pinned by digest; ${quote(image)} is not`,
        `/training/pipeline/${step}/image`,
        'append `@sha256:<digest>` (e.g. from `crane digest <image>`)',
      );
    }
  }
}

/** What one quota line counts: whole accelerators of a type, or MIG slices of one profile. */
export interface QuotaKey {
  readonly type: string;
  readonly mig?: string;
}

export const quotaKeyId = (k: QuotaKey): string => (k.mig ? `${k.type}\u0000${k.mig}` : k.type);

/** The team's limit for one quota line; 0 when the platform grants none. */
export function quotaLimit(quota: TeamQuota, key: QuotaKey): number {
  return key.mig ? (quota.mig[key.type]?.[key.mig] ?? 0) : (quota.gpu[key.type] ?? 0);
}

/**
 * Accelerators a system may hold at once in one environment: training at full width plus serving
 * at max replicas. A MIG slice counts as one slice of its profile, not as a whole GPU.
 */
export function acceleratorDemand(system: ResolvedSystem): Map<string, { key: QuotaKey; count: number }> {
  const demand = new Map<string, { key: QuotaKey; count: number }>();
  const add = (p: Placement, n: number) => {
    const key: QuotaKey = { type: p.accelerator, ...(p.mig ? { mig: p.mig } : {}) };
    const id = quotaKeyId(key);
    demand.set(id, { key, count: (demand.get(id)?.count ?? 0) + n });
  };
  const train = system.spec.training.pipeline.train;
  for (const step of TRAINING_STEPS) {
    const p = system.placement.training[step];
    if (p) add(p, p.count * (step === 'train' ? (train.distributed?.workers ?? 1) : 1));
  }
  for (const [name, tier] of Object.entries(system.spec.serving.tiers)) {
    const p = system.placement.tiers[name];
    if (p) add(p, p.count * tier.replicas.max);
  }
  return demand;
}

/** The platform's quota of a team, as resolve hands it to render. */
export function teamQuota(team: Team): TeamQuota {
  return { gpu: { ...(team.gpuQuota ?? {}) }, mig: structuredClone(team.migQuota ?? {}) };
}

/** Sum the demand of each team's systems per environment and compare with its quota. */
export function checkGpuQuotas(
  systems: readonly ResolvedSystem[],
  platform: Platform,
  locateTeam: (system: string) => SourceLocation | undefined,
): Diagnostic[] {
  const totals = new Map<
    string,
    { team: string; env: string; key: QuotaKey; used: number; systems: ResolvedSystem[] }
  >();
  for (const s of systems) {
    for (const [id, { key, count }] of acceleratorDemand(s)) {
      const total = `${s.team}\u0000${s.environment}\u0000${id}`;
      const t = totals.get(total) ?? { team: s.team, env: s.environment, key, used: 0, systems: [] };
      t.used += count;
      t.systems.push(s);
      totals.set(total, t);
    }
  }
  const out: Diagnostic[] = [];
  for (const t of totals.values()) {
    const team = platform.teams[t.team];
    const quota = team ? quotaLimit(teamQuota(team), t.key) : 0;
    if (t.used <= quota) continue;
    const first = t.systems[0]!;
    const what = t.key.mig ? `${quote(t.key.mig)} MIG slices of ${quote(t.key.type)}` : quote(t.key.type);
    const field = t.key.mig ? `migQuota.${t.key.type}.${t.key.mig}` : `gpuQuota.${t.key.type}`;
    out.push(
      error(
        'gpu_quota_exceeded',
        `team ${quote(t.team)} would use up to ${t.used} ${what} in environment ${quote(t.env)}; ` +
          `its quota is ${quota}`,
        {
          location: locateTeam(first.name) ?? { file: first.source.file, line: 1, column: 1 },
          pointer: '/metadata/team',
          hint:
            `lower replicas.max or training workers of ${t.systems.map((s) => s.name).join(', ')}, or ask the ` +
            `platform team to raise \`teams.${t.team}.${field}\``,
        },
      ),
    );
  }
  return out;
}
