// A system's references into the platform config: its team and the cluster profile of each
// environment. Checked for every system in resolve, and also for a spec that failed its schema,
// so that one run reports a typo in the spec and an unknown cluster together (they do not
// depend on each other).
import { quote } from '../../core/diagnostics/quote.js';
import { joinPointer } from '../../core/json-pointer.js';
import { didYouMean } from '../../core/schema/suggest.js';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { LoadedDocument } from '../load/document.js';
import type { ValidatedPlatform } from '../validate/validate.js';
import { Reporter } from './report.js';

export function reportUnknownTeam(r: Reporter, team: string, platform: ValidatedPlatform): boolean {
  const teams = platform.platform.teams;
  if (team in teams) return false;
  r.report(
    'unknown_team',
    `team ${quote(team)} is not registered in the platform config`,
    '/metadata/team',
    didYouMean(team, Object.keys(teams)) ??
      `ask the platform team to add it under \`teams\` in ${platform.document.file}`,
  );
  return true;
}

export function reportUnknownCluster(r: Reporter, env: string, cluster: string, platform: ValidatedPlatform): boolean {
  const clusters = platform.platform.clusters;
  if (cluster in clusters) return false;
  r.report(
    'unknown_cluster',
    `unknown cluster profile ${quote(cluster)}`,
    joinPointer(joinPointer('/environments', env), 'cluster'),
    didYouMean(cluster, Object.keys(clusters)) ?? `defined profiles: ${Object.keys(clusters).join(', ')}`,
  );
  return true;
}

/** The platform references of a spec that failed its schema, where the values are readable. */
export function platformReferences(doc: LoadedDocument, platform: ValidatedPlatform): Diagnostic[] {
  const r = new Reporter(doc.locations, doc.file);
  const spec = (doc.value ?? {}) as { metadata?: { team?: unknown }; environments?: unknown };
  if (typeof spec.metadata?.team === 'string') reportUnknownTeam(r, spec.metadata.team, platform);
  const envs = spec.environments;
  if (envs && typeof envs === 'object' && !Array.isArray(envs)) {
    for (const [env, e] of Object.entries(envs as Record<string, { cluster?: unknown } | null>)) {
      if (typeof e?.cluster === 'string') {
        const before = r.diagnostics.length;
        reportUnknownCluster(r, env, e.cluster, platform);
        const added = r.diagnostics[before];
        if (added) r.diagnostics[before] = { ...added, message: `${added.message} (environment ${env})` };
      }
    }
  }
  return r.diagnostics;
}
