// Spec cron expressions (five fields or an @-macro, checked by resolve) → cdk8s `Cron`.
// cdk8s builds a Cron from its fields; writing each field back unchanged keeps the user's text.
import { Cron } from 'cdk8s';
import { sha256Hex } from '../../../core/hash.js';
import { parseCron } from '../../schema/cron.js';

const MACROS: Record<string, () => Cron> = {
  '@hourly': Cron.hourly,
  '@daily': Cron.daily,
  '@weekly': Cron.weekly,
  '@monthly': Cron.monthly,
  '@yearly': Cron.annually,
};

export function cronSchedule(expression: string): Cron {
  const parsed = parseCron(expression);
  if (parsed.kind === 'macro') return MACROS[parsed.macro]!();
  if (parsed.kind === 'invalid')
    throw new Error(`internal: invalid cron schedule (resolve checks them): ${parsed.problem}`);
  const [minute, hour, day, month, weekDay] = parsed.fields;
  return Cron.schedule({ minute, hour, day, month, weekDay });
}

/**
 * CronJob names are limited to 52 characters (its Jobs append 11); a longer name keeps its
 * readable start and ends with a hash of the whole, like objectName does at 63.
 */
export const MAX_CRONJOB_NAME_LENGTH = 52;

export function cronJobName(name: string): string {
  if (name.length <= MAX_CRONJOB_NAME_LENGTH) return name;
  const suffix = sha256Hex(name).slice(0, 8);
  return `${name.slice(0, MAX_CRONJOB_NAME_LENGTH - suffix.length - 1).replace(/-+$/, '')}-${suffix}`;
}
