// Running the generated Python (feature-store and training scripts) in tests: a syntax check
// with the standard library's parser, and runs of the stdlib-only scripts. Uses the system's
// python3 (Debian's, on every machine of this project).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The system interpreter directly: version-manager shims on PATH add a second to each start.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export interface PythonRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function python(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): PythonRun {
  const r = spawnSync(PYTHON, args, {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin', ...options.env },
    input: options.input,
    cwd: options.cwd,
    timeout: 30_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CHECK = [
  'import ast, json, sys',
  'for name, src in json.load(sys.stdin).items():',
  '    try:',
  '        ast.parse(src, name)',
  '    except SyntaxError as e:',
  '        print(f"{e.filename}:{e.lineno}: {e.msg}")',
].join('\n');

/** Syntax errors of Python sources (file name → text), one per line; '' when all parse. One process for all. */
export function pythonSyntaxErrors(sources: Readonly<Record<string, string>>): string {
  const r = python(['-c', CHECK], { input: JSON.stringify(sources) });
  return (r.stdout + r.stderr).trim();
}

/** Write files to a temporary folder, call `fn` with it, remove it. */
export function withFiles<T>(files: Record<string, string>, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'mlspec-py-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
