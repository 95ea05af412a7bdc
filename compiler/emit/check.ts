// `compile --check`: compare what compile would write with what `out/` holds, writing nothing.
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileTree } from './layout.js';

export interface CheckResult {
  readonly missing: readonly string[];
  readonly extra: readonly string[];
  readonly differing: readonly string[];
}

export const isClean = (r: CheckResult) => r.missing.length + r.extra.length + r.differing.length === 0;

/** Every file under `dir`, as `/`-separated paths relative to `root`. */
async function listFiles(root: string, dir = ''): Promise<string[]> {
  let entries;
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

/** With `environments`, only those folders of `out/` are compared. */
export async function checkTree(outDir: string, tree: FileTree, environments?: readonly string[]): Promise<CheckResult> {
  const scopes = environments ?? [''];
  const actual = new Set((await Promise.all(scopes.map((s) => listFiles(outDir, s)))).flat());
  const missing: string[] = [];
  const differing: string[] = [];
  for (const [path, content] of tree) {
    if (!actual.has(path)) missing.push(path);
    // Synchronous: awaiting tens of thousands of small reads one by one took seconds.
    else if (readFileSync(join(outDir, path), 'utf8') !== content) differing.push(path);
    actual.delete(path);
  }
  const sort = (a: string[]) => a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return { missing: sort(missing), extra: sort([...actual]), differing: sort(differing) };
}
