import { type Lineage, environmentLineage, lineageMermaid, lineageText } from '../review/lineage.js';
import { analyze, compile } from '../pipeline/pipeline.js';
import { hasErrors } from '../../core/diagnostics/diagnostic.js';
import { renderText } from '../../core/diagnostics/render.js';
import { didYouMean } from '../../core/schema/suggest.js';
import {
  type CliIO,
  type Command,
  EXIT,
  exitCodeFor,
  jsonnetSeconds,
  outputFormat,
  parseCommandArgs,
  UsageError,
  useColor,
} from './io.js';

const help = `Usage: mlspec lineage <system> [paths...] [--env NAME] [--format text|json|mermaid]

The chain behind a deployment, per environment: dataset versions and digests → feature views →
training pipeline (images, validation gates) → model version and digest → serving tiers and
variants → every rendered object (file and sha256). The same facts the lineage annotations in
out/ carry.

Options:
  --env NAME         only this environment (repeatable)
  --platform FILE    platform config outside the given paths
  --format FORMAT    text (default), json or mermaid
  -h, --help         show this help

Exit codes: 0 shown, 1 invalid specs, 2 usage (an unknown system).`;

export const lineageCommand: Command = {
  name: 'lineage',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      env: { type: 'string', multiple: true },
      platform: { type: 'string' },
      format: { type: 'string' },
    });
    const format = outputFormat(values.format, ['text', 'json', 'mermaid']);
    const [system, ...paths] = positionals;
    if (!system) throw new UsageError('name the system');
    const analysis = await analyze(paths.length ? paths : ['specs'], {
      cwd: io.cwd,
      ...(values.env ? { environments: values.env } : {}),
      ...(values.platform ? { platformFile: values.platform } : {}),
      jsonnetSeconds: jsonnetSeconds(io.env),
    });
    if (hasErrors(analysis.diagnostics)) {
      io.stderr(renderText(analysis.diagnostics, { color: useColor(io, 'stderr') }));
      return exitCodeFor(analysis.diagnostics);
    }
    const resolved = analysis.resolved.filter((s) => s.name === system);
    if (resolved.length === 0) {
      const names = analysis.systems.map((s) => s.spec.metadata.name);
      throw new UsageError(`no system \`${system}\`; ${didYouMean(system, names) ?? `systems: ${names.join(', ')}`}`);
    }
    const compiled = await compile(resolved, { sink: { kind: 'memory' } });
    const tree = compiled.result?.kind === 'memory' ? compiled.result.tree : new Map<string, string>();
    const lineage: Lineage = {
      system,
      team: resolved[0]!.team,
      environments: resolved.map((s) => environmentLineage(s, tree, 'out')),
    };
    if (format === 'json') io.stdout(`${JSON.stringify(lineage, null, 2)}\n`);
    else if (format === 'mermaid') io.stdout(lineageMermaid(lineage));
    else io.stdout(lineageText(lineage));
    return EXIT.ok;
  },
};
