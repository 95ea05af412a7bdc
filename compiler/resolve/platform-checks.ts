// Rules the platform team set for every system: registered teams, pinned images, GPU quotas.
import type { MLSystemBody } from '../schema/mlsystem.js';
import type { Platform } from '../schema/platform.js';
import { error, type Diagnostic, type SourceLocation } from '../../core/diagnostics/diagnostic.js';
import type { ResolvedSystem } from './resolved.js';
import { TRAINING_STEPS } from './resolved.js';
import type { Reporter } from './report.js';

export function checkImages(spec: MLSystemBody, requireDigest: boolean, cluster: string, r: Reporter): void {
  if (!requireDigest) return;
  for (const step of TRAINING_STEPS) {
    const image = spec.training.pipeline[step].image;
    if (!image.includes('@sha256:')) {
      r.report(
        'unpinned_image',
        `cluster \`${cluster}\` requires images pinned by digest; \`${image}\` is not`,
        `/training/pipeline/${step}/image`,
        'append `@sha256:<digest>` (e.g. from `crane digest <image>`)',
      );
    }
  }
}

/** Accelerators a system may hold at once in one environment: training at full width plus serving at max replicas. */
export function acceleratorDemand(system: ResolvedSystem): Map<string, number> {
  const demand = new Map<string, number>();
  const add = (type: string, n: number) => demand.set(type, (demand.get(type) ?? 0) + n);
  const train = system.spec.training.pipeline.train;
  for (const step of TRAINING_STEPS) {
    const p = system.placement.training[step];
    if (p) add(p.accelerator, p.count * (step === 'train' ? (train.distributed?.workers ?? 1) : 1));
  }
  for (const [name, tier] of Object.entries(system.spec.serving.tiers)) {
    const p = system.placement.tiers[name];
    if (p) add(p.accelerator, p.count * tier.replicas.max);
  }
  return demand;
}

/** Sum the demand of each team's systems per environment and compare with its quota. */
export function checkGpuQuotas(
  systems: readonly ResolvedSystem[],
  platform: Platform,
  locateTeam: (system: string) => SourceLocation | undefined,
): Diagnostic[] {
  const totals = new Map<
    string,
    { team: string; env: string; type: string; used: number; systems: ResolvedSystem[] }
  >();
  for (const s of systems) {
    for (const [type, n] of acceleratorDemand(s)) {
      const key = `${s.team}\u0000${s.environment}\u0000${type}`;
      const t = totals.get(key) ?? { team: s.team, env: s.environment, type, used: 0, systems: [] };
      t.used += n;
      t.systems.push(s);
      totals.set(key, t);
    }
  }
  const out: Diagnostic[] = [];
  for (const t of totals.values()) {
    const quota = platform.teams[t.team]?.gpuQuota?.[t.type] ?? 0;
    if (t.used <= quota) continue;
    const first = t.systems[0]!;
    out.push(
      error(
        'gpu_quota_exceeded',
        `team \`${t.team}\` would use up to ${t.used} \`${t.type}\` in environment \`${t.env}\`; its quota is ${quota}`,
        {
          location: locateTeam(first.name) ?? { file: first.source.file, line: 1, column: 1 },
          pointer: '/metadata/team',
          hint:
            `lower replicas.max or training workers of ${t.systems.map((s) => s.name).join(', ')}, or ask the ` +
            `platform team to raise \`teams.${t.team}.gpuQuota.${t.type}\``,
        },
      ),
    );
  }
  return out;
}
