// What `mlspec compile` does after analysis: render the systems, on a pool of worker threads
// or in this thread, and either write them into a staged tree that is swapped in as `out/`,
// or compare them with `out/` (`--check`). The main thread loads cdk8s only when it renders itself.
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { ResolvedSystem } from '../resolve/resolved.js';
import type { RenderOptions } from '../render/context.js';
import { environmentFiles } from './layout.js';
import type { RenderPool } from './render-pool.js';
import type { WrittenSystem } from './result.js';
import { checkResult, compareFiles, type CheckResult } from './check.js';
import { commitTree, discardTree, fileTarget, stageTree, writeFiles } from './write.js';

export interface EmitOptions {
  readonly render: RenderOptions;
  /** Replace only these environment folders of `out/`. */
  readonly environments?: readonly string[];
  /** Render on these workers; in this thread when absent. */
  readonly pool?: RenderPool;
}

export interface EmitSummary {
  readonly systems: number;
  readonly objects: number;
  readonly files: number;
  /** When not empty, nothing was written. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Render and write `outDir` atomically; on any diagnostic or failure `outDir` stays as it was. */
export async function compileToDir(
  systems: readonly ResolvedSystem[],
  outDir: string,
  options: EmitOptions,
): Promise<EmitSummary> {
  const staged = await stageTree(outDir, options.environments ? { environments: options.environments } : {});
  const target = fileTarget(staged);
  try {
    const { written, diagnostics } = options.pool
      ? await options.pool.write(systems, options.render, target)
      : (await import('./compile.js')).writeOutputs(systems, options.render, target);
    if (diagnostics.length > 0) {
      await discardTree(staged);
      return { systems: 0, objects: 0, files: 0, diagnostics };
    }
    const envFiles = environmentFiles(written);
    writeFiles(target, envFiles);
    await commitTree(staged);
    return totals(
      written,
      written.reduce((n, w) => n + w.files, envFiles.length),
    );
  } catch (e) {
    await discardTree(staged);
    throw e;
  }
}

/** A summary with, after `--check`, how `out/` differs (absent on diagnostics, and after a write). */
export type CheckSummary = EmitSummary & { readonly result?: CheckResult };

/** Render and compare with `outDir`, writing nothing (--check). */
export async function checkDir(
  systems: readonly ResolvedSystem[],
  outDir: string,
  options: EmitOptions,
): Promise<CheckSummary> {
  const { checked, differing, missing, diagnostics } = options.pool
    ? await options.pool.check(systems, options.render, outDir)
    : (await import('./compile.js')).checkOutputs(systems, options.render, outDir);
  if (diagnostics.length > 0) return { systems: 0, objects: 0, files: 0, diagnostics };
  const envFiles = environmentFiles(checked);
  const compared = compareFiles(outDir, envFiles, { differing, missing });
  const produced = [...checked.flatMap((c) => c.paths), ...envFiles.map(([path]) => path)];
  const result = await checkResult(outDir, compared, produced, options.environments);
  return { ...totals(checked, produced.length), result };
}

function totals(systems: readonly WrittenSystem[], files: number): EmitSummary {
  return { systems: systems.length, objects: systems.reduce((n, s) => n + s.objects, 0), files, diagnostics: [] };
}
