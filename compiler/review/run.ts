// What `validate`, `compile` and `check` share: analyze the specs, load the policies, run every
// system-environment through render → policy → a sink, and review the findings. Policies come
// from the repository's `policies/` folder (next to the folder that holds the platform config,
// or inside it) and from the folders the platform config lists under `policy.paths`.
import { isDirectory } from '../../core/files.js';
import { dirname, relative, resolve } from 'node:path';
import { error, hasErrors, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { SinkRequest } from '../emit/sink.js';
import { type PolicySet, loadPolicySet } from '../policy/policy-set.js';
import { type Analysis, analyze, type CompileOutcome, compile, locatorOf } from '../pipeline/pipeline.js';
import type { RenderPool } from '../pipeline/pool.js';
import type { RenderOptions } from '../render/base/context.js';
import { platformPolicies } from './platform-policies.js';
import { policyScopeProblems, repositoryPolicyFolders } from './policy-scope.js';
import { buildReview, type Review } from './review.js';

export interface RunOptions {
  readonly cwd: string;
  readonly paths: readonly string[];
  readonly environments?: readonly string[];
  readonly platformFile?: string;
  readonly jsonnetSeconds?: number;
  /** False for `--no-policies`. */
  readonly policies: boolean;
  /** More policy folders (`--policies DIR`). */
  readonly policyPaths?: readonly string[];
  readonly sink: SinkRequest;
  readonly render?: RenderOptions;
  readonly pool?: RenderPool;
  /** The output folder as shown, for the files of rendered objects in findings. */
  readonly outShown: string;
  /** Today, YYYY-MM-DD (UTC), for waiver expiry. */
  readonly today: string;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RunResult {
  readonly analysis: Analysis;
  /** Problems that stop the run (invalid specs, a policy that does not compile, collisions). */
  readonly diagnostics: readonly Diagnostic[];
  readonly policySet?: PolicySet;
  readonly outcome?: CompileOutcome;
  readonly review?: Review;
}

const shownPath = (cwd: string, abs: string) => relative(cwd, abs).split('\\').join('/') || '.';

/** The policy folders of a run, as absolute paths, with a problem for each listed one that is missing. */
export function policyRoots(analysis: Analysis, options: RunOptions): { roots: string[]; problems: Diagnostic[] } {
  const roots: string[] = [];
  const problems: Diagnostic[] = [];
  const platform = analysis.platform;
  if (platform) {
    const dir = dirname(resolve(options.cwd, platform.document.file));
    const repo = repositoryPolicyFolders(dir).find(isDirectory);
    if (repo) roots.push(repo);
    for (const p of platform.platform.policy?.paths ?? []) {
      const abs = resolve(dir, p);
      if (isDirectory(abs)) roots.push(abs);
      else
        problems.push(
          error('policy_path_missing', `policy folder \`${p}\` (from the platform config) does not exist`, {
            location: { file: platform.document.file, line: 1, column: 1 },
            hint: 'Fix `policy.paths` in the platform config: paths are relative to the platform config file.',
          }),
        );
    }
  }
  for (const p of options.policyPaths ?? []) {
    const abs = resolve(options.cwd, p);
    if (isDirectory(abs)) roots.push(abs);
    else problems.push(error('policy_path_missing', `--policies \`${p}\` is not a folder`));
  }
  return { roots: [...new Set(roots)], problems };
}

export async function runChecks(options: RunOptions): Promise<RunResult> {
  const analysis = await analyze(options.paths, {
    cwd: options.cwd,
    ...(options.environments ? { environments: options.environments } : {}),
    ...(options.platformFile ? { platformFile: options.platformFile } : {}),
    ...(options.jsonnetSeconds !== undefined ? { jsonnetSeconds: options.jsonnetSeconds } : {}),
  });
  if (hasErrors(analysis.diagnostics)) return { analysis, diagnostics: analysis.diagnostics };
  let policySet: PolicySet | undefined;
  if (options.policies) {
    const outside = policyScopeProblems(analysis, options.cwd, options.policyPaths);
    if (outside.length > 0) return { analysis, diagnostics: [...analysis.diagnostics, ...outside] };
    const { roots, problems } = policyRoots(analysis, options);
    const loaded = roots.length > 0 ? loadPolicySet(roots, options.cwd) : { diagnostics: [] };
    const platform = platformPolicies(analysis, options.cwd);
    const diagnostics = [...problems, ...loaded.diagnostics, ...platform.diagnostics];
    if (hasErrors(diagnostics)) return { analysis, diagnostics: [...analysis.diagnostics, ...diagnostics] };
    policySet = platform.join(
      loaded.set,
      roots.map((r) => shownPath(options.cwd, r)),
    );
  }
  const outcome = await compile(analysis.resolved, {
    sink: options.sink,
    locate: locatorOf(analysis),
    ...(options.render ? { render: options.render } : {}),
    ...(options.pool ? { pool: options.pool } : {}),
    ...(policySet ? { policies: policySet.spec } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const diagnostics = [...analysis.diagnostics, ...outcome.diagnostics];
  if (outcome.diagnostics.length > 0) return { analysis, diagnostics, ...(policySet ? { policySet } : {}), outcome };
  const review = buildReview(analysis, policySet?.policies ?? [], outcome.findings, {
    outShown: options.outShown,
    today: options.today,
  });
  return { analysis, diagnostics, ...(policySet ? { policySet } : {}), outcome, review };
}

/** Today in UTC as YYYY-MM-DD. */
export const todayUtc = (now: Date = new Date()): string => now.toISOString().slice(0, 10);
