// A/B tests whose weights a change moves. Moving weights mid-test changes who sees what, so the
// review shows where the running experiment stands: its report as the base defines it (the data
// was collected under the base's weights), when the runtime's events are given to the check.
import { compareCodeUnits } from '../../core/compare.js';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { type AbInputs, type AbReport, abReport, experimentOf } from '../experiment/report.js';
import type { ResolvedSystem } from '../resolve/resolved.js';

export interface ExperimentChange {
  readonly system: string;
  readonly environment: string;
  /** Weight per variant before and after (absent: not in that side's test). */
  readonly before: Readonly<Record<string, number>>;
  readonly after: Readonly<Record<string, number>>;
  /** The running experiment's report, when data was given and read. */
  readonly report?: AbReport;
  /** Problems of the data (located), which stop the report. */
  readonly problems?: readonly Diagnostic[];
}

function weights(s: ResolvedSystem | undefined): Record<string, number> | undefined {
  const e = s && experimentOf(s);
  return e && typeof e !== 'string' ? Object.fromEntries(e.variants.map((v) => [v.name, v.weight])) : undefined;
}

/** Experiments running at the base whose weights the head changes (or ends), with their reports. */
export function experimentChanges(
  base: readonly ResolvedSystem[],
  head: readonly ResolvedSystem[],
  inputs: AbInputs | undefined,
): ExperimentChange[] {
  const headOf = new Map(head.map((s) => [`${s.environment}/${s.name}`, s]));
  const out: ExperimentChange[] = [];
  for (const b of base) {
    const before = weights(b);
    const experiment = experimentOf(b);
    if (!before || typeof experiment === 'string') continue;
    const after = weights(headOf.get(`${b.environment}/${b.name}`)) ?? {};
    if (JSON.stringify(Object.entries(before).sort()) === JSON.stringify(Object.entries(after).sort())) continue;
    const change = { system: b.name, environment: b.environment, before, after };
    if (!inputs) {
      out.push(change);
      continue;
    }
    const { report, diagnostics } = abReport(experiment, inputs);
    out.push({ ...change, ...(report ? { report } : {}), ...(diagnostics.length ? { problems: diagnostics } : {}) });
  }
  return out.sort((x, y) => compareCodeUnits(x.system, y.system) || compareCodeUnits(x.environment, y.environment));
}

const weightList = (w: Readonly<Record<string, number>>) =>
  Object.entries(w)
    .map(([name, weight]) => `${name} ${weight} %`)
    .join(', ') || 'no A/B test';

/** One line: which test, how its weights move, and its verdict when known. */
export function experimentSummary(e: ExperimentChange): string {
  const state = e.report
    ? `running test: ${e.report.verdict.decision}${e.report.verdict.variant ? ` ${e.report.verdict.variant}` : ''}`
    : e.problems
      ? 'its data has problems (see below)'
      : 'no A/B data given (--ab-events or --ab-counters)';
  return `A/B test ${e.system}/${e.environment}: weights ${weightList(e.before)} → ${weightList(e.after)}; ${state}`;
}
