import { hasErrors } from '../../core/diagnostics/diagnostic.js';
import { renderText } from '../../core/diagnostics/render.js';
import { didYouMean } from '../../core/schema/suggest.js';
import { abMarkdown, abReport, abText, experimentOf, type Experiment } from '../experiment/report.js';
import { analyze } from '../pipeline/pipeline.js';
import {
  abInputsOf,
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

const help = `Usage: mlspec ab report <system> [paths...] [--env NAME]
                        (--events FILE... [--outcomes FILE...] | --counters FILE)

The statistics of a system's A/B test (rollout.abTest): per variant the units, the goal metric
with its confidence interval and the planned sample; each variant against the control (two-
proportion z-test for a rate, Welch's t-test for a mean, Holm-corrected); a sample-ratio check
(chi-squared against the weights, p < 0.001 blocks any verdict); and the verdict: promote,
keep-running or stop, with its reasons. Fixed horizon: no verdict before every variant has its
planned sample, so looking early does not raise the false-positive rate above alpha.

Options:
  --env NAME         the environment (needed when several run the test)
  --events FILE      the runtime's io.mlspec.assignment.v1 CloudEvents: JSON lines (stdout logs,
                     the file sink and its rotated files) or a JSON array (repeatable)
  --outcomes FILE    outcome records joined by requestId, key or keyHash (repeatable)
  --counters FILE    instead of events: a Prometheus snapshot; the goal counter over
                     mlspec_requests_total per variant (a rate per request)
  --tier NAME        only events of this serving tier
  --platform FILE    platform config outside the given paths
  --format FORMAT    text (default), json or markdown
  -h, --help         show this help

Exit codes: 0 reported (whatever the verdict), 1 invalid specs or data (file:line), 2 usage
(an unknown system or environment, a file that cannot be read).`;

export const abCommand: Command = {
  name: 'ab',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      env: { type: 'string' },
      events: { type: 'string', multiple: true },
      outcomes: { type: 'string', multiple: true },
      counters: { type: 'string' },
      tier: { type: 'string' },
      platform: { type: 'string' },
      format: { type: 'string' },
    });
    const format = outputFormat(values.format, ['text', 'json', 'markdown']);
    const [sub, system, ...paths] = positionals;
    if (sub !== 'report') throw new UsageError('the subcommand is `report`');
    if (!system) throw new UsageError('name the system');
    const inputs = abInputsOf(io, values, (name) => `--${name}`);
    if (!inputs) throw new UsageError('give --events (with --outcomes) or --counters');
    const analysis = await analyze(paths.length ? paths : ['specs'], {
      cwd: io.cwd,
      ...(values.env ? { environments: [values.env] } : {}),
      ...(values.platform ? { platformFile: values.platform } : {}),
      jsonnetSeconds: jsonnetSeconds(io.env),
    });
    if (hasErrors(analysis.diagnostics)) {
      io.stderr(renderText(analysis.diagnostics, { color: useColor(io, 'stderr') }));
      return exitCodeFor(analysis.diagnostics);
    }
    const experiment = pickExperiment(analysis, system, values.env);
    const { report, diagnostics } = abReport(experiment, inputs);
    if (diagnostics.length > 0) io.stderr(renderText(diagnostics, { color: useColor(io, 'stderr') }));
    if (!report) return EXIT.findings;
    if (format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else if (format === 'markdown') io.stdout(abMarkdown(report));
    else io.stdout(abText(report));
    return EXIT.ok;
  },
};

function pickExperiment(analysis: Awaited<ReturnType<typeof analyze>>, system: string, env?: string): Experiment {
  const resolved = analysis.resolved.filter((s) => s.name === system);
  if (resolved.length === 0) {
    const names = analysis.systems.map((s) => s.spec.metadata.name);
    throw new UsageError(`no system \`${system}\`; ${didYouMean(system, names) ?? `systems: ${names.join(', ')}`}`);
  }
  const found = resolved.map((s) => ({ env: s.environment, experiment: experimentOf(s) }));
  const running = found.filter((f) => typeof f.experiment !== 'string');
  if (env !== undefined || resolved.length === 1) {
    const only = found[0]!.experiment;
    if (typeof only === 'string') throw new UsageError(only);
    return only;
  }
  if (running.length === 1) return running[0]!.experiment as Experiment;
  if (running.length === 0) throw new UsageError(`${system} runs no A/B test in any environment`);
  throw new UsageError(`${system} runs A/B tests in ${running.map((f) => f.env).join(', ')}: choose one with --env`);
}
