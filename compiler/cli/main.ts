#!/usr/bin/env node
// The `mlspec` command: a thin layer over library functions. Unexpected failures are reported
// in one line (no stack trace unless MLSPEC_DEBUG is set) and exit 2.
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { version } from './version.js';
import { EXIT, UsageError, processIO, type CliIO } from './io.js';
import { commands } from './commands.js';
import { didYouMean } from '../../core/schema/suggest.js';

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'mlspec: declarative GitOps configuration compiler for ML systems',
    '',
    'Usage: mlspec <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    "  -h, --help     show this overview (or a command's help: `mlspec <command> --help`)",
    '  -V, --version  print the version',
    '',
    'Exit codes: 0 ok; 1 the input has problems (invalid specs, policy findings, a stale out/);',
    '2 the invocation or the environment is wrong (bad flags, unreadable paths).',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(topHelp());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    const hint =
      didYouMean(
        name,
        commands.map((c) => c.name),
      ) ?? 'run `mlspec --help` for the commands';
    io.stderr(`mlspec: unknown command "${name}"; ${hint}\n`);
    return EXIT.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`mlspec ${command.name}: ${e.message}\n\n${command.help}\n`);
      return EXIT.usage;
    }
    const err = e as Error;
    io.stderr(`mlspec ${command.name}: internal error: ${err?.message ?? String(e)}\n`);
    if (io.env.MLSPEC_DEBUG) io.stderr(`${err?.stack ?? ''}\n`);
    else io.stderr('This is a bug in mlspec; set MLSPEC_DEBUG=1 for details and report it.\n');
    return EXIT.usage;
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

/**
 * Output that cannot be written is the reader's or the machine's doing: a closed pipe
 * (`mlspec schema mlsystem | head`) ends the run quietly, anything else (a full disk) is said
 * in one line. Without these handlers Node prints a stack trace.
 */
function onOutputError(stream: 'stdout' | 'stderr') {
  return (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
    if (stream === 'stdout') process.stderr.write(`mlspec: cannot write the output: ${e.message}\n`);
    process.exit(EXIT.usage);
  };
}

if (isEntryPoint()) {
  process.stdout.on('error', onOutputError('stdout'));
  process.stderr.on('error', onOutputError('stderr'));
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`mlspec: internal error: ${(reason as Error)?.message ?? String(reason)}\n`);
    process.exit(EXIT.usage);
  });
  main(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`mlspec: internal error: ${(e as Error)?.message ?? String(e)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
