// Spec cron expressions (five fields or an @-macro, checked by the schema) → cdk8s `Cron`.
// cdk8s builds a Cron from its fields; writing each field back unchanged keeps the user's text.
import { Cron } from 'cdk8s';
import { sha256Hex } from '../../../core/hash.js';

const MACROS: Record<string, () => Cron> = {
  '@hourly': Cron.hourly,
  '@daily': Cron.daily,
  '@weekly': Cron.weekly,
  '@monthly': Cron.monthly,
  '@yearly': Cron.annually,
};

export function cronSchedule(expression: string): Cron {
  const macro = MACROS[expression.trim()];
  if (macro) return macro();
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`internal: \`${expression}\` is not a five-field cron expression`);
  const [minute, hour, day, month, weekDay] = fields as [string, string, string, string, string];
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
