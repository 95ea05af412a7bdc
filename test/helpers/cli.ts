// Runs `mlspec` in-process with captured output, the way tests drive the CLI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../compiler/cli/main.js';
import type { CliIO } from '../../compiler/cli/io.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(
  argv: string[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    isTTY?: boolean;
    stderrIsTTY?: boolean;
    ask?: CliIO['ask'];
  },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: options.cwd,
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? options.isTTY ?? false,
    ...(options.ask ? { ask: options.ask } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'mlspec-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** 1-based line and column of the first occurrence of `needle` (after `after`, if given). */
export function positionOf(text: string, needle: string, after?: string): { line: number; column: number } {
  const start = after === undefined ? 0 : text.indexOf(after);
  if (start < 0) throw new Error(`anchor not found: ${after}`);
  const i = text.indexOf(needle, start);
  if (i < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, i);
  return { line: before.split('\n').length, column: i - before.lastIndexOf('\n') };
}
