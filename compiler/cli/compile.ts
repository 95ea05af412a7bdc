import { isAbsolute, join, relative, resolve } from 'node:path';
import { error, sortDiagnostics, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { renderText, toJson } from '../../core/diagnostics/render.js';
import { findSpecFiles } from '../load/files.js';
import { isClean, type CheckResult } from '../emit/check.js';
import { RenderPool, workersAvailable } from '../pipeline/pool.js';
import { outDirProblems } from '../emit/out-dir.js';
import { findingDiagnostics, passes } from '../review/review.js';
import { type RunResult, runChecks, todayUtc } from '../review/run.js';
import type { CompileOutcome } from '../pipeline/pipeline.js';
import { OutputRefused } from '../emit/refused.js';
import {
  EXIT,
  UsageError,
  exitCodeFor,
  jobsFor,
  jsonnetSeconds,
  progressLine,
  outputFormat,
  POLICY_HELP,
  POLICY_OPTIONS,
  parseCommandArgs,
  useColor,
  type CliIO,
  type Command,
} from './io.js';
import { policySummary } from './validate.js';

const help = `Usage: mlspec compile [paths...] [--env NAME | --all-envs] [--out DIR] [--check]
                      [--git-commit SHA] [--platform FILE] [--jobs N] [--format text|json]

Compile specs into Kubernetes manifests for GitOps: out/<env>/<system>/<kind>-<name>.yaml,
with a kustomization.yaml per system and per environment. The output is byte-identical for
the same specs, and written atomically (a failed compile leaves the previous output as it was).

Options:
  --env NAME         compile only this environment (repeatable); other folders of --out stay
  --all-envs         compile every environment (the default)
  --out DIR          output folder (default out); everything in it is generated, so a folder
                     holding anything mlspec did not write is refused
  --check            write nothing; exit 1 and list the files that differ, are missing or
                     are extra when DIR is not what compile would write (for CI)
  --git-commit SHA   record this commit in the mlspec.io/git-commit annotation (also read
                     from MLSPEC_GIT_COMMIT). Never taken from the work tree: out/ is committed
                     in the commit it would name, so --check would always fail
  --platform FILE    platform config outside the given paths
${POLICY_HELP}
  --jobs N           render on N worker threads, 1 in the main thread (default: one per
                     core, up to 4, from 14 spec files on); the output does not depend on it
  --format FORMAT    text (default) or json
  -h, --help         show this help

Policy findings are printed; the manifests are written even when a policy denies them (the
author needs to see them), and the exit code is then 1.

Exit codes: 0 done (or up to date), 1 invalid specs, a policy denies them, or out of date
(--check), 2 usage, unreadable paths or an output folder that cannot be written.`;

const COMMIT = /^[0-9a-f]{7,64}$/;

function gitCommit(flag: string | undefined, io: CliIO): string | undefined {
  const value = flag ?? io.env.MLSPEC_GIT_COMMIT;
  if (value === undefined || value === '') return undefined;
  if (!COMMIT.test(value))
    throw new UsageError(
      `${flag !== undefined ? '--git-commit' : 'MLSPEC_GIT_COMMIT'} "${value}" is not a commit hash (7 to 64 ` +
        `lowercase hex digits)`,
    );
  return value;
}

function shown(io: CliIO, dir: string): string {
  const rel = relative(io.cwd, dir);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? dir : rel;
}

function renderCheck(result: CheckResult, outShown: string): string {
  const lines = [
    `${outShown}/ is out of date: ${result.differing.length} differing, ${result.missing.length} missing, ` +
      `${result.extra.length} extra`,
    ...result.differing.map((p) => `  differs  ${join(outShown, p)}`),
    ...result.missing.map((p) => `  missing  ${join(outShown, p)}`),
    ...result.extra.map((p) => `  extra    ${join(outShown, p)}`),
    'Run `mlspec compile` and commit the result.',
  ];
  return `${lines.join('\n')}\n`;
}

function reportErrors(io: CliIO, format: string, diagnostics: readonly Diagnostic[]): number {
  if (format === 'json')
    io.stdout(`${JSON.stringify({ ok: false, diagnostics: toJson([...diagnostics]) }, null, 2)}\n`);
  else
    io.stderr(
      renderText([...diagnostics], { color: useColor(io, 'stderr') }) +
        `${diagnostics.filter((d) => d.severity === 'error').length} error(s); nothing written\n`,
    );
  return exitCodeFor(diagnostics);
}

export const compileCommand: Command = {
  name: 'compile',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      env: { type: 'string', multiple: true },
      'all-envs': { type: 'boolean' },
      out: { type: 'string' },
      check: { type: 'boolean' },
      'git-commit': { type: 'string' },
      platform: { type: 'string' },
      jobs: { type: 'string' },
      format: { type: 'string' },
      ...POLICY_OPTIONS,
    });
    const format = outputFormat(values.format);
    if (values.env && values['all-envs']) throw new UsageError('--env and --all-envs exclude each other');
    const commit = gitCommit(values['git-commit'], io);
    const jsonnetLimit = jsonnetSeconds(io.env);
    const environments = values.env ? [...new Set(values.env)].sort() : undefined;
    const outDir = resolve(io.cwd, values.out ?? 'out');
    const paths = positionals.length ? positionals : ['specs'];
    const jobs = jobsFor(values.jobs, () => findSpecFiles(paths, io.cwd).files.length);
    // Started first: the workers load cdk8s while this thread reads the specs.
    const pool = jobs > 1 && workersAvailable() ? RenderPool.start(jobs) : undefined;
    try {
      return await compile({
        io,
        format,
        paths,
        outDir,
        environments,
        check: values.check === true,
        platformFile: values.platform,
        jsonnetSeconds: jsonnetLimit,
        render: commit ? { gitCommit: commit } : {},
        pool,
        policies: values['no-policies'] !== true,
        policyPaths: values.policies,
      });
    } finally {
      await pool?.close();
    }
  },
};

interface CompileRun {
  readonly io: CliIO;
  readonly format: string;
  readonly paths: readonly string[];
  readonly outDir: string;
  readonly environments?: readonly string[];
  readonly check: boolean;
  readonly platformFile?: string;
  readonly jsonnetSeconds?: number;
  readonly render: { readonly gitCommit?: string };
  readonly pool?: RenderPool;
  readonly policies: boolean;
  readonly policyPaths?: readonly string[];
}

const NOT_PERMITTED = 'Give --out a folder you may write to (and whose parent you may write to).';

/** Hints for the file system errors a machine (not the specs) causes while out/ is written or read. */
const FS_HINTS: Readonly<Record<string, string>> = {
  ENOSPC: 'Free disk space, or give --out a folder on another file system.',
  EDQUOT: 'Free space within your disk quota, or give --out a folder elsewhere.',
  EACCES: NOT_PERMITTED,
  EPERM: NOT_PERMITTED,
  EROFS: 'The file system is read-only: give --out a writable folder.',
  ENOENT: 'Give --out a folder whose parent can hold new folders.',
  EMFILE: 'Too many open files: raise the limit (ulimit -n) and run again.',
  ENFILE: 'Too many open files on the machine: run again when fewer are open.',
  EIO: 'The disk reported an I/O error: check it, then run again.',
};

/** A file system error while writing or comparing out/, as a diagnostic; undefined for anything else. */
function fileSystemFailure(e: unknown, outShown: string, check: boolean): Diagnostic | undefined {
  const err = e as NodeJS.ErrnoException;
  const hint = typeof err?.code === 'string' ? FS_HINTS[err.code] : undefined;
  if (!hint || typeof err.syscall !== 'string') return undefined;
  const what = check ? `cannot read ${outShown}/ to compare it` : `cannot write ${outShown}/; it was left as it was`;
  return error('output_failed', `${what}: ${err.message}`, { hint });
}

async function compile(run: CompileRun): Promise<number> {
  const { io, format, outDir, environments, pool } = run;
  const outShown = shown(io, outDir);
  const outProblems = outDirProblems(outDir, outShown, run.check);
  if (outProblems.length > 0) return reportErrors(io, format, outProblems);
  let result: RunResult;
  const progress = format === 'text' ? progressLine(io, 'rendering system-environments') : { end() {} };
  try {
    result = await runChecks({
      cwd: io.cwd,
      paths: run.paths,
      ...(environments ? { environments } : {}),
      ...(run.platformFile ? { platformFile: run.platformFile } : {}),
      ...(run.jsonnetSeconds !== undefined ? { jsonnetSeconds: run.jsonnetSeconds } : {}),
      policies: run.policies,
      ...(run.policyPaths ? { policyPaths: run.policyPaths } : {}),
      sink: run.check ? { kind: 'compare', outDir, environments } : { kind: 'directory', outDir, environments },
      render: run.render,
      ...(pool ? { pool } : {}),
      outShown,
      today: todayUtc(),
      ...('onProgress' in progress && progress.onProgress ? { onProgress: progress.onProgress } : {}),
    });
  } catch (e) {
    progress.end();
    const failed = e instanceof OutputRefused ? e.diagnostic : fileSystemFailure(e, outShown, run.check);
    if (!failed) throw e;
    return reportErrors(io, format, [failed]);
  }
  progress.end();
  const emitted = result.outcome;
  if (!emitted || emitted.diagnostics.length > 0 || !result.review)
    return reportErrors(io, format, sortDiagnostics(result.diagnostics));
  const warnings = emitted.result?.kind === 'directory' ? emitted.result.warnings : [];
  const diagnostics = sortDiagnostics([...result.diagnostics, ...warnings, ...findingDiagnostics(result.review)]);
  const allowed = passes(result.review);
  const policyLine = `${policySummary(result, !run.policies)}\n`;
  if (format === 'text' && diagnostics.length > 0)
    io.stderr(renderText(diagnostics, { color: useColor(io, 'stderr') }));
  const summary = { systems: emitted.systems, objects: emitted.objects, files: emitted.files, out: outShown };
  const policies = { allowed, counts: result.review.counts, skipped: !run.policies };
  if (emitted.result?.kind !== 'compare') {
    if (format === 'json')
      io.stdout(
        `${JSON.stringify({ ok: allowed, ...summary, policies, diagnostics: toJson(diagnostics) }, null, 2)}\n`,
      );
    else {
      io.stdout(
        `wrote ${emitted.files} files (${emitted.objects} objects, ${emitted.systems} system-environment(s)) ` +
          `to ${outShown}/\n`,
      );
      io.stdout(environmentLines(emitted));
      io.stdout(policyLine);
    }
    return allowed ? EXIT.ok : EXIT.findings;
  }
  const check = emitted.result.check;
  const ok = isClean(check) && allowed;
  if (format === 'json')
    io.stdout(`${JSON.stringify({ ok, ...summary, ...check, policies, diagnostics: toJson(diagnostics) }, null, 2)}\n`);
  else {
    if (isClean(check))
      io.stdout(`${outShown}/ is up to date (${emitted.systems} system-environment(s), ${emitted.files} files)\n`);
    else io.stdout(renderCheck(check, outShown));
    io.stdout(policyLine);
  }
  return ok ? EXIT.ok : EXIT.findings;
}

/** One line per environment: what it holds now. */
function environmentLines(outcome: CompileOutcome): string {
  const byEnv = new Map<string, { systems: number; objects: number }>();
  for (const r of outcome.results.values()) {
    const e = byEnv.get(r.entry.environment) ?? { systems: 0, objects: 0 };
    byEnv.set(r.entry.environment, { systems: e.systems + 1, objects: e.objects + r.objects });
  }
  return [...byEnv.keys()]
    .sort()
    .map((env) => `  ${env}: ${byEnv.get(env)!.systems} system(s), ${byEnv.get(env)!.objects} objects\n`)
    .join('');
}
