// Operations on values shared by the evaluator and the standard library: equality, ordering,
// numbers and strings as Jsonnet prints them, and code-point-wise string access.
import type { Loc } from './errors.js';
import { checkAsserts, compareStrings, getField, visibleFields } from './objects.js';
import { runtimeError, work } from './runtime.js';
import { JArray, JFunction, JObject, typeOf, type Value } from './value.js';

/** C's `%.{precision}g`: shortest of fixed and exponent notation, trailing zeros removed. */
export function formatG(v: number, precision: number, alt = false): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const p = precision === 0 ? 1 : precision;
  const exp = Number(v.toExponential(p - 1).split('e')[1]);
  let s: string;
  if (exp < -4 || exp >= p) {
    const [mantissa, e] = v.toExponential(p - 1).split('e') as [string, string];
    const m = alt ? mantissa : stripZeros(mantissa);
    const n = Number(e);
    s = `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  } else {
    s = v.toFixed(Math.max(0, p - 1 - exp));
    if (!alt) s = stripZeros(s);
  }
  return s;
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/** A number as Jsonnet prints it: integers in full, other numbers with 17 significant digits. */
export function numberToString(v: number): string {
  if (Number.isInteger(v)) return Object.is(v, -0) ? '-0' : BigInt(v).toString();
  return formatG(v, 17);
}

/** JSON string syntax as Jsonnet writes it (non-ASCII characters kept as they are). */
export function escapeJson(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

const ASTRAL = /[\uD800-\uDFFF]/;

/** Code points of a string (Jsonnet strings are sequences of code points, not of UTF-16 units). */
export function codePoints(s: string): string[] {
  return ASTRAL.test(s) ? Array.from(s) : s.split('');
}

export function stringLength(s: string): number {
  if (!ASTRAL.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** `s[from:to]` by code points. */
export function substring(s: string, from: number, to: number): string {
  if (!ASTRAL.test(s)) return s.slice(from, to);
  return Array.from(s).slice(from, to).join('');
}

/** `a == b`: deep, on visible fields; functions cannot be compared. */
export function equals(a: Value, b: Value, loc: Loc): boolean {
  if (a === b) return typeof a !== 'object' || !(a instanceof JFunction) || throwFunctionEquality(loc);
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  if (a instanceof JArray) {
    const x = b as JArray;
    if (a.length !== x.length) return false;
    work(a.length, loc);
    for (let i = 0; i < a.length; i++) if (!equals(a.items[i]!.force(), x.items[i]!.force(), loc)) return false;
    return true;
  }
  if (a instanceof JObject) {
    const x = b as JObject;
    const fa = visibleFields(a);
    const fb = visibleFields(x);
    if (fa.length !== fb.length) return false;
    for (let i = 0; i < fa.length; i++) if (fa[i] !== fb[i]) return false;
    work(fa.length, loc);
    for (const f of fa) if (!equals(getField(a, f, loc)!, getField(x, f, loc)!, loc)) return false;
    return true;
  }
  if (a instanceof JFunction) return throwFunctionEquality(loc);
  return false;
}

function throwFunctionEquality(loc: Loc): never {
  throw runtimeError('cannot test equality of functions', loc);
}

/** Ordering for `<` and sorting: numbers, strings (by code point) and arrays (element-wise). */
export function compare(a: Value, b: Value, loc: Loc, op = '<'): number {
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) throw runtimeError(`binary operator ${op} requires matching types, got ${ta} and ${tb}.`, loc);
  if (typeof a === 'number') return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
  if (typeof a === 'string') return compareStrings(a, b as string);
  if (a instanceof JArray) {
    const x = b as JArray;
    const n = Math.min(a.length, x.length);
    for (let i = 0; i < n; i++) {
      const c = compare(a.items[i]!.force(), x.items[i]!.force(), loc, op);
      if (c !== 0) return c;
    }
    return a.length - x.length;
  }
  throw runtimeError(`binary operator ${op} does not operate on ${ta}s.`, loc);
}

/** `std.toString`: strings as they are, other values as single-line JSON. */
export function toStringValue(v: Value, loc: Loc): string {
  return typeof v === 'string' ? v : compactJson(v, loc);
}

/** Single-line JSON with spaces, as Jsonnet prints values in strings and messages. */
export function compactJson(v: Value, loc: Loc, depth = 0): string {
  if (depth > 500) throw runtimeError('max stack frames exceeded.', loc);
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return numberToString(v);
  if (typeof v === 'string') return escapeJson(v);
  if (v instanceof JArray) {
    if (v.length === 0) return '[ ]';
    work(v.length, loc);
    return `[${v.items.map((t) => compactJson(t.force(), loc, depth + 1)).join(', ')}]`;
  }
  if (v instanceof JObject) {
    checkAsserts(v);
    const names = visibleFields(v);
    if (names.length === 0) return '{ }';
    work(names.length, loc);
    return `{${names.map((n) => `${escapeJson(n)}: ${compactJson(getField(v, n, loc)!, loc, depth + 1)}`).join(', ')}}`;
  }
  throw runtimeError("couldn't manifest function as JSON", loc);
}
