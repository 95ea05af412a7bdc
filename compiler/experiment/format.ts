// The A/B report for a terminal and for a pull request (JSON is the report itself).
import type { AbReport, ComparisonResult, VariantResult } from './analysis.js';

const sig = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x));
const p = (x: number) => (x < 1e-4 ? x.toExponential(2) : sig(x));
const interval = ([lo, hi]: readonly [number, number]) => `[${sig(lo)}, ${sig(hi)}]`;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${sig(x)}`;
const percent = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${sig(100 * x)} %`);

function headline(r: AbReport): string {
  const v = r.verdict;
  return `${v.decision.toUpperCase()}${v.variant ? ` ${v.variant}` : ''}`;
}

function goalLine(r: AbReport): string {
  const g = r.goal;
  const mde = g.minimumDetectableEffect === undefined ? 'none' : `${sig(100 * g.minimumDetectableEffect)} %`;
  return (
    `goal: ${g.kind} of ${g.metric} (${g.direction}), alpha ${g.alpha}, power ${g.power}, ` +
    `minimum detectable effect ${mde}, control ${r.control}`
  );
}

function variantCells(v: VariantResult): string[] {
  const needed = v.required === undefined ? 'n/a' : `${v.required}${v.n >= v.required ? ' (reached)' : ''}`;
  return [v.name, `${v.weight} %`, String(v.n), needed, sig(v.value), interval(v.interval)];
}

function comparisonCells(c: ComparisonResult): string[] {
  const stat = c.df !== undefined ? `t = ${sig(c.statistic)}, df ${sig(c.df)}` : `z = ${sig(c.statistic)}`;
  return [
    c.variant,
    signed(c.difference),
    percent(c.relativeDifference),
    interval(c.interval),
    stat,
    p(c.pValue),
    p(c.adjustedPValue),
    c.significant ? 'yes' : 'no',
  ];
}

const VARIANT_HEAD = ['variant', 'weight', 'units', 'planned', 'value', `CI`];
const COMPARISON_HEAD = ['vs control', 'difference', 'relative', 'CI', 'statistic', 'p', 'Holm p', 'significant'];

function dataLine(r: AbReport): string {
  const i = r.input;
  if (i.source === 'counters') return 'data: Prometheus counters (units are requests)';
  const e = i.events!;
  const left = [
    e.otherSources ? `${e.otherSources} of other systems/environments` : '',
    e.notRandomized ? `${e.notRandomized} routed by override or version` : '',
    e.otherTypes ? `${e.otherTypes} CloudEvents of other types or versions` : '',
    i.crossedOverUnits ? `${i.crossedOverUnits} units seen in two variants` : '',
    i.unmatchedOutcomes ? `${i.unmatchedOutcomes} outcomes without an assignment` : '',
    i.unknownVariants.length ? `variants not in the spec: ${i.unknownVariants.join(', ')}` : '',
  ].filter(Boolean);
  return (
    `data: ${e.read} assignment events, ${i.outcomeRecords} outcome ` +
    `records${left.length ? `; left out: ${left.join('; ')}` : ''}`
  );
}

/** Shown under the comparisons before the planned sample: p-values then decide nothing. */
const INTERIM = 'interim: the planned sample is not reached, so these p-values decide nothing';

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((x, c) => x.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}

export function abText(r: AbReport): string {
  const out = [
    `A/B test ${r.system} (${r.environment}): ${headline(r)}`,
    ...r.verdict.reasons.map((x) => `  - ${x.message}`),
    '',
    goalLine(r),
    dataLine(r),
    `sample ratio: chi-squared ${sig(r.srm.statistic)} (df ${r.srm.df}), p = ${p(r.srm.pValue)}` +
      ` ${r.srm.failed ? `FAILED (< ${r.srm.threshold})` : 'ok'}`,
    '',
    ...table(VARIANT_HEAD, r.variants.map(variantCells)),
    '',
    ...table(COMPARISON_HEAD, r.comparisons.map(comparisonCells)),
    ...(r.plan.reached ? [] : [`(${INTERIM})`]),
    '',
    `multiple comparisons: ${r.correction}`,
    `peeking: ${r.peeking}`,
  ];
  return `${out.join('\n')}\n`;
}

function mdTable(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

export function abMarkdown(r: AbReport): string {
  const out = [
    `### A/B test \`${r.system}\` (${r.environment}): **${headline(r)}**`,
    '',
    ...r.verdict.reasons.map((x) => `- ${x.message}`),
    '',
    goalLine(r),
    '',
    dataLine(r),
    '',
    `Sample ratio: chi-squared ${sig(r.srm.statistic)} (df ${r.srm.df}), p = ${p(r.srm.pValue)}, ` +
      `${r.srm.failed ? `**failed** (< ${r.srm.threshold})` : 'ok'}.`,
    '',
    ...mdTable(VARIANT_HEAD, r.variants.map(variantCells)),
    '',
    ...mdTable(COMPARISON_HEAD, r.comparisons.map(comparisonCells)),
    ...(r.plan.reached ? [] : ['', `_${INTERIM}._`]),
    '',
    `<sub>Multiple comparisons: ${r.correction}. Peeking: ${r.peeking}.</sub>`,
  ];
  return `${out.join('\n')}\n`;
}
