// Cron schedules are checked field by field, as Kubernetes and Argo parse them, so that an
// invalid one is an error at the spec and never reaches the renderer (once an internal error)
// or out/ (once `99 99 99 99 99`, which the API server refuses at sync).
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCron } from '../../compiler/schema/cron.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('cron schedules', () => {
  it.each([
    '0 3 * * 1',
    '*/15 * * * *',
    '0 3 * * MON-FRI',
    '0 0 1,15 * ?',
    '5 4 * jan-dec/2 sun',
    '0-59/5 0-23 1-31 1-12 0-6',
    '  0 5 * * 0  ',
    '@daily',
  ])('accepts `%s`', (expression) => expect(parseCron(expression).kind).not.toBe('invalid'));

  it.each([
    ['every hour', 'it has 2 field(s), not 5'],
    ['99 99 99 99 99', 'minute `99`: `99` is out of range 0-59'],
    ['0 24 * * *', 'hour `24`: `24` is out of range 0-23'],
    ['0 0 0 * *', 'day of month `0`: `0` is out of range 1-31'],
    ['0 0 * * 7', 'day of week `7`: `7` is out of range 0-6'],
    ['0 0 * JANUARY *', 'month `JANUARY`: `JANUARY` is not 1-12 or JAN-DEC'],
    ['*/0 * * * *', 'minute `*/0`: the step must be a number from 1 to 99'],
    ['5-1 * * * *', 'minute `5-1`: the range runs backwards'],
    ['? * * * *', 'minute `?`: `?` is not 0-59'],
    ['1-2-3 * * * *', 'minute `1-2-3` is not `*`, a value or a range `N-M`'],
    [',5 * * * *', 'minute `` is not `*`, a value or a range `N-M`'],
    ['@every 1h', '`@every 1h` is not one of @hourly, @daily, @weekly, @monthly, @yearly'],
  ])('refuses `%s`: %s', (expression, problem) => expect(parseCron(expression)).toEqual({ kind: 'invalid', problem }));

  it('compile reports a bad schedule at the spec, never as an internal error, and writes nothing', async () => {
    const { dir, cleanup } = tempDir();
    try {
      cpSync(join(import.meta.dirname, '../fixtures/minimal'), dir, { recursive: true });
      const system = join(dir, 'system.yaml');
      const text = readFileSync(system, 'utf8');
      for (const [schedule, code] of [
        ['every hour', 'invalid_format'],
        ['"99 99 99 99 99"', 'invalid_schedule'],
      ]) {
        writeFileSync(
          system,
          text.replace('      freshness: 2h\n', `      freshness: 2h\n      materializeSchedule: ${schedule}\n`),
        );
        const run = await runCli(['compile', '.'], { cwd: dir });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(new RegExp(`^system\\.yaml:28:28: error\\[${code}\\]`, 'm'));
        expect(run.stderr).not.toMatch(/internal error/);
      }
      expect(readFileSync(system, 'utf8')).toContain('"99 99 99 99 99"');
    } finally {
      cleanup();
    }
  });
});
