// sprintf with Go's fmt semantics, given the arguments OPA hands to fmt.Sprintf: integers as
// int (or *big.Int beyond 64 bits), other numbers as float64, strings as strings, and every
// other value as its Rego text (`["a", 1]`, `{"a", "b"}`), so `%v` of a set prints a set.
import { type BigNum, decimalOf, toBigInt } from '../number.js';
import { isNumber, type Value } from '../value.js';
import { valueToString } from '../convert.js';
import { arrayArg, stringArg } from './args.js';
import { formatFloat, formatFloatBinary, formatFloatHex } from './go-float.js';
import { goQuote, isPrintable, quoteRune, runes, utf8 } from './go-text.js';
import { declare, implement } from './table.js';
import { T } from '../types.js';

type Arg =
  | { kind: 'int'; v: bigint }
  | { kind: 'big'; v: bigint }
  | { kind: 'float'; v: number }
  | { kind: 'string'; v: string };

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function toArg(x: Value): Arg {
  if (typeof x === 'string') return { kind: 'string', v: x };
  if (isNumber(x)) {
    const i = toBigInt(x);
    if (i !== undefined && (typeof x === 'number' || Number.isFinite(Number(x.toString())))) {
      return { kind: i >= INT64_MIN && i <= INT64_MAX ? 'int' : 'big', v: i };
    }
    const f = typeof x === 'number' ? x : Number(x.toString());
    if (Number.isFinite(f)) return { kind: 'float', v: f };
    // Beyond float64: OPA passes the number's text.
    const d = decimalOf(x as BigNum);
    return { kind: 'string', v: `${d.m}e${d.e}` };
  }
  return { kind: 'string', v: valueToString(x) };
}

function goType(a: Arg): string {
  return a.kind === 'int' ? 'int' : a.kind === 'big' ? '*big.Int' : a.kind === 'float' ? 'float64' : 'string';
}

/** The `%v` text of an argument, for error annotations like `%!d(string=hi)`. */
function plain(a: Arg): string {
  return a.kind === 'float' ? formatFloat(a.v, 'g', -1) : String(a.v);
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

/** Pads to the width: spaces on the left (or right with `-`), or zeros after the sign. */
function pad(s: string, spec: Spec, zeroOk: boolean): string {
  const w = spec.width ?? 0;
  if (w === 0) return s;
  const n = runes(s).length;
  if (n >= w) return s;
  if (spec.minus) return s + ' '.repeat(w - n);
  if (spec.zero && zeroOk) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(w - n) + s.slice(sign.length);
  }
  return ' '.repeat(w - n) + s;
}

function signed(neg: boolean, body: string, spec: Spec): string {
  return (neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '') + body;
}

function formatInteger(v: bigint, verb: string, spec: Spec): string {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const radix = verb === 'b' ? 2 : verb === 'o' || verb === 'O' ? 8 : verb === 'x' || verb === 'X' ? 16 : 10;
  let digits = abs.toString(radix);
  if (verb === 'X') digits = digits.toUpperCase();
  if (spec.prec !== undefined) {
    if (spec.prec === 0 && abs === 0n) digits = '';
    digits = digits.padStart(spec.prec, '0');
  }
  let prefix = '';
  if (verb === 'O') prefix = '0o';
  else if (spec.sharp) {
    if (verb === 'b') prefix = '0b';
    else if (verb === 'o' && !digits.startsWith('0')) prefix = '0';
    else if (verb === 'x') prefix = '0x';
    else if (verb === 'X') prefix = '0X';
  }
  const body = signed(neg, prefix + digits, spec);
  if (spec.zero && !spec.minus && spec.prec === undefined && spec.width !== undefined) {
    const w = spec.width;
    const lead = body.length - digits.length;
    if (body.length < w) return body.slice(0, lead) + '0'.repeat(w - body.length) + digits;
    return body;
  }
  return pad(body, spec, false);
}

function formatString(s: string, verb: string, spec: Spec): string | undefined {
  switch (verb) {
    case 'v':
    case 's': {
      const t = spec.prec !== undefined ? runes(s).slice(0, spec.prec).join('') : s;
      return pad(t, spec, false);
    }
    case 'q': {
      const t = spec.prec !== undefined ? runes(s).slice(0, spec.prec).join('') : s;
      if (spec.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(t)) return pad(`\`${t}\``, spec, false);
      return pad(goQuote(t, spec.plus), spec, false);
    }
    case 'x':
    case 'X': {
      let bytes = [...utf8(s)];
      if (spec.prec !== undefined) bytes = bytes.slice(0, spec.prec);
      const hex = bytes.map((b) => b.toString(16).padStart(2, '0'));
      const p = spec.sharp ? '0x' : '';
      let out = spec.space ? hex.map((h) => p + h).join(' ') : p + hex.join('');
      if (verb === 'X') out = out.toUpperCase();
      return pad(out, spec, false);
    }
  }
  return undefined;
}

function formatFloatVerb(x: number, verb: string, spec: Spec): string | undefined {
  let s: string;
  switch (verb) {
    case 'v':
      s = formatFloat(x, 'g', spec.prec ?? -1);
      break;
    case 'g':
    case 'G':
      s = formatFloat(x, verb, spec.prec ?? -1);
      break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
      s = formatFloat(x, verb, spec.prec ?? 6);
      break;
    case 'b':
      s = formatFloatBinary(x);
      break;
    case 'x':
    case 'X':
      s = formatFloatHex(x, spec.prec ?? -1, verb === 'X');
      break;
    default:
      return undefined;
  }
  if (!s.startsWith('-')) s = signed(false, s, spec);
  return pad(s, spec, true);
}

function formatArg(a: Arg, verb: string, spec: Spec): string {
  let out: string | undefined;
  switch (a.kind) {
    case 'int':
      if ('vdboOxX'.includes(verb)) out = formatInteger(a.v, verb === 'v' ? 'd' : verb, spec);
      else if (verb === 'c') out = pad(String.fromCodePoint(validRune(a.v)), spec, false);
      else if (verb === 'q') out = pad(quoteChar(validRune(a.v), spec.plus), spec, false);
      else if (verb === 'U') {
        const cp = a.v;
        let u =
          'U+' +
          (cp < 0n ? cp : cp)
            .toString(16)
            .toUpperCase()
            .padStart(spec.prec ?? 4, '0');
        if (spec.sharp && cp >= 0n && cp <= 0x10ffffn && isPrintable(String.fromCodePoint(Number(cp))))
          u += ` '${String.fromCodePoint(Number(cp))}'`;
        out = pad(u, spec, false);
      }
      break;
    case 'big':
      if ('vdsboxX'.includes(verb)) out = formatInteger(a.v, verb === 'v' || verb === 's' ? 'd' : verb, spec);
      else return `%!${verb}(big.Int=${a.v})`;
      break;
    case 'float':
      out = formatFloatVerb(a.v, verb, spec);
      break;
    case 'string':
      out = formatString(a.v, verb, spec);
      break;
  }
  return out ?? `%!${verb}(${goType(a)}=${plain(a)})`;
}

function validRune(v: bigint): number {
  return v < 0n || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn) ? 0xfffd : Number(v);
}

function quoteChar(cp: number, ascii: boolean): string {
  const ch = String.fromCodePoint(cp);
  return `'${quoteRune(ch, cp, "'", ascii)}'`;
}

/** Go's fmt.Sprintf over the converted arguments. */
export function goSprintf(format: string, values: readonly Value[]): string {
  const args = values.map(toArg);
  let out = '';
  let argNum = 0;
  let reordered = false;
  let i = 0;
  const n = format.length;

  /** `[n]` argument index; returns the new index or undefined when malformed. */
  const argIndex = (): { index?: number; ok: boolean } => {
    if (format[i] !== '[') return { ok: true };
    reordered = true;
    const close = format.indexOf(']', i);
    if (close < 0) {
      i = n;
      return { ok: false };
    }
    const num = Number(format.slice(i + 1, close));
    const ok = /^\d+$/.test(format.slice(i + 1, close)) && num >= 1 && num <= args.length;
    i = close + 1;
    return ok ? { index: num - 1, ok } : { ok: false };
  };

  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    flags: for (; i < n; i++) {
      switch (format[i]) {
        case '-':
          spec.minus = true;
          spec.zero = false;
          break;
        case '+':
          spec.plus = true;
          break;
        case '#':
          spec.sharp = true;
          break;
        case ' ':
          spec.space = true;
          break;
        case '0':
          spec.zero = !spec.minus;
          break;
        default:
          break flags;
      }
    }
    let goodIndex = true;
    let idx = argIndex();
    if (!idx.ok) goodIndex = false;
    if (idx.index !== undefined) argNum = idx.index;
    let badWidth = false;
    if (format[i] === '*') {
      i++;
      const a = args[argNum++];
      if (a && a.kind === 'int' && a.v >= -1000000n && a.v <= 1000000n) {
        spec.width = Number(a.v);
        if (spec.width < 0) {
          spec.minus = true;
          spec.zero = false;
          spec.width = -spec.width;
        }
      } else badWidth = true;
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        spec.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (badWidth) out += '%!(BADWIDTH)';
    let badPrec = false;
    if (format[i] === '.') {
      i++;
      idx = argIndex();
      if (!idx.ok) goodIndex = false;
      if (idx.index !== undefined) argNum = idx.index;
      if (format[i] === '*') {
        i++;
        const a = args[argNum++];
        if (a && a.kind === 'int' && a.v >= 0n && a.v <= 1000000n) spec.prec = Number(a.v);
        else badPrec = true;
      } else {
        const m = /^\d+/.exec(format.slice(i));
        spec.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    if (badPrec) out += '%!(BADPREC)';
    idx = argIndex();
    if (!idx.ok) goodIndex = false;
    if (idx.index !== undefined) argNum = idx.index;
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    const a = args[argNum];
    if (a === undefined) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    argNum++;
    out += formatArg(a, verb, spec);
  }
  if (!reordered && argNum < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argNum)
        .map((a) => `${goType(a)}=${plain(a)}`)
        .join(', ') +
      ')';
  }
  return out;
}

const sprintf = declare({
  name: 'sprintf',
  args: [
    { name: 'format', type: T.string, description: 'string with formatting verbs' },
    { name: 'values', type: T.array(), description: 'arguments to format into formatting verbs' },
  ],
  result: { name: 'output', type: T.string, description: '`format` formatted by the values in `values`' },
  description: 'Returns the given string, formatted.',
  categories: ['strings'],
  builds: true,
});

implement(sprintf, ([f, vs]) => goSprintf(stringArg(f, 1), arrayArg(vs, 2)));
