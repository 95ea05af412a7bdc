// Writing `out/` atomically: the new tree is written into a staging folder beside it, then
// swapped in by two renames (old → staging folder, new → `out`). A compile that fails or is
// killed before the swap leaves `out/` untouched; one killed between the two renames leaves the
// previous tree in its staging folder, which the next compile puts back before doing anything
// else. One compile writes at a time (a lock beside `out/`). Files of removed systems disappear
// because the whole tree is replaced. staging.ts has the folders, the lock and the recovery.
//
// With `environments` (compile --env), only those environment folders are replaced: every
// other entry of the current `out/` is copied into the new tree first, so the swap is still
// one step.
//
// The steps are separate (`stageTree` → files written by anyone → `commitTree`) so that
// render workers can write their systems' files into the staged folder themselves.
//
// A file whose content is unchanged is hard-linked from the current `out/` instead of written:
// recompiling usually changes few files, and removing the previous tree then only drops links.
// Freeing the blocks of tens of thousands of flushed files took seconds of disk time, more
// than writing them.
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { constants, copyFile, link, lstat, mkdir, readdir, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { error, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { FileTree } from './layout.js';
import { OutFiles } from './out-files.js';
import { OutputRefused } from './refused.js';
import {
  acquireLock,
  createStage,
  exists,
  isRealFolder,
  recoverStages,
  releaseLock,
  removeStage,
  type Stage,
} from './staging.js';

export interface WriteOptions {
  /** Replace only these top-level folders of `out/`; all of `out/` when absent. */
  readonly environments?: readonly string[];
  /** Test hook: called after each file is written (a throw simulates a failure mid-write). */
  readonly afterFile?: (path: string) => void;
  /** Test hook: called between the two renames of the swap. */
  readonly betweenRenames?: () => Promise<void>;
}

/** A new tree being written: `dir` is swapped in as `outDir` by `commitTree`. */
export interface StagedTree {
  readonly outDir: string;
  readonly dir: string;
  readonly stage: Stage;
  readonly lock: string;
  /** What recovering from earlier compiles could not clean up. */
  readonly warnings: readonly Diagnostic[];
}

/** Where files go: the staged folder, and the current tree whose unchanged files are linked. */
export interface FileTarget {
  readonly root: string;
  readonly current?: string;
}

/**
 * Write files under the target's root, creating their folders. Synchronous on purpose: for
 * tens of thousands of small files, the promise machinery of fs/promises cost more CPU than the
 * writes themselves, and nothing else runs meanwhile on this thread.
 */
export function writeFiles(
  target: FileTarget,
  files: Iterable<readonly [string, string]>,
  afterFile?: (path: string) => void,
): void {
  const made = new Set<string>();
  const current = target.current === undefined ? undefined : new OutFiles(target.current);
  for (const [path, content] of files) {
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(join(target.root, dir), { recursive: true });
      made.add(dir);
    }
    const to = join(target.root, path);
    if (current?.compare(path, content) !== 'same' || !linked(join(current.root, path), to)) writeFileSync(to, content);
    afterFile?.(path);
  }
}

function linked(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch {
    return false; // a file system without hard links, or another device: write instead
  }
}

/**
 * Copy a kept folder of the current `out/` into the new tree as hard links (copies where links
 * fail). Only real folders and regular files are kept: a link or a pipe is not something
 * mlspec wrote, and following it would publish what it points to.
 */
async function keepTree(from: string, to: string, shown: string): Promise<void> {
  const st = await lstat(from);
  if (st.isDirectory()) {
    await mkdir(to);
    for (const entry of (await readdir(from)).sort())
      await keepTree(join(from, entry), join(to, entry), `${shown}/${entry}`);
    return;
  }
  if (!st.isFile())
    throw new OutputRefused(
      error(
        'out_not_owned',
        `${shown} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}, which mlspec does not write; ` +
          'compile --env keeps the other environments and would copy it; nothing written',
        { hint: 'Remove it: the output folder holds only what mlspec generates (a full compile rewrites it).' },
      ),
    );
  await link(from, to).catch(() => copyFile(from, to, constants.COPYFILE_EXCL));
}

/** Create the staging folder of a new tree (with the kept environments copied into it). */
export async function stageTree(outDir: string, options: WriteOptions = {}): Promise<StagedTree> {
  await mkdir(dirname(outDir), { recursive: true });
  const lock = await acquireLock(outDir);
  let stage: Stage | undefined;
  try {
    const warnings = await recoverStages(outDir);
    stage = await createStage(outDir);
    if (options.environments && (await isRealFolder(outDir))) {
      const replaced = new Set(options.environments);
      for (const entry of (await readdir(outDir)).sort()) {
        if (!replaced.has(entry))
          await keepTree(join(outDir, entry), join(stage.tree, entry), `${basename(outDir)}/${entry}`);
      }
    }
    return { outDir, dir: stage.tree, stage, lock, warnings };
  } catch (e) {
    if (stage) await removeStage(stage.folder);
    await releaseLock(lock);
    throw e;
  }
}

/** Give up a staged tree (a failure before the swap): `out/` stays as it was. */
export async function discardTree(staged: StagedTree): Promise<void> {
  await removeStage(staged.stage.folder);
  await releaseLock(staged.lock);
}

/**
 * Swap the staged tree in, then remove the previous one. Returns warnings: what could not be
 * cleaned up (the new `out/` is in place all the same).
 */
export async function commitTree(staged: StagedTree, options: WriteOptions = {}): Promise<Diagnostic[]> {
  const { outDir, stage } = staged;
  try {
    const hadOut = await exists(outDir);
    if (hadOut) await rename(outDir, stage.old);
    try {
      await options.betweenRenames?.();
      await rename(stage.tree, outDir);
    } catch (e) {
      if (hadOut) await rename(stage.old, outDir);
      throw e;
    }
  } catch (e) {
    await discardTree(staged);
    throw e;
  }
  const left = await removeStage(stage.folder);
  await releaseLock(staged.lock);
  return [...staged.warnings, ...(left ? [left] : [])];
}

/** Where the files of a staged tree go. */
export const fileTarget = (staged: StagedTree): FileTarget => ({ root: staged.dir, current: staged.outDir });

export async function writeTree(outDir: string, tree: FileTree, options: WriteOptions = {}): Promise<Diagnostic[]> {
  const staged = await stageTree(outDir, options);
  try {
    writeFiles(fileTarget(staged), tree, options.afterFile);
  } catch (e) {
    await discardTree(staged);
    throw e;
  }
  return commitTree(staged, options);
}
