// The folders a compile writes beside `out/`, and how the next compile cleans up after one that
// was killed. For `--out <dir>/<name>`:
//
//   <dir>/.<name>.lock                one compile writes at a time; it holds the writer's pid
//   <dir>/.<name>.stage-<pid>-<hex>/  one compile's staging folder:
//       mlspec-staging                  marker: this folder is mlspec's to remove
//       tree/                           the new out/, swapped in by a rename
//       old/                            the previous out/, during the swap
//
// These names sit in the repository's working tree, where a pull request can commit anything
// under them (a link `.out.stage-1-x -> /home`, a folder holding a forged marker). So nothing
// here follows a link: a staging folder is recognised by lstat (a real folder of this user) and
// by its marker (a regular file, read without following links), and only such folders are
// removed or restored from. A forged one inside the repository is at worst removed.
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { chmod, lstat, mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { error, type Diagnostic, warning } from '../../core/diagnostics/diagnostic.js';
import { readFileLimited } from '../../core/read-file.js';
import { OutputRefused } from './refused.js';

/** The .gitignore pattern of these files for the default `out/`. */
export const OUT_WORK_FILES = '.out.*';

const MARKER = 'mlspec-staging';
const MARKER_TEXT = 'A staging folder of `mlspec compile`: removed when the compile ends, or by the next compile.\n';

/** One compile's staging folder. */
export interface Stage {
  readonly folder: string;
  /** The new tree, renamed to `out/` by the swap. */
  readonly tree: string;
  /** Where the previous `out/` goes during the swap. */
  readonly old: string;
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch {
    return undefined;
  }
}

/** A real folder (not a link to one). */
export const isRealFolder = async (path: string) => (await lstatOrUndefined(path))?.isDirectory() === true;

export const exists = async (path: string) => (await lstatOrUndefined(path)) !== undefined;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const lockPath = (outDir: string) => join(dirname(outDir), `.${basename(outDir)}.lock`);

/** Lock files this process holds: a second compile in the same process is refused too. */
const held = new Set<string>();

function lockHolder(path: string): number | undefined {
  try {
    const read = readFileLimited(path, 32);
    const pid = read.kind === 'file' ? /^([1-9][0-9]*)\n$/.exec(read.bytes.toString('latin1'))?.[1] : undefined;
    return pid === undefined ? undefined : Number(pid);
  } catch {
    return undefined;
  }
}

function busy(outDir: string, pid: number | undefined): OutputRefused {
  const name = basename(outDir);
  return new OutputRefused(
    error(
      'out_busy',
      `another mlspec compile${pid === undefined ? '' : ` (pid ${pid})`} is writing ${name}/; nothing written`,
      {
        hint: `Run again when it has finished. If no compile is running, delete \`.${name}.lock\` beside ${name}/.`,
      },
    ),
  );
}

function notALock(outDir: string): OutputRefused {
  const name = basename(outDir);
  return new OutputRefused(
    error('out_not_owned', `\`.${name}.lock\` beside ${name}/ is a folder, not mlspec's lock; nothing written`, {
      hint: 'Remove it: compile keeps its lock file there.',
    }),
  );
}

/**
 * Take the lock of `outDir`, or throw OutputRefused when a live compile holds it. A lock whose
 * compile is gone (killed) is taken over.
 */
export async function acquireLock(outDir: string): Promise<string> {
  const path = lockPath(outDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (held.has(path)) throw busy(outDir, process.pid);
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      held.add(path);
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = lockHolder(path);
    if (holder !== undefined && holder !== process.pid && alive(holder)) throw busy(outDir, holder);
    if ((await lstatOrUndefined(path))?.isDirectory()) throw notALock(outDir);
    // Left by a compile that is gone. A link here is removed, never followed.
    await unlink(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
  throw busy(outDir, undefined);
}

export async function releaseLock(path: string): Promise<void> {
  held.delete(path);
  await rm(path, { force: true });
}

/** Create this compile's staging folder beside `outDir`, marked as mlspec's. */
export async function createStage(outDir: string): Promise<Stage> {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const folder = join(dirname(outDir), `.${basename(outDir)}.stage-${tag}`);
  await mkdir(folder);
  await writeFile(join(folder, MARKER), MARKER_TEXT, { flag: 'wx' });
  await mkdir(join(folder, 'tree'));
  return { folder, tree: join(folder, 'tree'), old: join(folder, 'old') };
}

/** A staging folder mlspec created: a real folder of this user holding the marker. */
async function isStage(folder: string): Promise<boolean> {
  const st = await lstatOrUndefined(folder);
  if (!st?.isDirectory()) return false;
  if (process.getuid && st.uid !== process.getuid()) return false;
  try {
    const read = readFileLimited(join(folder, MARKER), MARKER_TEXT.length);
    return read.kind === 'file' && read.complete && read.bytes.toString('utf8') === MARKER_TEXT;
  } catch {
    return false;
  }
}

/**
 * Clean up after compiles that were killed (called holding the lock, so none is running): a
 * previous `out/` left in a staging folder by a swap interrupted between its two renames is put
 * back, then the staging folders are removed. What cannot be removed is reported, not fatal.
 */
export async function recoverStages(outDir: string): Promise<Diagnostic[]> {
  const parent = dirname(outDir);
  const prefix = `.${basename(outDir)}.stage-`;
  const warnings: Diagnostic[] = [];
  for (const name of (await readdir(parent)).filter((n) => n.startsWith(prefix)).sort()) {
    const folder = join(parent, name);
    if (!(await isStage(folder))) continue;
    const old = join(folder, 'old');
    if (!(await exists(outDir)) && (await isRealFolder(old))) await rename(old, outDir);
    const left = await removeStage(folder);
    if (left) warnings.push(left);
  }
  return warnings;
}

/** Make the real folders of a tree writable by their owner (links are not followed), so it can be removed. */
async function makeWritable(dir: string): Promise<void> {
  const st = await lstatOrUndefined(dir);
  if (!st?.isDirectory()) return;
  await chmod(dir, st.mode | 0o700).catch(() => {});
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) if (e.isDirectory()) await makeWritable(join(dir, e.name));
}

/**
 * Remove a staging folder; undefined when done, else a warning saying what is left. A previous
 * out/ inside it may hold folders someone made read-only: they are made writable first (only
 * inside this staging folder, which mlspec created).
 */
export async function removeStage(folder: string): Promise<Diagnostic | undefined> {
  try {
    await removeTree(folder);
    return undefined;
  } catch {
    await makeWritable(folder);
  }
  try {
    await removeTree(folder);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return warning('leftover_not_removed', `could not remove mlspec's staging folder ${folder} (${code})`, {
      hint: 'Remove it by hand; the next compile tries again. It does not affect the output.',
    });
  }
}

/**
 * Remove a tree (a real folder: Node's recursive rm removes links inside it without following
 * them). Unlinking tens of thousands of files waits mostly on the disk, not the CPU, so the
 * folders three levels down (`tree/<env>/<system>`) are removed concurrently.
 */
async function removeTree(dir: string): Promise<void> {
  const children = async (d: string) =>
    (await readdir(d, { withFileTypes: true }).catch(() => []))
      .filter((e) => e.isDirectory())
      .map((e) => join(d, e.name));
  let level = [dir];
  for (let depth = 0; depth < 3; depth++) level = (await Promise.all(level.map(children))).flat();
  await Promise.all(level.map((d) => rm(d, { recursive: true, force: true })));
  await rm(dir, { recursive: true, force: true });
}
