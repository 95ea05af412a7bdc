// The compiler's pipeline, stage by stage (each stage is a folder with one typed entry):
//
//   1. load      files → LoadedDocument (values with source maps)          load/
//   2. validate  schemas, defaults → ValidatedSystem / ValidatedPlatform   validate/
//   3. resolve   environments merged, platform applied → ResolvedSystem    resolve/
//   4. render    ResolvedSystem → ManifestSet (cdk8s constructs)           render/
//   5. policy    the rendered system-environment judged → Finding[]        policy/
//   6. emit      ManifestSet → files in a sink (memory, out/, --check)     emit/
//
// `analyze` runs 1-3 for every command. `compile` runs 4-6 per system-environment (system.ts,
// on render workers or in this thread: the rendered objects never cross threads, except those
// a Gatekeeper constraint that reads the inventory needs), then the checks that need every system
// at once (object ownership, the environment's Gatekeeper review) and the sink's finish. Policy comes
// after render because policies judge what will run, not only what was asked.
import { quote } from '../../core/diagnostics/quote.js';
import { error, type Diagnostic, type SourceLocation } from '../../core/diagnostics/diagnostic.js';
import { loadPaths, type LoadOptions } from '../load/load.js';
import type { LoadedDocument } from '../load/document.js';
import { locate, type SourceMap } from '../../core/source/source-map.js';
import { validateDocuments, type ValidatedPlatform, type ValidatedSystem } from '../validate/validate.js';
import { resolveSystems } from '../resolve/resolve.js';
import { platformReferences } from '../resolve/platform-refs.js';
import { type ResolvedSystem, systemKey } from '../resolve/resolved.js';
import { contentDigest } from '../../core/canonical-json.js';
import { type Environments, environmentFiles, environmentObjects } from '../emit/layout.js';
import { openSink, type SinkRequest, type SinkResult } from '../emit/sink.js';
import type { Finding } from '../policy/finding.js';
import { prepareEnvironmentReview } from '../policy/gatekeeper/environment.js';
import { type Locator, ownershipConflicts } from '../policy/ownership.js';
import { type PolicySetSpec, preparePolicies } from '../policy/stage.js';
import type { RenderOptions } from '../render/base/context.js';
import type { ConceptRenderer } from '../render/system.js';
import type { RenderPool } from './pool.js';
import { compileSystem, type SystemResult } from './system.js';

export interface AnalyzeOptions extends LoadOptions {
  readonly cwd: string;
  /** Only these environments (all when absent). */
  readonly environments?: readonly string[];
  /** A platform config outside the given paths. */
  readonly platformFile?: string;
}

export interface Analysis {
  readonly documents: readonly LoadedDocument[];
  readonly systems: readonly ValidatedSystem[];
  readonly platform?: ValidatedPlatform;
  readonly resolved: readonly ResolvedSystem[];
  /** Where each system-environment's merged spec was written (`systemKey`). */
  readonly sourceMaps: ReadonlyMap<string, SourceMap>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Locates a pointer of a resolved system's spec (at its key), following environment overrides. */
export function locatorOf(analysis: Pick<Analysis, 'sourceMaps'>) {
  return (environment: string, system: string, pointer: string): SourceLocation | undefined => {
    const map = analysis.sourceMaps.get(systemKey(environment, system));
    return map && locate(map, pointer, true);
  };
}

function pickPlatform(
  platforms: readonly ValidatedPlatform[],
  systems: readonly ValidatedSystem[],
): { platform?: ValidatedPlatform; diagnostics: Diagnostic[] } {
  if (platforms.length === 1) return { platform: platforms[0], diagnostics: [] };
  if (platforms.length === 0) {
    if (systems.length === 0) return { diagnostics: [] };
    return {
      diagnostics: [
        error('no_platform', 'no platform config (`kind: Platform`) among the inputs', {
          hint: 'pass the directory that holds platform.yaml, or `--platform FILE`',
        }),
      ],
    };
  }
  return {
    diagnostics: platforms.slice(1).map((p) =>
      error(
        'duplicate_platform',
        `a second platform config ${quote(p.platform.metadata.name)}; only one is used per run`,
        {
          location: locate(p.document.locations, '/kind'),
          pointer: '/kind',
          hint: `keep one; the first is ${platforms[0]!.document.file}`,
        },
      ),
    ),
  };
}

export async function analyze(paths: readonly string[], options: AnalyzeOptions): Promise<Analysis> {
  const loaded = await loadPaths(options.platformFile ? [...paths, options.platformFile] : paths, options.cwd, options);
  const validated = validateDocuments(loaded.documents);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics, ...validated.diagnostics];
  const picked = pickPlatform(validated.platforms, validated.systems);
  diagnostics.push(...picked.diagnostics);
  if (loaded.documents.length === 0 && loaded.diagnostics.length === 0) {
    diagnostics.push(
      error('no_input', `no spec files found in ${paths.join(', ')}`, {
        hint: 'give spec files (.yaml, .yml, .json, .jsonnet) or directories that contain them',
      }),
    );
  }
  let resolved: ResolvedSystem[] = [];
  let sourceMaps: ReadonlyMap<string, SourceMap> = new Map();
  if (picked.platform) {
    for (const doc of validated.rejected) diagnostics.push(...platformReferences(doc, picked.platform));
    const r = resolveSystems(validated.systems, picked.platform, {
      environments: options.environments,
      cwd: options.cwd,
    });
    resolved = r.systems;
    sourceMaps = r.sourceMaps;
    diagnostics.push(...r.diagnostics);
  }
  return {
    documents: loaded.documents,
    systems: validated.systems,
    platform: picked.platform,
    resolved,
    sourceMaps,
    diagnostics,
  };
}

export interface CompileOptions {
  readonly sink: SinkRequest;
  readonly render?: RenderOptions;
  /** Run systems on these workers; in this thread when absent. The output is the same. */
  readonly pool?: RenderPool;
  /** The policies every system-environment is checked against; none when absent. */
  readonly policies?: PolicySetSpec;
  /** Locates spec pointers for errors about objects (ownership); without it, errors name the file only. */
  readonly locate?: Locator;
  /** Test hook: other renderers (in this thread only). */
  readonly renderers?: readonly ConceptRenderer[];
  /**
   * Results of an earlier compile in the same run, by input digest: a system-environment whose
   * input (the resolved system and the render options) is unchanged is not rendered again.
   * Only for sinks that keep nothing per file (digests, none).
   */
  readonly reuse?: ReadonlyMap<string, SystemResult>;
  /** Called as system-environments finish rendering, with how many of `total` are done. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface CompileOutcome {
  readonly systems: number;
  readonly objects: number;
  readonly files: number;
  /** Problems that stop the run: when not empty, nothing was written and `result` is absent. */
  readonly diagnostics: readonly Diagnostic[];
  readonly findings: readonly Finding[];
  readonly result?: SinkResult;
  /** Each system-environment's result, by input digest (`inputDigest`). */
  readonly results: ReadonlyMap<string, SystemResult>;
}

/** What a system-environment's output depends on: the resolved system and the render options. */
export const inputDigest = (system: ResolvedSystem, render: RenderOptions = {}): string =>
  contentDigest({ system, render });

export async function compile(systems: readonly ResolvedSystem[], options: CompileOptions): Promise<CompileOutcome> {
  const sink = await openSink(options.sink);
  try {
    const job = { render: options.render ?? {}, sink: sink.spec };
    const digests = systems.map((s) => inputDigest(s, job.render));
    const reused = options.reuse ?? new Map<string, SystemResult>();
    const todo = systems.filter((_, i) => !reused.has(digests[i]!));
    let rendered: SystemResult[];
    const progress = options.onProgress && ((done: number) => options.onProgress!(done, todo.length));
    if (options.pool && !options.renderers) {
      rendered = await options.pool.run(todo, job, options.policies, progress);
    } else {
      const policies = preparePolicies(options.policies);
      const local = options.renderers ? { ...job, renderers: options.renderers } : job;
      rendered = todo.map((s, i) => {
        const r = compileSystem(s, local, policies);
        progress?.(i + 1);
        return r;
      });
    }
    let next = 0;
    const results = digests.map((d) => reused.get(d) ?? rendered[next++]!);
    const environments = environmentObjects(results.map((r) => r.entry));
    const findings = [
      ...results.flatMap((r) => r.findings),
      ...environmentFindings(results, environments, options.policies),
    ];
    const locate = options.locate ?? (() => undefined);
    const conflicts = ownershipConflicts(
      results.flatMap((r) => r.claims),
      (env, system, pointer) => locate(env, system, pointer) ?? fileOf(systems, env, system),
    );
    if (conflicts.length > 0) {
      await sink.abandon();
      return { systems: 0, objects: 0, files: 0, diagnostics: conflicts, findings, results: new Map() };
    }
    const envFiles = environmentFiles(environments);
    const result = await sink.finish(results, envFiles);
    return {
      systems: results.length,
      objects: results.reduce((n, r) => n + r.objects, 0),
      files: results.reduce((n, r) => n + r.files, envFiles.length),
      diagnostics: [],
      findings,
      result,
      results: new Map(digests.map((d, i) => [d, results[i]!])),
    };
  } catch (e) {
    await sink.abandon();
    throw e;
  }
}

/**
 * What the Gatekeeper constraints find at the level of environments: the objects an environment
 * owns (Namespaces, quotas), and every object under a constraint that reads the inventory.
 */
function environmentFindings(
  results: readonly SystemResult[],
  environments: Environments,
  policies: PolicySetSpec | undefined,
): Finding[] {
  if (!policies?.gatekeeper?.constraints.length) return [];
  const review = prepareEnvironmentReview(policies.gatekeeper, policies.limits);
  const findings: Finding[] = [];
  for (const [environment, { systems, objects }] of environments) {
    const teams = new Map(systems.map((s) => [s.system, s.namespace.team]));
    findings.push(
      ...review.review({
        environment,
        objects: objects.map(({ file, object, systems: users }) => ({
          object,
          path: `${environment}/${file}`,
          system: users[0]!,
          pointer: `platform:/teams/${teams.get(users[0]!)}${object.kind === 'Namespace' ? '/namespace' : ''}`,
        })),
        held: results
          .filter((r) => r.entry.environment === environment && r.held.length > 0)
          .map((r) => ({ system: r.entry.system, cluster: r.entry.namespace.quota.cluster, objects: r.held })),
      }),
    );
  }
  return findings;
}

/** Without a source map, an error about a system's object is at least at its spec file. */
function fileOf(systems: readonly ResolvedSystem[], environment: string, system: string) {
  const s = systems.find((x) => x.environment === environment && x.name === system);
  return s && { file: s.source.file, line: 1, column: 1 };
}
