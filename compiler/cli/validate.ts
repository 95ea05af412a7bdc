import { hasErrors, sortDiagnostics } from '../../core/diagnostics/diagnostic.js';
import { renderText, toJson } from '../../core/diagnostics/render.js';
import { analyze } from '../pipeline/pipeline.js';
import { EXIT, jsonnetSeconds, outputFormat, parseCommandArgs, useColor, type CliIO, type Command } from './io.js';

const help = `Usage: mlspec validate [paths...] [--env NAME] [--platform FILE] [--format text|json]

Check spec files (YAML, JSON, Jsonnet; directories are searched recursively) against the schema,
the platform config and each other, for every environment. Lists the systems and environments
found, or every problem with file:line:column and a hint.

Options:
  --env NAME         check only this environment (repeatable)
  --platform FILE    platform config outside the given paths
  --format FORMAT    text (default) or json
  -h, --help         show this help

Exit codes: 0 valid, 2 invalid input or usage.`;

export const validateCommand: Command = {
  name: 'validate',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      env: { type: 'string', multiple: true },
      platform: { type: 'string' },
      format: { type: 'string' },
    });
    const format = outputFormat(values.format);
    const paths = positionals.length ? positionals : ['specs'];
    const analysis = await analyze(paths, {
      cwd: io.cwd,
      environments: values.env,
      platformFile: values.platform,
      jsonnetSeconds: jsonnetSeconds(io.env),
    });
    const diagnostics = sortDiagnostics(analysis.diagnostics);
    const ok = !hasErrors(diagnostics);
    const systems = analysis.systems.map((s) => ({
      name: s.spec.metadata.name,
      file: s.document.file,
      team: s.spec.metadata.team,
      environments: Object.keys(s.spec.environments)
        .sort()
        .map((env) => ({ name: env, cluster: s.spec.environments[env]!.cluster })),
    }));
    if (format === 'json') {
      io.stdout(`${JSON.stringify({ ok, systems, diagnostics: toJson(diagnostics) }, null, 2)}\n`);
    } else {
      io.stderr(renderText(diagnostics, { color: useColor(io) }));
      if (ok) {
        for (const s of systems)
          io.stdout(
            `${s.name} (${s.file}, team ${s.team}): ` +
              `${s.environments.map((e) => `${e.name}→${e.cluster}`).join(', ')}\n`,
          );
        io.stdout(
          `${systems.length} system(s), ${systems.reduce((n, s) => n + s.environments.length, 0)} ` +
            `environment(s): valid\n`,
        );
      } else {
        const errors = diagnostics.filter((d) => d.severity === 'error').length;
        io.stderr(`${errors} error(s)\n`);
      }
    }
    return ok ? EXIT.ok : EXIT.usage;
  },
};
