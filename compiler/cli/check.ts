import { replaceFile } from '../../core/files.js';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { hasErrors, sortDiagnostics, warning } from '../../core/diagnostics/diagnostic.js';
import { loadPrivateKey } from '../audit/dsse.js';
import { appendRecord } from '../audit/log.js';
import { statementOf } from '../audit/record.js';
import { DEFAULT_AUDIT_LOG } from './audit.js';
import { findSpecFiles } from '../load/files.js';
import { analyze, compile, locatorOf } from '../pipeline/pipeline.js';
import { RenderPool, workersAvailable } from '../pipeline/pool.js';
import { BaseError, openBase } from '../review/base.js';
import { type Changes, compareOutcomes } from '../review/changes.js';
import { experimentChanges, type ExperimentChange } from '../review/experiments.js';
import { systemDiagram } from '../review/diagram.js';
import { githubReport } from '../review/format/github.js';
import { jsonReport } from '../review/format/json.js';
import { junitReport } from '../review/format/junit.js';
import { markdownReport } from '../review/format/markdown.js';
import { sarifReport } from '../review/format/sarif.js';
import { textReport } from '../review/format/text.js';
import { type CheckReport, reportPasses } from '../review/report.js';
import { type RunResult, runChecks, todayUtc } from '../review/run.js';
import {
  abInputsOf,
  type CliIO,
  type Command,
  EXIT,
  exitCodeFor,
  jobsFor,
  jsonnetSeconds,
  outputFormat,
  POLICY_HELP,
  POLICY_OPTIONS,
  parseCommandArgs,
  UsageError,
  useColor,
} from './io.js';
import { version } from './version.js';

const FORMATS = ['text', 'markdown', 'sarif', 'junit', 'github', 'json'] as const;

const help = `Usage: mlspec check [paths...] [--env NAME | --all-envs] [--base REF]
                    [--format text|markdown|sarif|junit|github|json] [--output FILE]

Validate the specs, render them in memory and judge every system-environment against the
compliance policies (the repository's policies/ and the platform config's policy.paths), then
write the review: for a terminal, a pull-request comment (markdown), code scanning (sarif),
CI dashboards (junit), GitHub annotations (github) or data (json).

Options:
  --env NAME         check only this environment (repeatable)
  --all-envs         check every environment (the default)
  --base REF         also say what the change does to the cluster against REF: a git revision of
                     this repository (read with git; the work tree is not touched) or a folder
  --format FORMAT    text (default), markdown, sarif, junit, github or json
  --output FILE      write the review to FILE instead of standard output
  --platform FILE    platform config outside the given paths
${POLICY_HELP}
  --link-base URL    link findings in markdown to URL/<file>#L<line> (default: from
                     GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA when set)
  --ab-events FILE   with --base: the runtime's A/B events (repeatable); a change that moves an
                     A/B test's weights shows the running test's report (see \`mlspec ab report\`)
  --ab-outcomes FILE outcome records for those events (repeatable)
  --ab-counters FILE instead of events: a Prometheus snapshot of the runtime's counters
  --jobs N           render on N worker threads (default: one per core, up to 4, for large repos)
  --record           append a signed provenance record of this review to the audit log, when
                     what was rendered or decided changed (see \`mlspec audit verify\`)
  --audit-log FILE   the audit log (default ${DEFAULT_AUDIT_LOG})
  --signing-key FILE Ed25519 private key, PEM (default: the PEM in MLSPEC_SIGNING_KEY)
  --git-commit SHA   the commit reviewed (default: MLSPEC_GIT_COMMIT, or GITHUB_SHA)
  -h, --help         show this help

Exit codes: 0 compliant, 1 a deny finding that is not waived or an invalid spec, 2 usage, an
unreadable path or a --base that does not exist.`;

export const checkCommand: Command = {
  name: 'check',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      env: { type: 'string', multiple: true },
      'all-envs': { type: 'boolean' },
      base: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string' },
      platform: { type: 'string' },
      'link-base': { type: 'string' },
      jobs: { type: 'string' },
      record: { type: 'boolean' },
      'audit-log': { type: 'string' },
      'signing-key': { type: 'string' },
      'git-commit': { type: 'string' },
      'ab-events': { type: 'string', multiple: true },
      'ab-outcomes': { type: 'string', multiple: true },
      'ab-counters': { type: 'string' },
      ...POLICY_OPTIONS,
    });
    const abInputs = abInputsOf(
      io,
      { events: values['ab-events'], outcomes: values['ab-outcomes'], counters: values['ab-counters'] },
      (name) => `--ab-${name}`,
    );
    if (abInputs && !values.base) throw new UsageError('--ab-events and --ab-counters need --base');
    const signingKey = values.record ? readSigningKey(values['signing-key'], io) : undefined;
    const format = outputFormat(values.format, FORMATS) as (typeof FORMATS)[number];
    if (values.env && values['all-envs']) throw new UsageError('--env and --all-envs exclude each other');
    const paths = positionals.length ? positionals : ['specs'];
    const environments = values.env ? [...new Set(values.env)].sort() : undefined;
    const jobs = jobsFor(values.jobs, () => findSpecFiles(paths, io.cwd).files.length);
    const pool = jobs > 1 && workersAvailable() ? RenderPool.start(jobs) : undefined;
    try {
      const common = {
        cwd: io.cwd,
        paths,
        ...(environments ? { environments } : {}),
        ...(values.platform ? { platformFile: values.platform } : {}),
        jsonnetSeconds: jsonnetSeconds(io.env),
      };
      const head = await runChecks({
        ...common,
        policies: values['no-policies'] !== true,
        ...(values.policies ? { policyPaths: values.policies } : {}),
        sink: { kind: values.base || values.record ? 'digests' : 'none' },
        ...(pool ? { pool } : {}),
        outShown: 'out',
        today: todayUtc(),
      });
      if (hasErrors(head.diagnostics) && exitCodeFor(head.diagnostics) === EXIT.usage) {
        io.stderr(`mlspec check: ${head.diagnostics.find((d) => d.severity === 'error')!.message}\n`);
        return EXIT.usage;
      }
      let changes: Changes | undefined;
      let experiments: ExperimentChange[] = [];
      const notes = [];
      if (values.base && head.outcome && head.review) {
        const compared = await compareWithBase(values.base, common, head, pool);
        if ('note' in compared) notes.push(compared.note);
        else {
          changes = compared.changes;
          experiments = experimentChanges(compared.base, head.analysis.resolved, abInputs);
        }
      }
      const report: CheckReport = {
        tool: { name: 'mlspec', version: version() },
        diagnostics: sortDiagnostics([...head.diagnostics, ...notes]),
        ...(head.review ? { review: head.review } : {}),
        systems: systemsOf(head),
        policiesSkipped: values['no-policies'] === true,
        policyRoots: head.policySet?.roots ?? [],
        ...(changes ? { changes } : {}),
        ...(experiments.length ? { experiments } : {}),
        diagrams: diagramsOf(head, changes),
        link: linker(values['link-base'], io.env),
      };
      if (signingKey && head.review && head.outcome?.result?.kind === 'digests') {
        const statement = statementOf({
          analysis: head.analysis,
          review: head.review,
          ...(head.policySet ? { policySet: head.policySet } : {}),
          digests: head.outcome.result.digests,
          outShown: 'out',
          version: version(),
          ...(gitCommitOf(values['git-commit'], io) ? { gitCommit: gitCommitOf(values['git-commit'], io)! } : {}),
          passed: reportPasses(report),
        });
        const logFile = resolve(io.cwd, values['audit-log'] ?? DEFAULT_AUDIT_LOG);
        const appended = appendRecord(logFile, statement, signingKey, new Date());
        writePublicKey(join(dirname(logFile), 'signing-key.pub'), signingKey);
        io.stderr(
          `audit: ${appended ? 'recorded' : 'unchanged since the last record, nothing'} appended to ` +
            `${values['audit-log'] ?? DEFAULT_AUDIT_LOG}\n`,
        );
      }
      const text = render(report, format, useColor(io) && values.output === undefined);
      if (values.output !== undefined) writeOutput(resolve(io.cwd, values.output), text);
      else io.stdout(text);
      return reportPasses(report) ? EXIT.ok : EXIT.findings;
    } catch (e) {
      if (e instanceof BaseError) {
        io.stderr(`mlspec check: --base: ${e.message}\n`);
        return EXIT.usage;
      }
      throw e;
    } finally {
      await pool?.close();
    }
  },
};

function render(report: CheckReport, format: (typeof FORMATS)[number], color: boolean): string {
  switch (format) {
    case 'text':
      return textReport(report, color);
    case 'markdown':
      return markdownReport(report);
    case 'sarif':
      return sarifReport(report);
    case 'junit':
      return junitReport(report);
    case 'github':
      return githubReport(report);
    case 'json':
      return jsonReport(report);
  }
}

/** The base revision analysed and rendered; systems whose input did not change reuse the head's result. */
async function compareWithBase(
  ref: string,
  common: { cwd: string; paths: readonly string[]; environments?: readonly string[]; platformFile?: string },
  head: RunResult,
  pool: RenderPool | undefined,
): Promise<{ changes: Changes; base: RunResult['analysis']['resolved'] } | { note: ReturnType<typeof warning> }> {
  const base = openBase(ref, common.cwd, common.paths);
  try {
    const analysis = await analyze(common.paths, { ...common, cwd: base.cwd });
    if (hasErrors(analysis.diagnostics))
      return {
        note: warning('base_invalid', `the base \`${ref}\` does not validate, so its changes cannot be shown`, {
          hint: 'Fix the base branch, or compare with another --base.',
        }),
      };
    const before = await compile(analysis.resolved, {
      sink: { kind: 'digests' },
      locate: locatorOf(analysis),
      reuse: head.outcome!.results,
      ...(pool ? { pool } : {}),
    });
    return { changes: compareOutcomes(ref, before, head.outcome!), base: analysis.resolved };
  } finally {
    base.cleanup();
  }
}

function systemsOf(run: RunResult) {
  return run.analysis.systems.map((s) => ({
    name: s.spec.metadata.name,
    file: s.document.file,
    team: s.spec.metadata.team,
    environments: run.analysis.resolved
      .filter((r) => r.name === s.spec.metadata.name)
      .map((r) => r.environment)
      .sort(),
  }));
}

/** A diagram per changed system (every system without a base), drawn from its first changed environment. */
function diagramsOf(run: RunResult, changes: Changes | undefined): Map<string, string> {
  const wanted = changes ? new Set(changes.systems) : undefined;
  const out = new Map<string, string>();
  for (const s of run.analysis.resolved) {
    if (out.has(s.name)) continue;
    if (wanted && !wanted.has(`${s.environment}/${s.name}`)) continue;
    out.set(s.name, systemDiagram(s));
  }
  return out;
}

function linker(flag: string | undefined, env: CliIO['env']): CheckReport['link'] {
  const ci =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_SHA
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}`
      : undefined;
  const base = flag ?? ci;
  if (!base) return undefined;
  return (file, line) =>
    `${base.replace(/\/+$/, '')}/${file.split('/').map(encodeURIComponent).join('/')}${line ? `#L${line}` : ''}`;
}

/** Written to a temporary file beside the target, then renamed: never half a report. */
function writeOutput(path: string, text: string): void {
  try {
    replaceFile(path, text);
  } catch (e) {
    throw new UsageError(`cannot write --output ${path}: ${(e as Error).message}`);
  }
}

/** The Ed25519 signing key: --signing-key FILE, or the PEM in MLSPEC_SIGNING_KEY (CI secrets). */
function readSigningKey(file: string | undefined, io: CliIO): KeyObject {
  const pem = file !== undefined ? readKeyFile(resolve(io.cwd, file)) : io.env.MLSPEC_SIGNING_KEY;
  if (!pem) throw new UsageError('--record needs a signing key: --signing-key FILE or MLSPEC_SIGNING_KEY (PEM)');
  try {
    return loadPrivateKey(pem);
  } catch (e) {
    throw new UsageError(`the signing key cannot be used: ${(e as Error).message}`);
  }
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --signing-key: ${(e as Error).message}`);
  }
}

/** The public half beside the log, so that a verifier can compare it with the key it trusts. */
function writePublicKey(path: string, key: KeyObject): void {
  const pem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  if (!existsSync(path)) writeFileSync(path, pem);
}

const COMMIT = /^[0-9a-f]{7,64}$/;

function gitCommitOf(flag: string | undefined, io: CliIO): string | undefined {
  const value = flag ?? io.env.MLSPEC_GIT_COMMIT ?? io.env.GITHUB_SHA;
  if (!value) return undefined;
  if (!COMMIT.test(value)) throw new UsageError(`"${value}" is not a commit hash (7 to 64 lowercase hex digits)`);
  return value;
}
