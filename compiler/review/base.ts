// The base of a comparison (`check --base REF`): a folder, or a git revision of the repository
// the command runs in, whose spec files are read with git into a temporary folder (the work tree
// is never touched). Only the files under the given spec paths are read.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface BaseTree {
  /** Where the base's spec paths are found (the same relative paths as at the head). */
  readonly cwd: string;
  readonly cleanup: () => void;
}

export class BaseError extends Error {}

function git(args: readonly string[], cwd: string, input?: Buffer): Buffer {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30 });
  if (r.error) throw new BaseError(`cannot run git: ${r.error.message}`);
  if (r.status !== 0) throw new BaseError(r.stderr.toString('utf8').trim() || `git ${args[0]} failed`);
  return r.stdout;
}

/** The base given by `--base`: an existing folder as it is, else a git revision read into a temporary folder. */
export function openBase(ref: string, cwd: string, paths: readonly string[]): BaseTree {
  const folder = resolve(cwd, ref);
  if (existsSync(folder) && statSync(folder).isDirectory()) return { cwd: folder, cleanup: () => {} };
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], cwd).toString('utf8').trim();
  } catch {
    throw new BaseError(`\`${ref}\` is not a folder, and ${cwd} is not in a git repository`);
  }
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
  } catch {
    throw new BaseError(`\`${ref}\` is neither a folder nor a git revision of this repository`);
  }
  const offset = relative(top, cwd);
  const prefixes = paths.map((p) => relative(top, resolve(cwd, p)).split(sep).join('/'));
  if (prefixes.some((p) => p.startsWith('..')))
    throw new BaseError('with a git revision as base, the spec paths must lie inside the repository');
  const tmp = mkdtempSync(join(tmpdir(), 'mlspec-base-'));
  try {
    extract(ref, top, prefixes, tmp);
    mkdirSync(join(tmp, offset), { recursive: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { cwd: join(tmp, offset), cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** Regular files of `ref` under `prefixes`, written below `into` (links and submodules are left out). */
function extract(ref: string, top: string, prefixes: readonly string[], into: string): void {
  const listing = git(['ls-tree', '-r', '-z', '--full-tree', ref, '--', ...prefixes], top).toString('utf8');
  const files: { sha: string; path: string }[] = [];
  for (const entry of listing.split('\0')) {
    const m = /^(\d+) blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (!m || m[1] === '120000') continue;
    files.push({ sha: m[2]!, path: m[3]! });
  }
  if (files.length === 0) return;
  const out = git(['cat-file', '--batch'], top, Buffer.from(`${files.map((f) => f.sha).join('\n')}\n`));
  let at = 0;
  for (const f of files) {
    const nl = out.indexOf(10, at);
    const header = out.subarray(at, nl).toString('utf8');
    const size = Number(header.split(' ')[2]);
    const content = out.subarray(nl + 1, nl + 1 + size);
    at = nl + 1 + size + 1;
    const target = join(into, ...f.path.split('/'));
    if (!target.startsWith(into + sep)) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
