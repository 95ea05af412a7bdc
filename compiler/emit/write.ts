// Writing `out/` atomically: the new tree is written to a temporary folder beside it, then
// swapped in by two renames (old → `.out.old-*`, new → `out`). A compile that fails or is
// killed before the swap leaves `out/` untouched; one killed between the two renames leaves
// `.out.old-*`, which the next run puts back before doing anything else. Files of removed
// systems disappear because the whole tree is replaced.
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
import { linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FileTree } from './layout.js';

export interface WriteOptions {
  /** Replace only these top-level folders of `out/`; all of `out/` when absent. */
  readonly environments?: readonly string[];
  /** Test hook: called after each file is written (a throw simulates a failure mid-write). */
  readonly afterFile?: (path: string) => void;
}

/** A new tree being written: `dir` is swapped in as `outDir` by `commitTree`. */
export interface StagedTree {
  readonly outDir: string;
  readonly dir: string;
  /** Where the current `out/` goes during the swap. */
  readonly old: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Undo a swap interrupted between its two renames, and remove leftovers of dead runs. */
export async function recoverInterruptedSwap(outDir: string): Promise<void> {
  const parent = dirname(outDir);
  const base = basename(outDir);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return;
  }
  const prefix = (kind: string) => `.${base}.${kind}-`;
  const mine = (kind: string) => entries.filter((e) => e.startsWith(prefix(kind))).sort();
  const olds = mine('old');
  if (!(await exists(outDir)) && olds.length > 0) await rename(join(parent, olds[olds.length - 1]!), outDir);
  for (const kind of ['old', 'tmp']) {
    for (const leftover of mine(kind)) {
      if (!(await exists(join(parent, leftover)))) continue;
      const pid = Number(leftover.slice(prefix(kind).length).split('-')[0]);
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) continue;
      await removeTree(join(parent, leftover));
    }
  }
}

/**
 * Remove a generated tree. Unlinking tens of thousands of files waits mostly on the disk, not
 * the CPU, so the folders two levels down (`<env>/<system>`) are removed concurrently.
 */
export async function removeTree(dir: string): Promise<void> {
  const children = async (d: string) =>
    (await readdir(d, { withFileTypes: true }).catch(() => []))
      .filter((e) => e.isDirectory())
      .map((e) => join(d, e.name));
  const grandchildren = (await Promise.all((await children(dir)).map(children))).flat();
  await Promise.all(grandchildren.map((d) => rm(d, { recursive: true, force: true })));
  await rm(dir, { recursive: true, force: true });
}

/** Where files go: the staged folder, and the current tree whose unchanged files are linked. */
export interface FileTarget {
  readonly root: string;
  readonly current?: string;
}

/** Hard-link `from` to `to` when `from` holds exactly `content`; false when it does not or cannot. */
function linkUnchanged(from: string, to: string, content: string): boolean {
  let existing: string;
  try {
    existing = readFileSync(from, 'utf8');
  } catch {
    return false;
  }
  if (existing !== content) return false;
  try {
    linkSync(from, to);
    return true;
  } catch {
    return false; // a file system without hard links, or another device: write instead
  }
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
  for (const [path, content] of files) {
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(join(target.root, dir), { recursive: true });
      made.add(dir);
    }
    const to = join(target.root, path);
    if (target.current === undefined || !linkUnchanged(join(target.current, path), to, content))
      writeFileSync(to, content);
    afterFile?.(path);
  }
}

/** Copy a kept folder into the new tree as hard links; files are copied where links fail. */
async function linkTree(from: string, to: string): Promise<void> {
  if (!(await stat(from)).isDirectory()) {
    await link(from, to).catch(() => copyFile(from, to));
    return;
  }
  await mkdir(to);
  for (const entry of await readdir(from)) await linkTree(join(from, entry), join(to, entry));
}

/** Create the temporary folder of a new tree (with the kept environments copied into it). */
export async function stageTree(outDir: string, options: WriteOptions = {}): Promise<StagedTree> {
  await recoverInterruptedSwap(outDir);
  const parent = dirname(outDir);
  const base = basename(outDir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staged = { outDir, dir: join(parent, `.${base}.tmp-${tag}`), old: join(parent, `.${base}.old-${tag}`) };
  try {
    await mkdir(staged.dir);
    if (options.environments && (await exists(outDir))) {
      const replaced = new Set(options.environments);
      for (const entry of (await readdir(outDir)).sort()) {
        if (!replaced.has(entry)) await linkTree(join(outDir, entry), join(staged.dir, entry));
      }
    }
  } catch (e) {
    await discardTree(staged);
    throw e;
  }
  return staged;
}

/** Give up a staged tree (a failure before the swap): `out/` stays as it was. */
export async function discardTree(staged: StagedTree): Promise<void> {
  await removeTree(staged.dir);
}

/** Swap the staged tree in, then remove the previous one. */
export async function commitTree(staged: StagedTree): Promise<void> {
  const hadOut = await exists(staged.outDir);
  if (hadOut) await rename(staged.outDir, staged.old);
  await rename(staged.dir, staged.outDir);
  if (hadOut) await removeTree(staged.old);
}

/** Where the files of a staged tree go. */
export const fileTarget = (staged: StagedTree): FileTarget => ({ root: staged.dir, current: staged.outDir });

export async function writeTree(outDir: string, tree: FileTree, options: WriteOptions = {}): Promise<void> {
  const staged = await stageTree(outDir, options);
  try {
    writeFiles(fileTarget(staged), tree, options.afterFile);
  } catch (e) {
    await discardTree(staged);
    throw e;
  }
  await commitTree(staged);
}
