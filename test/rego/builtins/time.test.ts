import { describe, expect, it } from 'vitest';
import { call, context, expectCall, expectError, FIXED_NOW_NS } from './helpers.js';

describe('time', () => {
  it('reads the evaluation’s clock', () => {
    expectCall('time.now_ns', [], FIXED_NOW_NS);
    expect(call('time.now_ns', [], context({ timeNs: 42n }))).toBe(42);
  });

  it('parses RFC 3339 and Go layouts, within int64 nanoseconds', () => {
    expectCall('time.parse_rfc3339_ns', ['2017-06-02T19:00:00-07:00'], 1496455200000000000n);
    expectCall('time.parse_rfc3339_ns', ['1677-09-21T00:12:43.145224192-00:00'], -9223372036854775808n);
    expectError(
      'time.parse_rfc3339_ns',
      ['2262-04-11T23:47:16.854775808Z'],
      'eval_builtin_error',
      'time outside of valid range',
    );
    expectCall('time.parse_ns', ["01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700"], 1496455200000000000n);
    expectCall('time.parse_ns', ['RFC822Z', '02 Jun 17 19:00 -0700'], 1496455200000000000n);
    expectCall('time.parse_ns', ['2006-01-02', '2020-02-29'], 1582934400000000000n);
    expectCall('time.parse_ns', ['Jan _2 2006 15:04:05.000', 'Feb  3 2020 04:05:06.789'], 1580702706789000000n);
    expectCall('time.parse_ns', ['2006-01-02 15:04:05', '2020-02-03 04:05:06.5'], 1580702706500000000n);
    // Without a year, Go parses year 0, which no int64 of nanoseconds reaches.
    expectError('time.parse_ns', ['15:04', '10:30'], 'eval_builtin_error', 'time outside of valid range');
    expectError(
      'time.parse_ns',
      ['2006-01-02', '2020-02-30'],
      'eval_builtin_error',
      'parsing time "2020-02-30": day out of range',
    );
    expectError(
      'time.parse_ns',
      ['2006-01-02', 'x2020-02-02'],
      'eval_builtin_error',
      'parsing time "x2020-02-02" as "2006-01-02": cannot parse "x2020-02-02" as "2006"',
    );
    expectError('time.parse_ns', ['2006-01-02', '2020-02-02 extra'], 'eval_builtin_error', 'extra text: " extra"');
  });

  it('parses Go durations', () => {
    expectCall('time.parse_duration_ns', ['1h2m3.5s'], 3723500000000);
    expectCall('time.parse_duration_ns', ['-1.5µs'], -1500);
    expectCall('time.parse_duration_ns', ['0'], 0);
    expectError('time.parse_duration_ns', ['1'], 'eval_builtin_error', 'time: missing unit in duration "1"');
    expectError('time.parse_duration_ns', ['1x'], 'eval_builtin_error', 'time: unknown unit "x" in duration "1x"');
  });

  it('reads dates, clocks and weekdays in IANA zones', () => {
    expectCall('time.date', [[1517814000000000000n, 'America/Los_Angeles']], [2018, 2, 4]);
    expectCall('time.date', [1582977600000000000n], [2020, 2, 29]);
    expectCall('time.clock', [[1517832000000000000n, 'America/New_York']], [7, 0, 0]);
    expectCall('time.weekday', [1518350400000000000n], 'Sunday');
    expectError('time.date', [1582977600n * 10n ** 12n], 'eval_builtin_error', 'timestamp too big');
    expectError('time.date', [[0, 'Nowhere/City']], 'eval_builtin_error', 'unknown time zone Nowhere/City');
    expectError(
      'time.clock',
      ['x'],
      'eval_type_error',
      'operand 1 must be either number (ns) or [number (ns), string (tz)] but got string',
    );
  });

  it('formats with layouts and zone names', () => {
    const ns = 1670006453141828752n;
    expectCall('time.format', [ns], '2022-12-02T18:40:53.141828752Z');
    expectCall('time.format', [[ns, 'Asia/Kolkata']], '2022-12-03T00:10:53.141828752+05:30');
    expectCall(
      'time.format',
      [[ns, 'Asia/Kolkata', 'Mon Jan 02 15:04:05 -0700 2006']],
      'Sat Dec 03 00:10:53 +0530 2022',
    );
    expectCall('time.format', [[ns, 'America/New_York', 'UnixDate']], 'Fri Dec  2 13:40:53 EST 2022');
    expectCall('time.format', [[ns, 'UTC', '3:04PM .000 __2 002']], '6:40PM .141 336 336');
  });

  it('adds dates with normalization and diffs calendars', () => {
    expectCall('time.add_date', [1585852421593912000n, 3, 9, 12], 1705257221593912000n);
    expectCall('time.add_date', [1585852421593912000n, -1, -1, -1], 1551465221593912000n);
    expectError('time.add_date', [0, 2262, 1, 1], 'eval_builtin_error', 'time outside of valid range');
    const day = (s: string) => call('time.parse_ns', ['2006-01-02', s]);
    expectCall('time.diff', [day('2020-02-02'), day('2020-03-01')], [0, 0, 28, 0, 0, 0]);
    expectCall('time.diff', [day('2021-02-02'), day('2021-03-01')], [0, 0, 27, 0, 0, 0]);
    expectCall(
      'time.diff',
      [
        [60000000000n, 'UTC'],
        [0, 'Asia/Shanghai'],
      ],
      [0, 0, 0, 0, 1, 0],
    );
  });
});
