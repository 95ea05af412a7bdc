// Time builtins over int64 nanoseconds since the epoch, with Go's layouts and IANA zones.
// `time.now_ns` reads the evaluation's fixed clock from the context.
import { fromBigInt, toBigInt } from '../number.js';
import { isNumber, type Value } from '../value.js';
import { intArg, numberArg, stringArg } from './args.js';
import { formatTime, namedLayouts, parseTime, WEEKDAYS } from './time-layout.js';
import { civil, fromCivil, fromUnixNano, loadZone, toUnixNano, UTC, type GoTime } from './time-zone.js';
import { BuiltinError, declare, implement, operandTypeError } from './table.js';
import { T } from '../types.js';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const nsOrTz = T.anyOf(T.number, T.tuple(T.number, T.string));
const nsOperandHelp = 'either number (ns) or [number (ns), string (tz)]';

/** The `x` operand of the time builtins: ns, [ns, tz] or [ns, tz, layout]. */
function tzTime(x: Value | undefined): { t: GoTime; layout: string } {
  let ns: Value | undefined = x;
  let zone = UTC;
  let layout = '';
  if (Array.isArray(x)) {
    if (x.length === 0) throw operandTypeError(1, x, nsOperandHelp);
    ns = numberArg(x[0], 1);
    if (x.length > 1) zone = loadZone(stringArg(x[1], 1));
    if (x.length > 2) layout = stringArg(x[2], 1);
  } else if (x === undefined || !isNumber(x)) throw operandTypeError(1, x ?? null, nsOperandHelp);
  const i = toBigInt(numberArg(ns, 1));
  if (i === undefined || i < INT64_MIN || i > INT64_MAX) throw new BuiltinError('timestamp too big');
  return { t: fromUnixNano(i, zone), layout };
}

function nanos(t: GoTime): Value {
  return fromBigInt(toUnixNano(t));
}

const nowNs = declare({
  name: 'time.now_ns',
  args: [],
  result: { name: 'now', type: T.number, description: 'nanoseconds since epoch' },
  description: 'Returns the current time since epoch in nanoseconds.',
  categories: ['time'],
  nondeterministic: true,
});
implement(nowNs, (_, ctx) => fromBigInt(ctx.timeNs));

const parseNs = declare({
  name: 'time.parse_ns',
  args: [
    {
      name: 'layout',
      type: T.string,
      description:
        'format used for parsing, see the [Go `time` package ' +
        'documentation](https://golang.org/pkg/time/#Parse) for more details',
    },
    { name: 'value', type: T.string, description: 'input to parse according to `layout`' },
  ],
  result: { name: 'ns', type: T.number, description: '`value` in nanoseconds since epoch' },
  description:
    'Returns the time in nanoseconds parsed from the string in the given format. `undefined` if the result ' +
    'would be outside the valid time range that can fit within an `int64`.',
  categories: ['time'],
});
implement(parseNs, ([l, v]) => {
  const layout = stringArg(l, 1);
  const value = stringArg(v, 2);
  return nanos(parseTime(namedLayouts[layout] ?? layout, value));
});

const parseRfc3339Ns = declare({
  name: 'time.parse_rfc3339_ns',
  args: [{ name: 'value', type: T.string, description: 'input string to parse in RFC3339 format' }],
  result: { name: 'ns', type: T.number, description: '`value` in nanoseconds since epoch' },
  description:
    'Returns the time in nanoseconds parsed from the string in RFC3339 format. `undefined` if the result would ' +
    'be outside the valid time range that can fit within an `int64`.',
  categories: ['time'],
});
implement(parseRfc3339Ns, ([v]) => nanos(parseTime(namedLayouts.RFC3339!, stringArg(v, 1))));

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};

/** time.ParseDuration, exact to the nanosecond (fractions scale as Go's float64 math). */
export function parseDuration(text: string): bigint {
  const invalid = () => new BuiltinError(`time: invalid duration ${JSON.stringify(text)}`);
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, int = '', frac] = m;
    if (int === '' && (frac === undefined || frac === '')) throw invalid();
    s = s.slice(whole.length);
    const unitMatch = /^[^\d.]+/.exec(s);
    if (!unitMatch) throw new BuiltinError(`time: missing unit in duration ${JSON.stringify(text)}`);
    const unitText = unitMatch[0];
    const unit = UNITS[unitText];
    if (unit === undefined)
      throw new BuiltinError(`time: unknown unit ${JSON.stringify(unitText)} in duration ${JSON.stringify(text)}`);
    s = s.slice(unitText.length);
    let v = BigInt(int || '0') * unit;
    if (frac) {
      const f = BigInt(frac.slice(0, 18));
      const scale = 10 ** Math.min(frac.length, 18);
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
    }
    total += v;
    if (total > INT64_MAX + (neg ? 1n : 0n)) throw invalid();
  }
  return neg ? -total : total;
}

const parseDurationNs = declare({
  name: 'time.parse_duration_ns',
  args: [
    {
      name: 'duration',
      type: T.string,
      description:
        'a duration like "3m"; see the [Go `time` package ' +
        'documentation](https://golang.org/pkg/time/#ParseDuration) for more details',
    },
  ],
  result: { name: 'ns', type: T.number, description: 'the `duration` in nanoseconds' },
  description: 'Returns the duration in nanoseconds represented by a string.',
  categories: ['time'],
});
implement(parseDurationNs, ([d]) => fromBigInt(parseDuration(stringArg(d, 1))));

const format = declare({
  name: 'time.format',
  args: [
    {
      name: 'x',
      type: T.anyOf(T.number, T.tuple(T.number, T.string), T.tuple(T.number, T.string, T.string)),
      description:
        'a number representing the nanoseconds since the epoch (UTC); or a two-element array of the ' +
        'nanoseconds, and a timezone string; or a three-element array of ns, timezone string and a layout ' +
        'string or golang defined formatting constant (see golang supported time formats)',
    },
  ],
  result: {
    name: 'formatted timestamp',
    type: T.string,
    description:
      'the formatted timestamp represented for the nanoseconds since the epoch in the supplied timezone (or UTC)',
  },
  description: 'Returns the formatted timestamp for the nanoseconds since epoch.',
  categories: ['time'],
});
implement(format, ([x]) => {
  const { t, layout } = tzTime(x);
  return formatTime(t, layout === '' ? namedLayouts.RFC3339Nano! : (namedLayouts[layout] ?? layout));
});

const tzArg = {
  name: 'x',
  type: nsOrTz,
  description:
    'a number representing the nanoseconds since the epoch (UTC); or a two-element array of the nanoseconds, ' +
    'and a timezone string',
};

const date = declare({
  name: 'time.date',
  args: [tzArg],
  result: {
    name: 'date',
    type: T.tuple(T.number, T.number, T.number),
    description: 'an array of `year`, `month` (1-12), and `day` (1-31)',
  },
  description: 'Returns the `[year, month, day]` for the nanoseconds since epoch.',
  categories: ['time'],
});
implement(date, ([x]) => {
  const c = civil(tzTime(x).t);
  return [c.year, c.month, c.day];
});

const clock = declare({
  name: 'time.clock',
  args: [tzArg],
  result: {
    name: 'output',
    type: T.tuple(T.number, T.number, T.number),
    description:
      'the `hour`, `minute` (0-59), and `second` (0-59) representing the time of day for the nanoseconds since ' +
      'epoch in the supplied timezone (or UTC)',
  },
  description: 'Returns the `[hour, minute, second]` of the day for the nanoseconds since epoch.',
  categories: ['time'],
});
implement(clock, ([x]) => {
  const c = civil(tzTime(x).t);
  return [c.hour, c.minute, c.second];
});

const weekday = declare({
  name: 'time.weekday',
  args: [tzArg],
  result: {
    name: 'day',
    type: T.string,
    description: 'the weekday represented by `ns` nanoseconds since the epoch in the supplied timezone (or UTC)',
  },
  description: 'Returns the day of the week (Monday, Tuesday, ...) for the nanoseconds since epoch.',
  categories: ['time'],
});
implement(weekday, ([x]) => WEEKDAYS[civil(tzTime(x).t).weekday]!);

const addDate = declare({
  name: 'time.add_date',
  args: [
    { name: 'ns', type: T.number, description: 'nanoseconds since the epoch' },
    { name: 'years', type: T.number, description: 'number of years to add' },
    { name: 'months', type: T.number, description: 'number of months to add' },
    { name: 'days', type: T.number, description: 'number of days to add' },
  ],
  result: {
    name: 'output',
    type: T.number,
    description: 'nanoseconds since the epoch representing the input time, with years, months and days added',
  },
  description:
    'Returns the nanoseconds since epoch after adding years, months and days to nanoseconds. Month & day ' +
    'values outside their usual ranges after the operation and will be normalized - for example, October 32 ' +
    'would become November 1. `undefined` if the result would be outside the valid time range that can fit ' +
    'within an `int64`.',
  categories: ['time'],
});
implement(addDate, ([x, y, m, d]) => {
  const { t } = tzTime(x);
  const years = intArg(y, 2);
  const months = intArg(m, 3);
  const days = intArg(d, 4);
  const c = civil(t);
  return nanos(fromCivil(c.year + years, c.month + months, c.day + days, c.hour, c.minute, c.second, t.nsec, t.zone));
});

const diff = declare({
  name: 'time.diff',
  args: [
    {
      name: 'ns1',
      type: nsOrTz,
      description: 'nanoseconds since the epoch; or a two-element array of the nanoseconds, and a timezone string',
    },
    {
      name: 'ns2',
      type: nsOrTz,
      description: 'nanoseconds since the epoch; or a two-element array of the nanoseconds, and a timezone string',
    },
  ],
  result: {
    name: 'output',
    type: T.array(T.number),
    description:
      'difference between `ns1` and `ns2` (in their supplied timezones, if supplied, or UTC) as array of ' +
      'numbers: `[years, months, days, hours, minutes, seconds]`',
  },
  description: 'Returns the difference between two unix timestamps in nanoseconds (with optional timezone strings).',
  categories: ['time'],
});
implement(diff, ([a, b]) => {
  let t1 = tzTime(a).t;
  // Both are read in the first time's location.
  let t2 = { ...tzTime(b).t, zone: t1.zone };
  if (t1.sec > t2.sec || (t1.sec === t2.sec && t1.nsec > t2.nsec)) [t1, t2] = [t2, t1];
  const c1 = civil(t1);
  const c2 = civil(t2);
  let year = c2.year - c1.year;
  let month = c2.month - c1.month;
  let day = c2.day - c1.day;
  let hour = c2.hour - c1.hour;
  let min = c2.minute - c1.minute;
  let sec = c2.second - c1.second;
  if (sec < 0) {
    sec += 60;
    min--;
  }
  if (min < 0) {
    min += 60;
    hour--;
  }
  if (hour < 0) {
    hour += 24;
    day--;
  }
  if (day < 0) {
    // Days in t1's month, found as Go does: day 32 of it, normalized.
    const overflow = civil(fromCivil(c1.year, c1.month, 32, 0, 0, 0, 0, UTC)).day;
    day += 32 - overflow;
    month--;
  }
  if (month < 0) {
    month += 12;
    year--;
  }
  return [year, month, day, hour, min, sec];
});
