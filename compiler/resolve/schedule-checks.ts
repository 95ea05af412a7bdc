// Cron schedules, field by field (schema/cron.ts): the schema only sees five words.
import { joinPointer } from '../../core/json-pointer.js';
import { quote } from '../../core/diagnostics/quote.js';
import { CRON_HELP, parseCron } from '../schema/cron.js';
import type { MLSystemBody } from '../schema/mlsystem.js';
import type { Reporter } from './report.js';

/** Every schedule of a spec, with its pointer. */
function schedules(spec: MLSystemBody): [string, string][] {
  const found: [string, string][] = [];
  const training = spec.training.triggers?.schedule;
  if (training !== undefined) found.push(['/training/triggers/schedule', training]);
  for (const [name, view] of Object.entries(spec.features.views)) {
    if (view.materializeSchedule !== undefined)
      found.push([joinPointer(joinPointer('/features/views', name), 'materializeSchedule'), view.materializeSchedule]);
  }
  return found;
}

export function checkSchedules(spec: MLSystemBody, r: Reporter): void {
  for (const [pointer, expression] of schedules(spec)) {
    const parsed = parseCron(expression);
    if (parsed.kind === 'invalid')
      r.report(
        'invalid_schedule',
        `${quote(expression)} is not a cron schedule: ${parsed.problem}`,
        pointer,
        `write ${CRON_HELP}`,
      );
  }
}
