// The CLI talks to the world through this object, so tests run commands in-process and read
// exactly what a user would see.
import { createInterface } from 'node:readline/promises';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { AbInputs } from '../experiment/report.js';
import { LOAD_LIMITS } from '../load/limits.js';

export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour is used only then, and never with NO_COLOR). */
  readonly isTTY: boolean;
  /** Whether stderr is a terminal (diagnostics go there; decided apart from stdout). */
  readonly stderrIsTTY?: boolean;
  /**
   * Asks a question on the terminal and resolves with the answer line (undefined at the end of
   * input). Present only when both standard input and output are terminals: without it, commands
   * never wait for input (CI).
   */
  readonly ask?: (question: string) => Promise<string | undefined>;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    ...(process.stdin.isTTY && process.stdout.isTTY ? { ask: terminalQuestion } : {}),
  };
}

async function terminalQuestion(question: string): Promise<string | undefined> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const closed = new Promise<undefined>((resolve) => rl.once('close', () => resolve(undefined)));
  try {
    return await Promise.race([rl.question(question), closed]);
  } finally {
    rl.close();
  }
}

/** Colour only on a terminal, decided for each stream, and never with NO_COLOR or TERM=dumb. */
export function useColor(io: CliIO, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  const tty = stream === 'stdout' ? io.isTTY : (io.stderrIsTTY ?? false);
  return tty && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
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

/**
 * Exit codes, the same for every command: 0 ok; 1 the input has problems (invalid specs, policy
 * findings, a stale out/, failing policy tests); 2 the invocation or the environment is wrong
 * (bad flags, paths that do not exist or cannot be read, a disk that cannot be written).
 */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** Diagnostics about the invocation or the machine rather than the specs. */
const ENVIRONMENT_CODES: ReadonlySet<string> = new Set([
  'not_found',
  'no_input',
  'unsupported_file',
  'not_a_file',
  'unreadable',
  'unreadable_entry',
  'output_failed',
  'out_not_a_folder',
  'out_not_owned',
  'unknown_environment',
  'out_busy',
]);

/** The exit code for errors that stop a run: 2 when any is the invocation's or the machine's fault. */
export function exitCodeFor(diagnostics: readonly Diagnostic[]): number {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return EXIT.ok;
  return errors.some((d) => ENVIRONMENT_CODES.has(d.code)) ? EXIT.usage : EXIT.findings;
}

/** Options every command that evaluates policies takes. */
export const POLICY_OPTIONS = {
  'no-policies': { type: 'boolean' },
  policies: { type: 'string', multiple: true },
} as const;

export const POLICY_HELP = `  --policies DIR     also check against the policies in DIR (repeatable)
  --no-policies      skip the compliance policies (for debugging; the output says so)`;

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

/**
 * From this many spec files on (about 40 system-environments), render on one worker per core.
 * Workers start before the specs are read, so this counts files rather than systems.
 */
const PARALLEL_FROM_FILES = 14;

/** Render workers for a run: `--jobs N`, else one per core (up to 4) for repositories of many specs. */
export function jobsFor(flag: string | undefined, specFiles: () => number): number {
  if (flag !== undefined) {
    const n = Number(flag);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs "${flag}" is not a number from 1 to 64`);
    return n;
  }
  return specFiles() >= PARALLEL_FROM_FILES ? Math.min(availableParallelism(), 4) : 1;
}

/**
 * Progress of a long render on a terminal (standard error): shown after a second, updated at
 * most ten times a second, erased when done. Nothing when standard error is not a terminal.
 */
export function progressLine(
  io: CliIO,
  what: string,
): { onProgress?: (done: number, total: number) => void; end(): void } {
  if (!io.stderrIsTTY) return { end() {} };
  const started = Date.now();
  let shown = 0;
  let last = 0;
  return {
    onProgress(done, total) {
      const now = Date.now();
      if (now - started < 1000 || (now - last < 100 && done < total)) return;
      last = now;
      const line = `${what} ${done}/${total}`;
      io.stderr(`\r${line}`);
      shown = line.length;
    },
    end() {
      if (shown > 0) io.stderr(`\r${' '.repeat(shown)}\r`);
    },
  };
}

/** A data file named on the command line, as text with its name as given; unreadable is a usage error. */
export function readInputFile(io: CliIO, file: string): { file: string; text: string } {
  try {
    return { file, text: readFileSync(resolve(io.cwd, file), 'utf8') };
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Options of the A/B data a command reads (`ab report`, `check`), named by `flag`. */
export function abInputsOf(
  io: CliIO,
  values: { events?: string[]; outcomes?: string[]; counters?: string; tier?: string },
  flag: (name: string) => string,
): AbInputs | undefined {
  if (!values.events && !values.counters) return undefined;
  if (values.events && values.counters) throw new UsageError(`give ${flag('events')} or ${flag('counters')}, not both`);
  if (values.counters && values.outcomes)
    throw new UsageError(`${flag('outcomes')} joins events; counters carry their own outcome`);
  return {
    ...(values.events ? { events: values.events.map((f) => readInputFile(io, f)) } : {}),
    ...(values.outcomes ? { outcomes: values.outcomes.map((f) => readInputFile(io, f)) } : {}),
    ...(values.counters ? { counters: readInputFile(io, values.counters) } : {}),
    ...(values.tier ? { tier: values.tier } : {}),
  };
}
