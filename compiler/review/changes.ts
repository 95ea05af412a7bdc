// What a pull request does to the cluster: the objects each environment gains, changes and loses
// (from the digests of every output file, before and after), and the change in CPU, memory and
// GPU requests and limits per environment.
import { compareCodeUnits } from '../../core/compare.js';
import type { FileTree } from '../emit/layout.js';
import type { CompileOutcome } from '../pipeline/pipeline.js';
import { type Amounts, add, type Footprint, NO_FOOTPRINT } from '../render/base/footprint.js';

export type ChangeKind = 'added' | 'changed' | 'removed';

export interface FileChange {
  readonly environment: string;
  /** The system folder, or undefined for environment-level files. */
  readonly system?: string;
  /** The path under the output folder. */
  readonly path: string;
  readonly change: ChangeKind;
}

export interface EnvironmentChanges {
  readonly environment: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly before: Footprint;
  readonly after: Footprint;
}

export interface Changes {
  /** The base as given (`origin/main`, a folder). */
  readonly base: string;
  readonly files: readonly FileChange[];
  readonly environments: readonly EnvironmentChanges[];
  /** `environment/system` pairs whose files changed (added and removed systems included). */
  readonly systems: readonly string[];
}

function digestsOf(outcome: CompileOutcome): FileTree {
  return outcome.result?.kind === 'digests' ? outcome.result.digests : new Map();
}

function footprints(outcome: CompileOutcome): Map<string, Footprint> {
  const byEnv = new Map<string, Footprint>();
  for (const r of outcome.results.values()) {
    const env = r.entry.environment;
    const f = byEnv.get(env) ?? NO_FOOTPRINT;
    byEnv.set(env, { requests: add(f.requests, r.footprint.requests), limits: add(f.limits, r.footprint.limits) });
  }
  return byEnv;
}

export function compareOutcomes(base: string, before: CompileOutcome, after: CompileOutcome): Changes {
  const old = digestsOf(before);
  const now = digestsOf(after);
  const files: FileChange[] = [];
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort(compareCodeUnits);
  for (const path of paths) {
    const a = old.get(path);
    const b = now.get(path);
    if (a === b) continue;
    const parts = path.split('/');
    files.push({
      environment: parts[0]!,
      ...(parts.length > 2 ? { system: parts[1]! } : {}),
      path,
      change: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
    });
  }
  const fpBefore = footprints(before);
  const fpAfter = footprints(after);
  const envs = [...new Set([...fpBefore.keys(), ...fpAfter.keys(), ...files.map((f) => f.environment)])].sort(
    compareCodeUnits,
  );
  const environments = envs.map((environment) => {
    const here = files.filter((f) => f.environment === environment);
    return {
      environment,
      added: here.filter((f) => f.change === 'added').length,
      changed: here.filter((f) => f.change === 'changed').length,
      removed: here.filter((f) => f.change === 'removed').length,
      before: fpBefore.get(environment) ?? NO_FOOTPRINT,
      after: fpAfter.get(environment) ?? NO_FOOTPRINT,
    };
  });
  const systems = [...new Set(files.filter((f) => f.system).map((f) => `${f.environment}/${f.system}`))].sort(
    compareCodeUnits,
  );
  return { base, files, environments, systems };
}

export const delta = (a: Amounts, b: Amounts): Amounts => ({
  cpu: b.cpu - a.cpu,
  memory: b.memory - a.memory,
  gpu: b.gpu - a.gpu,
});
