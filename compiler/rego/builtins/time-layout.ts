// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00") for time.format and
// time.parse_ns: the same chunking of a layout into elements, the same parse rules
// (two-digit fields, `_2` padding, fractional seconds) and the same error messages.
import { goQuote } from './go-text.js';
import { abbreviation, civil, daysIn, fromCivil, UTC, type GoTime, type Zone } from './time-zone.js';
import { BuiltinError } from './table.js';

/** Layout names OPA accepts in place of a layout. */
export const namedLayouts: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// Element names are the layout text they stand for; fractions are `.000`/`,999`...
const FIXED = [
  'January',
  'Jan',
  'Monday',
  'Mon',
  'MST',
  '2006',
  '-07:00:00',
  '-070000',
  '-07:00',
  '-0700',
  '-07',
  'Z07:00:00',
  'Z070000',
  'Z07:00',
  'Z0700',
  'Z07',
];

/** Splits a layout into literal text and elements, as Go's nextStdChunk. */
function nextChunk(layout: string): [string, string, string] | undefined {
  const lower = (s: string) => s.length > 0 && s[0]! >= 'a' && s[0]! <= 'z';
  for (let i = 0; i < layout.length; i++) {
    const rest = layout.slice(i);
    const hit = (std: string): [string, string, string] => [layout.slice(0, i), std, layout.slice(i + std.length)];
    switch (layout[i]) {
      case 'J':
        if (rest.startsWith('January')) return hit('January');
        if (rest.startsWith('Jan') && !lower(rest.slice(3))) return hit('Jan');
        break;
      case 'M':
        if (rest.startsWith('Monday')) return hit('Monday');
        if (rest.startsWith('Mon') && !lower(rest.slice(3))) return hit('Mon');
        if (rest.startsWith('MST')) return hit('MST');
        break;
      case '0':
        if (rest.length >= 2 && rest[1]! >= '1' && rest[1]! <= '6') return hit(rest.slice(0, 2));
        if (rest.startsWith('002')) return hit('002');
        break;
      case '1':
        return hit(rest.startsWith('15') ? '15' : '1');
      case '2':
        return hit(rest.startsWith('2006') ? '2006' : '2');
      case '_':
        if (rest.startsWith('_2006')) return [layout.slice(0, i + 1), '2006', layout.slice(i + 5)];
        if (rest.startsWith('_2')) return hit('_2');
        if (rest.startsWith('__2')) return hit('__2');
        break;
      case '3':
      case '4':
      case '5':
        return hit(layout[i]!);
      case 'P':
        if (rest.startsWith('PM')) return hit('PM');
        break;
      case 'p':
        if (rest.startsWith('pm')) return hit('pm');
        break;
      case '-':
      case 'Z':
        for (const std of FIXED) if (std[0] === layout[i] && rest.startsWith(std)) return hit(std);
        break;
      case '.':
      case ',': {
        const d = rest[1];
        if (d === '0' || d === '9') {
          let j = 1;
          while (j < rest.length && rest[j] === d) j++;
          if (!(rest[j]! >= '0' && rest[j]! <= '9')) return hit(rest.slice(0, j));
        }
      }
    }
  }
  return undefined;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

function formatOffset(off: number, std: string): string {
  if (std.startsWith('Z') && off === 0) return 'Z';
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  const ss = pad(abs % 60, 2);
  const colon = std.includes(':');
  const body = std.slice(1);
  if (body === '07') return sign + hh;
  if (body === '0700' || body === '07:00') return sign + hh + (colon ? ':' : '') + mm;
  return sign + hh + (colon ? ':' : '') + mm + (colon ? ':' : '') + ss;
}

/** Time.Format */
export function formatTime(t: GoTime, layout: string): string {
  const c = civil(t);
  let out = '';
  let rest = layout;
  for (;;) {
    const chunk = nextChunk(rest);
    if (chunk === undefined) return out + rest;
    const [prefix, std, suffix] = chunk;
    out += prefix;
    rest = suffix;
    const h12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
    switch (std) {
      case 'January':
        out += MONTHS[c.month - 1];
        break;
      case 'Jan':
        out += MONTHS[c.month - 1]!.slice(0, 3);
        break;
      case '1':
        out += c.month;
        break;
      case '01':
        out += pad(c.month, 2);
        break;
      case 'Monday':
        out += WEEKDAYS[c.weekday];
        break;
      case 'Mon':
        out += WEEKDAYS[c.weekday]!.slice(0, 3);
        break;
      case '2':
        out += c.day;
        break;
      case '_2':
        out += String(c.day).padStart(2, ' ');
        break;
      case '02':
        out += pad(c.day, 2);
        break;
      case '__2':
        out += String(c.yday).padStart(3, ' ');
        break;
      case '002':
        out += pad(c.yday, 3);
        break;
      case '15':
        out += pad(c.hour, 2);
        break;
      case '3':
        out += h12;
        break;
      case '03':
        out += pad(h12, 2);
        break;
      case '4':
        out += c.minute;
        break;
      case '04':
        out += pad(c.minute, 2);
        break;
      case '5':
        out += c.second;
        break;
      case '05':
        out += pad(c.second, 2);
        break;
      case '2006':
        out += pad(c.year, 4);
        break;
      case '06':
        out += pad(((c.year % 100) + 100) % 100, 2);
        break;
      case 'PM':
        out += c.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += c.hour >= 12 ? 'pm' : 'am';
        break;
      case 'MST': {
        const name = abbreviation(t.zone, t.sec);
        out += name !== '' ? name : formatOffset(c.offset, '-0700');
        break;
      }
      default:
        if (std[0] === '-' || std[0] === 'Z') out += formatOffset(c.offset, std);
        else {
          // Fractional seconds: .000 keeps the digits, .999 trims trailing zeros.
          const digits = pad(t.nsec, 9).slice(0, std.length - 1);
          if (std[1] === '0') out += std[0] + digits;
          else {
            const trimmed = digits.replace(/0+$/, '');
            if (trimmed !== '') out += std[0] + trimmed;
          }
        }
    }
  }
}

// --- parsing -----------------------------------------------------------------------------

class Bad extends Error {}

const isDigit = (s: string, i: number) => i < s.length && s[i]! >= '0' && s[i]! <= '9';

/** Up to two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigit(s, 0)) throw new Bad();
  if (!isDigit(s, 1)) {
    if (fixed) throw new Bad();
    return [Number(s[0]), s.slice(1)];
  }
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigit(s, i); i++) n = n * 10 + Number(s[i]);
  if (i === 0 || (fixed && i !== 3)) throw new Bad();
  return [n, s.slice(i)];
}

function lookup(names: readonly string[], s: string): [number, string] {
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    if (s.length >= n.length && s.slice(0, n.length).toLowerCase() === n.toLowerCase()) return [i, s.slice(n.length)];
  }
  throw new Bad();
}

/** Matches literal layout text; a space matches any run of spaces. */
function skip(value: string, prefix: string): string {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') throw new Bad();
      prefix = prefix.replace(/^ +/, '');
      value = value.replace(/^ +/, '');
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) throw new Bad();
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

/** Length of a zone abbreviation at the start of `s` (Go's parseTimeZone), or 0. */
function zoneNameLength(s: string): number {
  if (s.length < 3) return 0;
  if (s.startsWith('ChST') || s.startsWith('MeST')) return 4;
  if (s.startsWith('GMT')) {
    const m = /^GMT([+-]\d{1,2})?/.exec(s)!;
    return m[0].length;
  }
  if (s[0] === '+' || s[0] === '-') {
    const m = /^[+-]\d{1,2}/.exec(s);
    return m ? m[0].length : 0;
  }
  let n = 0;
  while (n < s.length && s[n]! >= 'A' && s[n]! <= 'Z') n++;
  if (n === 3) return 3;
  if (n === 4 && (s[3] === 'T' || s.startsWith('WIT'))) return 4;
  if (n === 5 && s[4] === 'T') return 5;
  return 0;
}

/** time.Parse: the instant; values without a zone are UTC. */
export function parseTime(layout: string, value: string): GoTime {
  const fail = (elem: string, rest: string, message = ''): BuiltinError =>
    new BuiltinError(
      message
        ? `parsing time ${goQuote(value)}${message}`
        : `parsing time ${goQuote(value)} as ${goQuote(layout)}: cannot parse ${goQuote(rest)} as ${goQuote(elem)}`,
    );
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pm = false;
  let am = false;
  let zone: Zone | undefined;
  let offset: number | undefined;
  let rest = layout;
  let v = value;
  for (;;) {
    const chunk = nextChunk(rest);
    const prefix = chunk ? chunk[0] : rest;
    try {
      v = skip(v, prefix);
    } catch {
      throw fail(prefix, v);
    }
    if (chunk === undefined) {
      if (v.length > 0) throw fail('', v, `: extra text: ${goQuote(v)}`);
      break;
    }
    const std = chunk[1];
    rest = chunk[2];
    const at = v;
    let range = '';
    try {
      switch (std) {
        case '2006':
          if (v.length < 4 || !isDigit(v, 0)) throw new Bad();
          if (!/^\d{4}/.test(v)) throw new Bad();
          year = Number(v.slice(0, 4));
          v = v.slice(4);
          break;
        case '06':
          [year, v] = getnum(v, true);
          year += year >= 69 ? 1900 : 2000;
          break;
        case 'January':
        case 'Jan':
          [month, v] = lookup(std === 'Jan' ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS, v);
          month++;
          break;
        case '1':
        case '01':
          [month, v] = getnum(v, std === '01');
          if (month < 1 || month > 12) range = 'month';
          break;
        case 'Monday':
        case 'Mon':
          [, v] = lookup(std === 'Mon' ? WEEKDAYS.map((d) => d.slice(0, 3)) : WEEKDAYS, v);
          break;
        case '2':
        case '_2':
        case '02':
          if (std === '_2' && v[0] === ' ') v = v.slice(1);
          [day, v] = getnum(v, std === '02');
          break;
        case '__2':
        case '002':
          if (std === '__2') v = v.replace(/^ {1,2}/, '');
          [yday, v] = getnum3(v, std === '002');
          if (yday < 1 || yday > 366) range = 'day-of-year';
          break;
        case '15':
          [hour, v] = getnum(v, false);
          if (hour > 23) range = 'hour';
          break;
        case '3':
        case '03':
          [hour, v] = getnum(v, std === '03');
          if (hour > 12) range = 'hour';
          break;
        case '4':
        case '04':
          [min, v] = getnum(v, std === '04');
          if (min > 59) range = 'minute';
          break;
        case '5':
        case '05':
          [sec, v] = getnum(v, std === '05');
          if (sec > 59) range = 'second';
          // A fraction the layout does not mention is accepted after the seconds.
          if (v.length >= 2 && (v[0] === '.' || v[0] === ',') && isDigit(v, 1)) {
            const next = nextChunk(rest);
            if (next === undefined || !/^[.,](0+|9+)$/.test(next[1])) {
              let n = 2;
              while (isDigit(v, n)) n++;
              nsec = fraction(v.slice(1, n));
              v = v.slice(n);
            }
          }
          break;
        case 'PM':
        case 'pm': {
          const p = v.slice(0, 2);
          if (p.length < 2) throw new Bad();
          if (p === (std === 'PM' ? 'PM' : 'pm')) pm = true;
          else if (p === (std === 'PM' ? 'AM' : 'am')) am = true;
          else throw new Bad();
          v = v.slice(2);
          break;
        }
        case 'MST': {
          if (v.startsWith('UTC')) {
            zone = UTC;
            v = v.slice(3);
            break;
          }
          const n = zoneNameLength(v);
          if (n === 0) throw new Bad();
          const name = v.slice(0, n);
          v = v.slice(n);
          const gmt = /^GMT([+-]\d+)$/.exec(name);
          zone = gmt ? { name: '', fixed: Number(gmt[1]) * 3600, abbr: name } : { name: '', fixed: 0, abbr: name };
          break;
        }
        default:
          if (std[0] === 'Z' || std[0] === '-') {
            if (std[0] === 'Z' && v[0] === 'Z') {
              zone = UTC;
              v = v.slice(1);
              break;
            }
            [offset, v, range] = parseOffset(std.slice(1), v);
          } else if (std[1] === '0') {
            const n = std.length;
            if (v.length < n || (v[0] !== '.' && v[0] !== ',')) throw new Bad();
            nsec = fraction(v.slice(1, n));
            v = v.slice(n);
          } else {
            if (v.length < 2 || (v[0] !== '.' && v[0] !== ',') || !isDigit(v, 1)) break;
            let n = 1;
            while (isDigit(v, n)) n++;
            nsec = fraction(v.slice(1, n));
            v = v.slice(n);
          }
      }
    } catch (e) {
      if (e instanceof Bad) throw fail(std, at);
      throw e;
    }
    if (range) throw fail(std, at, `: ${range} out of range`);
  }
  if (pm && hour < 12) hour += 12;
  else if (am && hour === 12) hour = 0;
  if (yday >= 0) {
    // The day of the year decides month and day (and must agree with them if given).
    let m = 1;
    let d = yday;
    if (d > (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 366 : 365))
      throw fail('', '', ': day-of-year out of range');
    while (d > daysIn(m, year)) d -= daysIn(m++, year);
    if ((month >= 0 && month !== m) || (day >= 0 && day !== d))
      throw fail('', '', ': day-of-year does not match month');
    month = m;
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw fail('', '', ': day out of range');
  const utc = fromCivil(year, month, day, hour, min, sec, nsec, UTC);
  if (offset !== undefined) return { sec: utc.sec - offset, nsec: utc.nsec, zone: { name: '', fixed: offset } };
  if (zone !== undefined) return { sec: utc.sec - (zone.fixed ?? 0), nsec: utc.nsec, zone };
  return utc;
}

/** Nanoseconds from fraction digits (at most 9 count). */
function fraction(digits: string): number {
  if (digits.length === 0 || !/^\d+$/.test(digits)) throw new Bad();
  return Number(digits.slice(0, 9).padEnd(9, '0'));
}

/** `±hh`, `±hhmm`, `±hh:mm`, `±hhmmss`, `±hh:mm:ss` by the layout element (without its Z/-). */
function parseOffset(form: string, v: string): [number, string, string] {
  const colon = form.includes(':');
  const len = form === '07' ? 3 : form === '0700' ? 5 : form === '07:00' ? 6 : form === '070000' ? 7 : 9;
  if (v.length < len || (v[0] !== '+' && v[0] !== '-')) throw new Bad();
  if (colon && (v[3] !== ':' || (len === 9 && v[6] !== ':'))) throw new Bad();
  const digits = colon ? v.slice(1, len).replaceAll(':', '') : v.slice(1, len);
  if (!/^\d+$/.test(digits)) throw new Bad();
  const hh = Number(digits.slice(0, 2));
  const mm = digits.length >= 4 ? Number(digits.slice(2, 4)) : 0;
  const ss = digits.length >= 6 ? Number(digits.slice(4, 6)) : 0;
  const range =
    hh > 24 ? 'time zone offset hour' : mm > 60 ? 'time zone offset minute' : ss > 60 ? 'time zone offset second' : '';
  let off = (hh * 60 + mm) * 60 + ss;
  if (v[0] === '-') off = -off;
  return [off, v.slice(len), range];
}
