// The resolve stage: each validated system × each selected environment → ResolvedSystem.
// Ordered steps:
//   1. merge the environment's overrides onto the base and validate the result (defaults filled);
//   2. look up the team and the cluster profile in the platform config;
//   3. check cross-references, rollout consistency, schedules, image pinning and, for Argo
//      Workflows, expressions in training values;
//   4. place accelerator requests on the cluster's node pools;
//   5. derive variants, namespace and digests;
//   6. across all systems: GPU quotas per team and environment, gateway routes per cluster.
import { dirname, relative, resolve as resolvePath, sep } from 'node:path';
import { quote } from '../../core/diagnostics/quote.js';
import type { MLSystem, MLSystemBody } from '../schema/mlsystem.js';
import { error, hasErrors, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { joinPointer } from '../../core/json-pointer.js';
import { locate, type SourceMap } from '../../core/source/source-map.js';
import { checkSchema, type ValidatedPlatform, type ValidatedSystem } from '../validate/validate.js';
import { didYouMean } from '../../core/schema/suggest.js';
import { contentDigest } from '../../core/canonical-json.js';
import { mergeOverride, type Located } from './merge.js';
import { checkReferences } from './references.js';
import { checkServingAndRollout } from './rollout-checks.js';
import { checkSchedules } from './schedule-checks.js';
import { checkArgoExpressions } from './argo-checks.js';
import { placementFor } from './placement.js';
import { variantsOf } from './variants.js';
import { checkGpuQuotas, checkImages, teamQuota } from './platform-checks.js';
import { warnClusterLimits } from './cluster-warnings.js';
import { checkRouteConflicts, resolveRoutes } from './routes.js';
import { Reporter } from './report.js';
import { reportUnknownCluster, reportUnknownTeam } from './platform-refs.js';
import { checkEndpoints } from './endpoints.js';
import { systemKey, TRAINING_STEPS, type Placement, type ResolvedSystem, type TrainingStepName } from './resolved.js';

export interface ResolveOptions {
  /** Only these environments; all when absent. */
  readonly environments?: readonly string[];
  /**
   * Working directory the documents' paths are relative to. With it, output records spec files
   * relative to the platform config's directory; without it, as the documents name them.
   */
  readonly cwd?: string;
}

/** How a spec file is named in the output: relative to the platform config's directory. */
export function recordedPath(specFile: string, platformFile: string, cwd: string | undefined): string {
  if (cwd === undefined) return specFile;
  const root = dirname(resolvePath(cwd, platformFile));
  return relative(root, resolvePath(cwd, specFile)).split(sep).join('/');
}

export interface ResolveResult {
  readonly systems: ResolvedSystem[];
  /** Per system-environment (`systemKey`): where each value of the merged spec was written. */
  readonly sourceMaps: ReadonlyMap<string, SourceMap>;
  readonly diagnostics: Diagnostic[];
}

/** Step 1: the environment's view of the spec, validated, with locations that follow overrides. */
function mergedSpec(
  system: ValidatedSystem,
  env: string,
): { spec?: MLSystem; located: Located; diagnostics: Diagnostic[] } {
  const doc = system.document;
  const base: Located = { value: doc.value, locations: doc.locations };
  const overridesPointer = joinPointer(joinPointer('/environments', env), 'overrides');
  const overrides = system.spec.environments[env]?.overrides;
  const located = overrides ? mergeOverride(base, overrides, doc.locations, overridesPointer) : base;
  const checked = checkSchema<MLSystem>('MLSystem', located.value, located.locations);
  return { spec: checked.value, located, diagnostics: checked.diagnostics };
}

export function namespaceFor(template: string, team: string, env: string): string {
  return template.replaceAll('{team}', team).replaceAll('{env}', env);
}

function resolveOne(
  system: ValidatedSystem,
  env: string,
  platform: ValidatedPlatform,
  cwd: string | undefined,
): { resolved?: ResolvedSystem; locations?: SourceMap; diagnostics: Diagnostic[] } {
  const merged = mergedSpec(system, env);
  if (!merged.spec) return { diagnostics: merged.diagnostics };
  const { environments, ...spec } = merged.spec;
  const body: MLSystemBody = spec;
  const r = new Reporter(merged.located.locations, system.document.file);
  const p = platform.platform;
  for (const key of ['name', 'team'] as const) {
    if (body.metadata[key] !== system.spec.metadata[key]) {
      r.report(
        'invalid_override',
        `environment ${quote(env)} changes \`metadata.${key}\``,
        `/metadata/${key}`,
        `a system keeps its ${key} in every environment; remove it from the overrides`,
      );
      return { diagnostics: r.diagnostics };
    }
  }

  const team = p.teams[body.metadata.team];
  reportUnknownTeam(r, body.metadata.team, platform);
  const clusterName = environments[env]!.cluster;
  const profile = p.clusters[clusterName];
  reportUnknownCluster(r, env, clusterName, platform);
  const features = checkReferences(body, r);
  checkServingAndRollout(body, features, r);
  checkSchedules(body, r);
  if (!team || !profile) return { diagnostics: r.diagnostics };

  const cluster = { name: clusterName, ...profile };
  checkImages(body, cluster.requireImageDigest, clusterName, r);
  const platformReporter = new Reporter(platform.document.locations, platform.document.file);
  const egress = checkEndpoints(body, cluster, r, platformReporter);
  r.diagnostics.push(...platformReporter.diagnostics);
  if (cluster.components.argoWorkflows) checkArgoExpressions(body, clusterName, r);
  warnClusterLimits(body, cluster, r);
  const training: Partial<Record<TrainingStepName, Placement>> = {};
  for (const step of TRAINING_STEPS) {
    const placed = placementFor(
      body.training.pipeline[step].resources.accelerator,
      cluster,
      `/training/pipeline/${step}/resources/accelerator`,
      r,
    );
    if (placed) training[step] = placed;
  }
  const tiers: Record<string, Placement | undefined> = {};
  for (const [name, tier] of Object.entries(body.serving.tiers)) {
    tiers[name] = placementFor(tier.resources.accelerator, cluster, `/serving/tiers/${name}/resources/accelerator`, r);
  }
  const names = { system: body.metadata.name, team: body.metadata.team, environment: env };
  const routes = resolveRoutes(body, cluster, names, r);
  if (hasErrors(r.diagnostics)) return { diagnostics: r.diagnostics };

  const resolved: ResolvedSystem = {
    name: body.metadata.name,
    team: body.metadata.team,
    environment: env,
    namespace: namespaceFor(team.namespace, body.metadata.team, env),
    spec: body,
    cluster,
    platform: { name: p.metadata.name, registries: p.registries, regions: p.regions, images: p.images },
    source: {
      file: system.document.file,
      recordedFile: recordedPath(system.document.file, platform.document.file, cwd),
      fileDigest: system.document.fileDigest,
      specDigest: contentDigest({ environment: env, cluster, spec: body }),
    },
    features,
    variants: variantsOf(body),
    egress,
    placement: { training, tiers },
    quota: teamQuota(team),
    routes,
  };
  return { resolved, locations: merged.located.locations, diagnostics: r.diagnostics };
}

/**
 * A problem of the base spec shows up in every environment: report it once. A problem only some
 * environments have (from their overrides or cluster) says which.
 */
function nameEnvironments(envs: readonly string[], perEnv: readonly Diagnostic[][]): Diagnostic[] {
  const groups = new Map<string, { diagnostic: Diagnostic; envs: string[] }>();
  perEnv.forEach((list, i) => {
    for (const d of list) {
      const key = JSON.stringify([d.code, d.message, d.pointer, d.location]);
      const g = groups.get(key) ?? { diagnostic: d, envs: [] };
      g.envs.push(envs[i]!);
      groups.set(key, g);
    }
  });
  return [...groups.values()].map(({ diagnostic, envs: where }) =>
    where.length === envs.length
      ? diagnostic
      : {
          ...diagnostic,
          message: `${diagnostic.message} (environment${where.length > 1 ? 's' : ''} ${where.join(', ')})`,
        },
  );
}

export function resolveSystems(
  systems: readonly ValidatedSystem[],
  platform: ValidatedPlatform,
  options: ResolveOptions = {},
): ResolveResult {
  const diagnostics: Diagnostic[] = [];
  const resolved: ResolvedSystem[] = [];
  const sourceMaps = new Map<string, SourceMap>();
  const known = new Set(systems.flatMap((s) => Object.keys(s.spec.environments)));
  for (const env of options.environments ?? []) {
    if (!known.has(env)) {
      diagnostics.push(
        error('unknown_environment', `no system defines environment ${quote(env)}`, {
          hint: didYouMean(env, known) ?? `environments defined: ${[...known].sort().join(', ') || '(none)'}`,
        }),
      );
    }
  }
  for (const system of systems) {
    const envs = Object.keys(system.spec.environments)
      .filter((e) => !options.environments || options.environments.includes(e))
      .sort();
    const perEnv: Diagnostic[][] = [];
    for (const env of envs) {
      const r = resolveOne(system, env, platform, options.cwd);
      perEnv.push(r.diagnostics);
      if (r.resolved) {
        resolved.push(r.resolved);
        sourceMaps.set(systemKey(env, r.resolved.name), r.locations!);
      }
    }
    diagnostics.push(...nameEnvironments(envs, perEnv));
  }
  const documentOf = new Map(systems.map((s) => [s.spec.metadata.name, s.document]));
  diagnostics.push(
    ...checkGpuQuotas(resolved, platform.platform, (name) => {
      const doc = documentOf.get(name);
      return doc && locate(doc.locations, '/metadata/team');
    }),
  );
  diagnostics.push(
    ...checkRouteConflicts(resolved, (s, pointer) => {
      const map = sourceMaps.get(systemKey(s.environment, s.name));
      return map && locate(map, pointer);
    }),
  );
  resolved.sort((a, b) => (`${a.environment}\u0000${a.name}` < `${b.environment}\u0000${b.name}` ? -1 : 1));
  return { systems: resolved, sourceMaps, diagnostics };
}
