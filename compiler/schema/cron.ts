// Cron schedules as Kubernetes CronJobs and Argo CronWorkflows read them (both use the standard
// five-field parser of robfig/cron): minute, hour, day of month, month, day of week; each field
// a comma-separated list of `*`, `N` or `N-M`, optionally `/step`; months and week days also by
// name (JAN, MON); `?` means `*` in the two day fields. Or one of the macros the schema allows.
// The schema checks the shape (CRON); this checks every field and range, so that `99 99 99 99 99`
// is an error at the spec instead of a CronJob the API server refuses.

import { quote } from '../../core/diagnostics/quote.js';

export const CRON_MACROS = ['@hourly', '@daily', '@weekly', '@monthly', '@yearly'] as const;

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly question?: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEK_DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: WEEK_DAYS, question: true },
];

/** What to write, for hints. */
export const CRON_HELP =
  'five fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or JAN-DEC) and day of ' +
  'week (0-6 or SUN-SAT), e.g. `15 * * * *` or `0 3 * * MON-FRI`; or one of ' +
  CRON_MACROS.join(', ');

export type CronParse =
  | { readonly kind: 'macro'; readonly macro: (typeof CRON_MACROS)[number] }
  | { readonly kind: 'fields'; readonly fields: readonly [string, string, string, string, string] }
  | { readonly kind: 'invalid'; readonly problem: string };

/** A value of a field: a number, or (month, week day) a name; undefined if neither. */
function fieldValue(text: string, field: CronField): number | undefined {
  if (/^[0-9]{1,2}$/.test(text)) return Number(text);
  const i = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return i < 0 ? undefined : field.min + i;
}

/** Why one item of a field's list is not valid, or undefined when it is. */
function itemProblem(item: string, field: CronField): string | undefined {
  const shown = `${field.name} ${quote(item)}`;
  const m = /^([^/]*)(?:\/(.*))?$/.exec(item)!;
  const [range, step] = [m[1]!, m[2]];
  if (step !== undefined && !/^[1-9][0-9]{0,1}$/.test(step)) return `${shown}: the step must be a number from 1 to 99`;
  if (range === '*' || (range === '?' && field.question)) return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2 || bounds.some((b) => b === '')) return `${shown} is not \`*\`, a value or a range \`N-M\``;
  const values = bounds.map((b) => fieldValue(b, field));
  const bad = values.findIndex((v) => v === undefined || v < field.min || v > field.max);
  const names = field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : '';
  if (bad >= 0 && values[bad] === undefined)
    return `${shown}: ${quote(bounds[bad])} is not ${field.min}-${field.max}${names}`;
  if (bad >= 0) return `${shown}: ${quote(bounds[bad])} is out of range ${field.min}-${field.max}`;
  if (values.length === 2 && values[0]! > values[1]!) return `${shown}: the range runs backwards`;
  return undefined;
}

export function parseCron(expression: string): CronParse {
  const text = expression.trim();
  const macro = CRON_MACROS.find((m) => m === text);
  if (macro) return { kind: 'macro', macro };
  if (text.startsWith('@'))
    return { kind: 'invalid', problem: `${quote(text)} is not one of ${CRON_MACROS.join(', ')}` };
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return { kind: 'invalid', problem: `it has ${fields.length} field(s), not 5` };
  for (const [i, field] of CRON_FIELDS.entries()) {
    for (const item of fields[i]!.split(',')) {
      const problem = itemProblem(item, field);
      if (problem) return { kind: 'invalid', problem };
    }
  }
  return { kind: 'fields', fields: fields as [string, string, string, string, string] };
}
