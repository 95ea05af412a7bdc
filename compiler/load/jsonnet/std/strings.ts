// Strings: searching, splitting, case, escaping, parsing numbers, UTF-8, base64 and hashes.
// Positions and lengths count code points, as Jsonnet strings are sequences of code points.
import { createHash } from 'node:crypto';
import type { Loc } from '../errors.js';
import { codePoints, escapeJson, stringLength, toStringValue } from '../ops.js';
import { checkArrayLength, checkStringLength, quote, runtimeError, work } from '../runtime.js';
import { JArray, typeOf, type Value } from '../value.js';
import { formatValues } from './format.js';
import { type Builtin, builtin, strictArgs } from './natives.js';

const str1 = (name: string, f: (s: string, loc: Loc) => Value, param = 'str'): Builtin =>
  builtin(name, [param], (args, loc) => f(strictArgs(name, args, ['string'], loc)[0] as string, loc));

const str2 = (name: string, params: [string, string], f: (a: string, b: string, loc: Loc) => Value): Builtin =>
  builtin(name, params, (args, loc) => {
    const [a, b] = strictArgs(name, args, ['string', 'string'], loc) as [string, string];
    return f(a, b, loc);
  });

function strip(s: string, chars: string, left: boolean, right: boolean): string {
  const set = new Set(codePoints(chars));
  const cps = codePoints(s);
  let i = 0;
  let j = cps.length;
  if (left) while (i < j && set.has(cps[i]!)) i++;
  if (right) while (j > i && set.has(cps[j - 1]!)) j--;
  return cps.slice(i, j).join('');
}

function splitLimit(name: string, s: string, sep: string, max: number, fromRight: boolean, loc: Loc): JArray {
  if (sep === '') throw runtimeError(`std.${name}: the separator must not be empty`, loc);
  const parts = s.split(sep);
  if (max < 0 || parts.length <= max + 1) return JArray.of(parts);
  if (fromRight) {
    const keep = parts.slice(parts.length - max);
    return JArray.of([parts.slice(0, parts.length - max).join(sep), ...keep]);
  }
  return JArray.of([...parts.slice(0, max), parts.slice(max).join(sep)]);
}

function parseBase(name: string, s: string, base: number, loc: Loc): number {
  const neg = base === 10 && s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  if (body === '') throw runtimeError(`std.${name}: ${quote(s)} is not a number`, loc);
  let n = 0;
  for (const c of body) {
    const d = Number.parseInt(c, base);
    if (Number.isNaN(d)) {
      throw runtimeError(`std.${name}: ${quote(s)} is not a base ${base} integer`, loc);
    }
    n = n * base + d;
  }
  return neg ? -n : n;
}

/** Bytes of a string whose code points are bytes (base64's input), or of a byte array. */
function bytesOf(name: string, v: Value, loc: Loc): Uint8Array {
  if (typeof v === 'string') {
    const cps = codePoints(v).map((c) => c.codePointAt(0)!);
    if (cps.some((c) => c > 255)) {
      throw runtimeError(`std.${name}: a string given must hold only code points below 256`, loc);
    }
    return Uint8Array.from(cps);
  }
  if (v instanceof JArray) {
    return Uint8Array.from(
      v.items.map((t, i) => {
        const b = t.force();
        if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 255) {
          throw runtimeError(`std.${name}: element ${i} must be a byte (an integer from 0 to 255)`, loc);
        }
        return b;
      }),
    );
  }
  throw runtimeError(`std.${name}: expected a string or an array of bytes, got ${typeOf(v)}`, loc);
}

function decodeBase64(name: string, s: string, loc: Loc): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
    throw runtimeError(`std.${name}: ${quote(s)} is not base64 (its length must be a multiple of 4)`, loc);
  }
  return Buffer.from(s, 'base64');
}

const hash = (name: string, algorithm: string): Builtin =>
  str1(name, (s) => createHash(algorithm).update(s, 'utf8').digest('hex'), 's');

function decodeUtf8(arr: JArray, loc: Loc): string {
  const bytes = arr.items.map((t, i) => {
    const b = t.force();
    if (typeof b !== 'number') throw runtimeError(`Element ${i} of the provided array was not a number`, loc);
    if (!Number.isInteger(b) || b < 0 || b > 255) {
      throw runtimeError(`Element ${i} of the provided array was not an integer in range [0,255]`, loc);
    }
    return b;
  });
  return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
}

export const strings: Builtin[] = [
  builtin('toString', ['a'], (args, loc) => toStringValue(args[0]!.force(), loc)),
  str1('codepoint', (s, loc) => {
    const cps = codePoints(s);
    if (cps.length !== 1) throw runtimeError(`codepoint takes a string of length 1, got length ${cps.length}`, loc);
    return cps[0]!.codePointAt(0)!;
  }),
  builtin('char', ['n'], (args, loc) => {
    const [n] = strictArgs('char', args, ['number'], loc) as [number];
    const c = Math.trunc(n);
    if (c < 0 || c > 0x10ffff) throw runtimeError(`Invalid unicode codepoint, got ${n}`, loc);
    return String.fromCodePoint(c);
  }),
  builtin('substr', ['str', 'from', 'len'], (args, loc) => {
    const [s, from, len] = strictArgs('substr', args, ['string', 'number', 'number'], loc) as [string, number, number];
    if (from < 0) throw runtimeError(`substr second parameter should be greater than zero, got ${from}`, loc);
    if (len < 0) throw runtimeError(`substr third parameter should be greater than zero, got ${len}`, loc);
    const start = Math.floor(from);
    return codePoints(s)
      .slice(start, start + Math.floor(len))
      .join('');
  }),
  str2('findSubstr', ['pat', 'str'], (pat, s, loc) => {
    const out: number[] = [];
    if (pat === '') return JArray.of(out);
    // Every match, overlapping ones too; positions in code points, counted as the search goes.
    let units = 0;
    let points = 0;
    for (let i = s.indexOf(pat); i >= 0; i = s.indexOf(pat, i + 1)) {
      work(1, loc);
      points += stringLength(s.slice(units, i));
      units = i;
      out.push(points);
    }
    return JArray.of(out);
  }),
  str2('startsWith', ['a', 'b'], (a, b) => a.startsWith(b)),
  str2('endsWith', ['a', 'b'], (a, b) => a.endsWith(b)),
  str2('stripChars', ['str', 'chars'], (s, c) => strip(s, c, true, true)),
  str2('lstripChars', ['str', 'chars'], (s, c) => strip(s, c, true, false)),
  str2('rstripChars', ['str', 'chars'], (s, c) => strip(s, c, false, true)),
  str1('trim', (s) => strip(s, ' \t\n\f\r\v\u0085\u00a0', true, true)),
  str1('isEmpty', (s) => s.length === 0),
  str2('equalsIgnoreCase', ['str1', 'str2'], (a, b) => asciiLower(a) === asciiLower(b)),
  str2('split', ['str', 'c'], (s, c, loc) => splitLimit('split', s, c, -1, false, loc)),
  builtin('splitLimit', ['str', 'c', 'maxsplits'], (args, loc) => {
    const [s, c, max] = strictArgs('splitLimit', args, ['string', 'string', 'number'], loc) as [string, string, number];
    return splitLimit('splitLimit', s, c, max, false, loc);
  }),
  builtin('splitLimitR', ['str', 'c', 'maxsplits'], (args, loc) => {
    const [s, c, max] = strictArgs('splitLimitR', args, ['string', 'string', 'number'], loc) as [
      string,
      string,
      number,
    ];
    return splitLimit('splitLimitR', s, c, max, true, loc);
  }),
  builtin('strReplace', ['str', 'from', 'to'], (args, loc) => {
    const [s, from, to] = strictArgs('strReplace', args, ['string', 'string', 'string'], loc) as string[];
    if (from === '') throw runtimeError("std.strReplace: 'from' string must not be zero length.", loc);
    const parts = s!.split(from!);
    checkStringLength(s!.length + (parts.length - 1) * (to!.length - from!.length), loc);
    return parts.join(to!);
  }),
  str1('asciiUpper', (s) => s.replace(/[a-z]+/g, (m) => m.toUpperCase())),
  str1('asciiLower', (s) => asciiLower(s)),
  str1('stringChars', (s) => JArray.of(codePoints(s))),
  builtin('format', ['str', 'vals'], (args, loc) => {
    const s = args[0]!.force();
    if (typeof s !== 'string') throw runtimeError(`std.format: the format must be a string, got ${typeOf(s)}`, loc);
    return formatValues(s, args[1]!.force(), loc);
  }),
  builtin('escapeStringJson', ['str_'], (args, loc) => escapeJson(toStringValue(args[0]!.force(), loc))),
  builtin('escapeStringPython', ['str'], (args, loc) => escapeJson(toStringValue(args[0]!.force(), loc))),
  builtin('escapeStringBash', ['str_'], (args, loc) => {
    const s = toStringValue(args[0]!.force(), loc);
    return `'${s.split("'").join(`'"'"'`)}'`;
  }),
  builtin('escapeStringDollars', ['str_'], (args, loc) => toStringValue(args[0]!.force(), loc).split('$').join('$$')),
  builtin('escapeStringXML', ['str_'], (args, loc) =>
    toStringValue(args[0]!.force(), loc).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!),
  ),
  str1('parseInt', (s, loc) => parseBase('parseInt', s, 10, loc)),
  str1('parseOctal', (s, loc) => parseBase('parseOctal', s, 8, loc)),
  str1('parseHex', (s, loc) => parseBase('parseHex', s, 16, loc)),
  str1('encodeUTF8', (s) => JArray.of([...Buffer.from(s, 'utf8')])),
  builtin('decodeUTF8', ['arr'], (args, loc) => {
    const [arr] = strictArgs('decodeUTF8', args, ['array'], loc) as [JArray];
    return decodeUtf8(arr, loc);
  }),
  builtin('base64', ['input'], (args, loc) => Buffer.from(bytesOf('base64', args[0]!.force(), loc)).toString('base64')),
  str1('base64Decode', (s, loc) => String.fromCharCode(...decodeBase64('base64Decode', s, loc))),
  str1('base64DecodeBytes', (s, loc) => JArray.of([...decodeBase64('base64DecodeBytes', s, loc)])),
  hash('md5', 'md5'),
  hash('sha1', 'sha1'),
  hash('sha256', 'sha256'),
  hash('sha512', 'sha512'),
  hash('sha3', 'sha3-512'),
  builtin('repeat', ['what', 'count'], (args, loc) => {
    const [what, count] = strictArgs('repeat', args, [['string', 'array'], 'number'], loc) as [Value, number];
    if (!Number.isInteger(count) || count < 0) {
      throw runtimeError(`std.repeat: the count must be a non-negative integer, got ${count}`, loc);
    }
    if (typeof what === 'string') {
      checkStringLength(what.length * count, loc);
      return what.repeat(count);
    }
    const items = (what as JArray).items;
    checkArrayLength(items.length * count, loc);
    const out = [];
    for (let i = 0; i < count; i++) out.push(...items);
    return new JArray(out);
  }),
  builtin('lines', ['arr'], (args, loc) => {
    const [arr] = strictArgs('lines', args, ['array'], loc) as [JArray];
    return joinStrings('\n', arr, loc, true);
  }),
  builtin('deepJoin', ['arr'], (args, loc) => {
    const out: string[] = [];
    const walk = (v: Value) => {
      if (typeof v === 'string') out.push(v);
      else if (v instanceof JArray) for (const t of v.items) walk(t.force());
      else throw runtimeError(`std.deepJoin: expected a string or an array, got ${typeOf(v)}`, loc);
    };
    walk(args[0]!.force());
    return out.join('');
  }),
];

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** `std.join` with a string separator; nulls are skipped. */
export function joinStrings(sep: string, arr: JArray, loc: Loc, trailing = false): string {
  const parts: string[] = [];
  let length = 0;
  arr.items.forEach((t, i) => {
    const v = t.force();
    if (v === null) return;
    if (typeof v !== 'string') throw runtimeError(`expected string but arr[${i}] was ${typeOf(v)}`, loc);
    length += v.length + sep.length;
    parts.push(v);
  });
  checkStringLength(length, loc);
  work(parts.length, loc);
  return parts.join(sep) + (trailing && parts.length > 0 ? sep : '');
}
