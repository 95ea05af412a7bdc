// Writing `out/` atomically: the new tree is written to a temporary folder beside it, then
// swapped in by two renames (old → `.out.old-*`, new → `out`). A compile that fails or is
// killed before the swap leaves `out/` untouched; one killed between the two renames leaves
// `.out.old-*`, which the next run puts back before doing anything else. Files of removed
// systems disappear because the whole tree is replaced.
//
// With `environments` (compile --env), only those environment folders are replaced: every
// other entry of the current `out/` is copied into the new tree first, so the swap is still
// one step.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FileTree } from './layout.js';

export interface WriteOptions {
  /** Replace only these top-level folders of `out/`; all of `out/` when absent. */
  readonly environments?: readonly string[];
  /** Test hook: called after each file is written (a throw simulates a failure mid-write). */
  readonly afterFile?: (path: string) => void;
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
      await rm(join(parent, leftover), { recursive: true, force: true });
    }
  }
}

/**
 * Synchronous on purpose: for tens of thousands of small files, the promise machinery of
 * fs/promises cost more CPU than the writes themselves, and nothing else runs meanwhile.
 */
function writeFiles(root: string, tree: FileTree, afterFile?: (path: string) => void): void {
  const dirs = new Set<string>();
  for (const path of tree.keys()) dirs.add(dirname(path));
  for (const d of [...dirs].sort()) mkdirSync(join(root, d), { recursive: true });
  for (const [path, content] of tree) {
    writeFileSync(join(root, path), content);
    afterFile?.(path);
  }
}

export async function writeTree(outDir: string, tree: FileTree, options: WriteOptions = {}): Promise<void> {
  await recoverInterruptedSwap(outDir);
  const parent = dirname(outDir);
  const base = basename(outDir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${base}.tmp-${tag}`);
  const old = join(parent, `.${base}.old-${tag}`);
  try {
    await mkdir(tmp);
    if (options.environments && (await exists(outDir))) {
      const replaced = new Set(options.environments);
      for (const entry of (await readdir(outDir)).sort()) {
        if (!replaced.has(entry)) await cp(join(outDir, entry), join(tmp, entry), { recursive: true });
      }
    }
    writeFiles(tmp, tree, options.afterFile);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const hadOut = await exists(outDir);
  if (hadOut) await rename(outDir, old);
  await rename(tmp, outDir);
  if (hadOut) await rm(old, { recursive: true, force: true });
}
