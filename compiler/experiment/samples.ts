// From what the runtime shipped to one summary per variant: assignment events joined with
// outcome records (units are sticky keys, else requests), or counters of a Prometheus snapshot
// (units are requests: the goal counter over `mlspec_requests_total`).
import { type Diagnostic, error } from '../../core/diagnostics/diagnostic.js';
import { METRICS } from '../../runtime/contract/metric-names.js';
import type { Experiment, InputSummary } from './analysis.js';
import { readAssignments } from './events.js';
import type { InputFile } from './json-lines.js';
import { joinOutcomes, readOutcomes } from './outcomes.js';
import { readCounters } from './prometheus.js';
import { meanSample, rateSample, type Sample } from './statistics.js';

export interface AbInputs {
  readonly events?: readonly InputFile[];
  readonly outcomes?: readonly InputFile[];
  readonly counters?: InputFile;
  /** Only events of this serving tier. */
  readonly tier?: string;
}

export function collectSamples(
  experiment: Experiment,
  inputs: AbInputs,
  diagnostics: Diagnostic[],
): { samples: Map<string, Sample>; summary: InputSummary } {
  const known = new Set(experiment.variants.map((v) => v.name));
  const samples = new Map<string, Sample>();
  if (inputs.counters) {
    const totals = readCounters(inputs.counters, diagnostics);
    const metric = experiment.goal.metric;
    const goalName = [metric, `${metric}_total`].find((n) => totals.has(n));
    const trials = totals.get(METRICS.requests);
    if (!goalName || !trials) {
      const missing = !trials ? METRICS.requests : `${metric} (or ${metric}_total)`;
      diagnostics.push(
        error('missing_counter', `the snapshot has no counter ${missing} with a \`variant\` label`, {
          location: { file: inputs.counters.file, line: 1, column: 1 },
          hint: `counters there: ${[...totals.keys()].sort().join(', ') || 'none'}`,
        }),
      );
      return { samples, summary: { source: 'counters', unknownVariants: [] } };
    }
    for (const name of known)
      samples.set(name, rateSample(totals.get(goalName)!.get(name) ?? 0, trials.get(name) ?? 0));
    return { samples, summary: { source: 'counters', unknownVariants: unknown(trials.keys(), known) } };
  }
  const scope = {
    system: experiment.system,
    environment: experiment.environment,
    ...(inputs.tier ? { tier: inputs.tier } : {}),
  };
  const { assignments, counts } = readAssignments(inputs.events ?? [], scope, diagnostics);
  const outcomes = readOutcomes(inputs.outcomes ?? [], experiment.goal.metric, diagnostics);
  const joined = joinOutcomes(assignments, outcomes);
  for (const name of known) {
    const values = joined.values.get(name) ?? [];
    samples.set(
      name,
      experiment.goal.kind === 'rate'
        ? rateSample(values.filter((v) => v > 0).length, values.length)
        : meanSample(values),
    );
  }
  return {
    samples,
    summary: {
      source: 'events',
      events: counts,
      outcomeRecords: outcomes.records,
      unmatchedOutcomes: joined.unmatched,
      crossedOverUnits: joined.crossedOver,
      unknownVariants: unknown(joined.values.keys(), known),
    },
  };
}

function unknown(names: Iterable<string>, known: ReadonlySet<string>): string[] {
  return [...names].filter((n) => n !== '' && !known.has(n)).sort();
}
