// `std.format` and the `%` operator on strings: Python's printf-style conversions
// (`%s %d %i %u %o %x %X %e %E %f %F %g %G %c %%`), flags `-+ #0`, width and precision (`*`
// takes them from the values), and `%(key)s` with an object. Numbers are rendered as Jsonnet
// renders them, digit by digit in floating point, so large values print as `jsonnet` prints them.
import type { Loc } from '../errors.js';
import { getField } from '../objects.js';
import { stringLength, toStringValue } from '../ops.js';
import { checkStringLength, runtimeError } from '../runtime.js';
import { JArray, JObject, typeOf, type Value } from '../value.js';

interface Spec {
  readonly key?: string;
  readonly flags: string;
  readonly width: number | '*' | undefined;
  readonly precision: number | '*' | undefined;
  readonly conv: string;
}

type Part = string | Spec;

function parseFormat(fmt: string, loc: Loc): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i]!;
    if (c !== '%') {
      literal += c;
      i++;
      continue;
    }
    i++;
    let key: string | undefined;
    if (fmt[i] === '(') {
      const end = fmt.indexOf(')', i);
      if (end < 0) throw runtimeError('Truncated format code.', loc);
      key = fmt.slice(i + 1, end);
      i = end + 1;
    }
    let flags = '';
    while (i < fmt.length && '#0- +'.includes(fmt[i]!)) flags += fmt[i++];
    const number = (): number | '*' | undefined => {
      if (fmt[i] === '*') {
        i++;
        return '*';
      }
      let digits = '';
      while (i < fmt.length && fmt[i]! >= '0' && fmt[i]! <= '9') digits += fmt[i++];
      return digits === '' ? undefined : Number(digits);
    };
    const width = number();
    let precision: number | '*' | undefined;
    if (fmt[i] === '.') {
      i++;
      precision = number() ?? 0;
    }
    while (i < fmt.length && 'hlL'.includes(fmt[i]!)) i++;
    const conv = fmt[i++];
    if (conv === undefined) throw runtimeError('Truncated format code.', loc);
    if (!'diouxXeEfFgGcs%'.includes(conv)) throw runtimeError(`Unrecognised conversion type: ${conv}`, loc);
    if (conv === '%' && key === undefined && width === undefined) {
      literal += '%';
      continue;
    }
    if (literal) parts.push(literal);
    literal = '';
    parts.push({ ...(key === undefined ? {} : { key }), flags, width, precision, conv });
  }
  if (literal) parts.push(literal);
  return parts;
}

/** Digits of a non-negative integer in a base, computed as Jsonnet does (in floating point). */
function digits(x: number, base: number): string {
  if (x < 1) return '0';
  if (!Number.isFinite(x)) throw new RangeError(`cannot format ${x}`);
  const out: number[] = [];
  while (x >= 1) {
    out.push(Math.floor(x % base));
    x = Math.floor(x / base);
  }
  return out
    .reverse()
    .map((d) => d.toString(base))
    .join('');
}

/** `%.{p}f` of a non-negative number: rounded half up at the last digit. */
function fixed(a: number, p: number, alt: boolean): string {
  const scale = 10 ** p;
  const m = Math.floor((a + 0.5 / scale) * scale);
  const whole = digits(Math.floor(m / scale), 10);
  if (p === 0) return alt ? `${whole}.` : whole;
  return `${whole}.${String(m % scale).padStart(p, '0')}`;
}

function exponentOf(a: number): number {
  return a === 0 ? 0 : Math.floor(Math.log(a) / Math.log(10));
}

function scientific(a: number, p: number, alt: boolean, upper: boolean): string {
  const exp = exponentOf(a);
  // 10^exp underflows to 0 for the smallest numbers: scale them up first.
  const m = exp < -300 ? (a * 1e300) / 10 ** (exp + 300) : a / 10 ** exp;
  const mantissa = fixed(m, p, alt);
  const e = `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return mantissa + e;
}

function stripZeros(s: string): string {
  const [m, e] = s.split(/(?=[eE])/) as [string, string | undefined];
  const stripped = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
  return stripped + (e ?? '');
}

function general(a: number, p: number, alt: boolean, upper: boolean): string {
  const precision = p === 0 ? 1 : p;
  const exp = exponentOf(a);
  const s =
    exp < -4 || exp >= precision
      ? scientific(a, precision - 1, alt, upper)
      : fixed(a, exp < 0 ? precision - 1 : precision - 1 - exp, alt);
  return alt ? s : stripZeros(s);
}

const plusSign = (spec: Spec): string => (spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '');

/** Pad a number's digits to the width: zeros go between the sign and the digits. */
function padNumber(sign: string, body: string, spec: Spec, width: number): string {
  const left = spec.flags.includes('-');
  if (!left && spec.flags.includes('0')) return sign + body.padStart(Math.max(0, width - sign.length), '0');
  const s = sign + body;
  return left ? s.padEnd(width) : s.padStart(width);
}

function convert(spec: Spec, value: Value, width: number, precision: number | undefined, loc: Loc, at: string) {
  const conv = spec.conv;
  if (conv === 's') {
    let s = toStringValue(value, loc);
    if (precision !== undefined) s = Array.from(s).slice(0, precision).join('');
    const pad = Math.max(0, width - stringLength(s));
    return spec.flags.includes('-') ? s + ' '.repeat(pad) : ' '.repeat(pad) + s;
  }
  if (conv === 'c') {
    let s: string;
    if (typeof value === 'number') s = String.fromCodePoint(value);
    else if (typeof value === 'string' && stringLength(value) === 1) s = value;
    else throw runtimeError(`%c expected number / string, got ${typeOf(value)}`, loc);
    const pad = Math.max(0, width - 1);
    return spec.flags.includes('-') ? s + ' '.repeat(pad) : ' '.repeat(pad) + s;
  }
  if (typeof value !== 'number') throw runtimeError(`Format required number at ${at}, got ${typeOf(value)}`, loc);
  const neg = value < 0 || Object.is(value, -0);
  const sign = neg ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  const a = Math.abs(value);
  const alt = spec.flags.includes('#');
  let body: string;
  switch (conv) {
    case 'd':
    case 'i':
    case 'u':
      body = digits(Math.floor(a), 10).padStart(precision ?? 0, '0');
      // The sign is the integer's: -0.3 prints as 0, or +0 with `+`.
      return padNumber(Math.floor(a) === 0 && neg ? sign.replace('-', plusSign(spec)) : sign, body, spec, width);
    case 'o':
    case 'x':
    case 'X': {
      const base = conv === 'o' ? 8 : 16;
      body = digits(Math.floor(a), base).padStart(precision ?? 0, '0');
      if (conv === 'X') body = body.toUpperCase();
      // Octal's `#` prefix is a leading zero, which precision padding may already give.
      if (alt && conv === 'o' && !body.startsWith('0')) body = `0${body}`;
      const prefix = alt && conv !== 'o' ? (conv === 'x' ? '0x' : '0X') : '';
      return padNumber(sign + prefix, body, spec, width);
    }
    case 'f':
    case 'F':
      return padNumber(sign, fixed(a, precision ?? 6, alt), spec, width);
    case 'e':
    case 'E':
      return padNumber(sign, scientific(a, precision ?? 6, alt, conv === 'E'), spec, width);
    default:
      return padNumber(sign, general(a, precision ?? 6, alt, conv === 'G'), spec, width);
  }
}

/** `fmt % values`: values is an array, an object (for `%(key)s`), or a single value. */
export function formatValues(fmt: string, values: Value, loc: Loc): string {
  const parts = parseFormat(fmt, loc);
  if (values instanceof JObject) return formatObject(parts, values, loc);
  const vals = values instanceof JArray ? values.items.map((t) => t.force()) : [values];
  let next = 0;
  const take = (): Value => {
    if (next >= vals.length) {
      throw runtimeError(`Not enough values to format: ${vals.length}, expected more than ${vals.length}`, loc);
    }
    return vals[next++]!;
  };
  const number = (v: Value): number => {
    if (typeof v !== 'number') throw runtimeError(`A * was specified, so expected a number, got ${typeOf(v)}`, loc);
    return v;
  };
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    if (part.key !== undefined) throw runtimeError('Format required an object, got array', loc);
    const width = part.width === '*' ? number(take()) : (part.width ?? 0);
    const precision = part.precision === '*' ? number(take()) : part.precision;
    checkStringLength(Math.max(width, precision ?? 0), loc);
    if (part.conv === '%') {
      out += part.flags.includes('-') ? '%'.padEnd(width) : '%'.padStart(width);
      continue;
    }
    const at = String(next);
    out += convert(part, take(), width, precision, loc, at);
  }
  if (next < vals.length) {
    throw runtimeError(`Too many values to format: ${vals.length}, expected ${next}`, loc);
  }
  return out;
}

function formatObject(parts: Part[], obj: JObject, loc: Loc): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    if (part.key === undefined) throw runtimeError('Format required an array, got object', loc);
    if (part.width === '*' || part.precision === '*') throw runtimeError('Cannot use * precision with object.', loc);
    checkStringLength(Math.max(part.width ?? 0, part.precision ?? 0), loc);
    if (part.conv === '%') {
      out += '%';
      continue;
    }
    const v = getField(obj, part.key, loc);
    if (v === undefined) throw runtimeError(`No such field: ${part.key}`, loc);
    out += convert(part, v, part.width ?? 0, part.precision, loc, part.key);
  }
  return out;
}
