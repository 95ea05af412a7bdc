// The CLI talks to the world through this object, so tests run commands in-process and read
// exactly what a user would see.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LOAD_LIMITS } from '../load/limits.js';

export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour is used only then, and never with NO_COLOR). */
  readonly isTTY: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
}

export function useColor(io: CliIO): boolean {
  return io.isTTY && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
}

/** Seconds per Jsonnet file from MLSPEC_JSONNET_TIMEOUT_S, or undefined (the default) when unset. */
export function jsonnetSeconds(env: CliIO['env']): number | undefined {
  const raw = env.MLSPEC_JSONNET_TIMEOUT_S;
  if (raw === undefined || raw.trim() === '') return undefined;
  const s = Number(raw);
  if (!(Number.isFinite(s) && s > 0))
    throw new UsageError(
      `MLSPEC_JSONNET_TIMEOUT_S must be a positive number of seconds, not "${raw}"; unset it for the default ` +
        `of ${LOAD_LIMITS.jsonnetSeconds} s`,
    );
  return s;
}

/** Exit codes, the same for every command. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A mistake in how the command was called: the CLI prints it with the command's usage, exit 2. */
export class UsageError extends Error {}

export interface Command {
  readonly name: string;
  /** Full help text, shown by `--help`. */
  readonly help: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` with strict checking, reporting problems as usage errors. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export type OutputFormat = 'text' | 'json';

export function outputFormat(value: unknown, allowed: readonly string[] = ['text', 'json']): string {
  const format = typeof value === 'string' ? value : 'text';
  if (!allowed.includes(format)) throw new UsageError(`unknown --format "${format}": use one of ${allowed.join(', ')}`);
  return format;
}
