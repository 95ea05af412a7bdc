import { hasErrors, sortDiagnostics } from '../../core/diagnostics/diagnostic.js';
import { renderText, toJson } from '../../core/diagnostics/render.js';
import { findingDiagnostics, passes } from '../review/review.js';
import { runChecks, todayUtc } from '../review/run.js';
import {
  type CliIO,
  type Command,
  EXIT,
  exitCodeFor,
  jsonnetSeconds,
  outputFormat,
  POLICY_HELP,
  POLICY_OPTIONS,
  parseCommandArgs,
  useColor,
} from './io.js';

const help = `Usage: mlspec validate [paths...] [--env NAME] [--platform FILE] [--format text|json]

Check spec files (YAML, JSON, Jsonnet; directories are searched recursively) against the schema,
the platform config, each other and the compliance policies, for every environment (or the ones
given). Lists the systems and environments checked, or every problem with file:line:column and
a hint.

Options:
  --env NAME         check only this environment (repeatable)
  --platform FILE    platform config outside the given paths
${POLICY_HELP}
  --format FORMAT    text (default) or json
  -h, --help         show this help

Exit codes: 0 valid, 1 invalid specs or a policy denies them, 2 usage or unreadable paths.`;

export const validateCommand: Command = {
  name: 'validate',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      env: { type: 'string', multiple: true },
      platform: { type: 'string' },
      format: { type: 'string' },
      ...POLICY_OPTIONS,
    });
    const format = outputFormat(values.format);
    const paths = positionals.length ? positionals : ['specs'];
    const run = await runChecks({
      cwd: io.cwd,
      paths,
      ...(values.env ? { environments: values.env } : {}),
      ...(values.platform ? { platformFile: values.platform } : {}),
      jsonnetSeconds: jsonnetSeconds(io.env),
      policies: values['no-policies'] !== true,
      ...(values.policies ? { policyPaths: values.policies } : {}),
      sink: { kind: 'none' },
      outShown: 'out',
      today: todayUtc(),
    });
    const diagnostics = sortDiagnostics([...run.diagnostics, ...(run.review ? findingDiagnostics(run.review) : [])]);
    const stopped = hasErrors(run.diagnostics);
    const ok = !stopped && (!run.review || passes(run.review));
    const checked = new Map<string, string[]>();
    for (const s of run.analysis.resolved) checked.set(s.name, [...(checked.get(s.name) ?? []), s.environment]);
    const systems = run.analysis.systems.map((s) => {
      const envs = checked.get(s.spec.metadata.name) ?? [];
      return {
        name: s.spec.metadata.name,
        file: s.document.file,
        team: s.spec.metadata.team,
        environments: envs.sort().map((env) => ({ name: env, cluster: s.spec.environments[env]!.cluster })),
      };
    });
    const policies = run.policySet
      ? { checked: run.policySet.policies.length, folders: run.policySet.roots }
      : { checked: 0, skipped: values['no-policies'] === true };
    if (format === 'json') {
      io.stdout(`${JSON.stringify({ ok, systems, policies, diagnostics: toJson(diagnostics) }, null, 2)}\n`);
    } else {
      io.stderr(renderText(diagnostics, { color: useColor(io, 'stderr') }));
      if (!stopped) {
        for (const s of systems) {
          const envs = s.environments.map((e) => `${e.name}→${e.cluster}`).join(', ');
          io.stdout(`${s.name} (${s.file}, team ${s.team}): ${envs}\n`);
        }
        const count = systems.reduce((n, s) => n + s.environments.length, 0);
        const scope = values.env ? `environment(s) ${[...new Set(values.env)].sort().join(', ')}` : 'every environment';
        io.stdout(`${systems.length} system(s), ${count} system-environment(s) checked (${scope}): `);
        io.stdout(`${ok ? 'valid' : 'denied by policy'}; ${policySummary(run, values['no-policies'] === true)}\n`);
      } else {
        io.stderr(`${diagnostics.filter((d) => d.severity === 'error').length} error(s)\n`);
      }
    }
    if (stopped) return exitCodeFor(run.diagnostics);
    return ok ? EXIT.ok : EXIT.findings;
  },
};

/** One line on what the policy stage did: the user must see when policies did not run. */
export function policySummary(run: Awaited<ReturnType<typeof runChecks>>, skipped: boolean): string {
  if (skipped) return 'compliance policies SKIPPED (--no-policies)';
  if (!run.policySet) return 'no compliance policies found (no policies/ folder next to the platform config)';
  const c = run.review?.counts;
  const counts = c ? `: ${c.deny} deny, ${c.warn} warn, ${c.info} info, ${c.waived} waived` : '';
  return `${run.policySet.policies.length} compliance policies from ${run.policySet.roots.join(', ')}${counts}`;
}
