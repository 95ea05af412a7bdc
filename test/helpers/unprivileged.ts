// Runs the built `mlspec` as an ordinary user. Tests about permissions (a read-only out/,
// `--out /`) mean nothing as root, which ignores them, and CI containers run as root: there the
// CLI runs as `nobody` through setpriv (util-linux), on files handed to that user.
import { spawnSync } from 'node:child_process';
import { chownSync, lchownSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CliRun } from './cli.js';

const CLI = join(import.meta.dirname, '../../dist/compiler/cli/main.js');
const NOBODY = 65534;

const isRoot = () => process.getuid?.() === 0;

/** Give a tree to the user the CLI runs as (nothing to do when the tests do not run as root). */
export function handOver(dir: string): void {
  if (!isRoot()) return;
  chownSync(dir, NOBODY, NOBODY);
  if (!lstatSync(dir).isDirectory()) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) handOver(path);
    else lchownSync(path, NOBODY, NOBODY);
  }
}

export function runUnprivileged(argv: string[], cwd: string): CliRun {
  const command = isRoot()
    ? ['setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', process.execPath, CLI]]
    : [process.execPath, [CLI]];
  const [file, args] = command as [string, string[]];
  const r = spawnSync(file, [...args, ...argv], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH } });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
