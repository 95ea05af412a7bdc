// `compile --check`: compare what compile would write with what `out/` holds, writing nothing.
// Each system's files are compared where they are rendered (on a render worker, when there
// are workers), so only paths travel back.
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareCodeUnits } from '../../core/compare.js';
import { OutFiles } from './out-files.js';

export interface CheckResult {
  readonly missing: readonly string[];
  readonly extra: readonly string[];
  readonly differing: readonly string[];
}

export const isClean = (r: CheckResult) => r.missing.length + r.extra.length + r.differing.length === 0;

/** How some files compare with `outDir`: which differ and which are not there. */
export interface FileComparison {
  readonly differing: string[];
  readonly missing: string[];
}

/**
 * Synchronous: awaiting tens of thousands of small reads one by one took seconds. Links are
 * not followed (out-files.ts): a link where a file should be differs.
 */
export function compareFiles(
  outDir: string,
  files: Iterable<readonly [string, string]>,
  into: FileComparison = { differing: [], missing: [] },
): FileComparison {
  const current = new OutFiles(outDir);
  for (const [path, content] of files) {
    const compared = current.compare(path, content);
    if (compared === 'missing') into.missing.push(path);
    else if (compared === 'different') into.differing.push(path);
  }
  return into;
}

/**
 * Every file under `dir`, as `/`-separated paths relative to `root`. Links are listed, not
 * followed (a linked folder is one extra entry).
 */
async function listFiles(root: string, dir = ''): Promise<string[]> {
  if (dir !== '') {
    const st = await lstat(join(root, dir)).catch(() => undefined);
    if (!st) return [];
    if (!st.isDirectory()) return [dir];
  }
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: string[] = [];
  for (const entry of entries) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out;
}

const sorted = (a: string[]) => a.sort(compareCodeUnits);

/**
 * The result of a check from compared files and every path compile would write: the rest of
 * `outDir` (only the `environments` folders, when given) is extra.
 */
export async function checkResult(
  outDir: string,
  compared: FileComparison,
  produced: Iterable<string>,
  environments?: readonly string[],
): Promise<CheckResult> {
  const scopes = environments ?? [''];
  const extra = new Set((await Promise.all(scopes.map((s) => listFiles(outDir, s)))).flat());
  for (const path of produced) extra.delete(path);
  return {
    missing: sorted([...compared.missing]),
    extra: sorted([...extra]),
    differing: sorted([...compared.differing]),
  };
}
