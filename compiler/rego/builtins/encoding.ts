// Encoding builtins: JSON, base64/base64url, URL query strings and hex, with the strictness
// and messages of Go's encoding packages. Decoded bytes that are not UTF-8 become U+FFFD per
// byte, as Go strings print.
import { ObjectValue, SetValue } from '../value.js';
import { valueToString } from '../convert.js';
import { objectArg, stringArg } from './args.js';
import { decodeUTF8, utf8 } from './go-text.js';
import { JSONSyntaxError, marshalJSON, parseJSON } from './json-text.js';
import {
  type BuiltinArg,
  type BuiltinDecl,
  BuiltinError,
  type BuiltinFn,
  declare,
  implement,
  operandError,
  operandTypeError,
} from './table.js';
import { T } from '../types.js';

const categories = ['encoding'];

function builtin(
  name: string,
  arg: BuiltinArg,
  result: BuiltinArg,
  description: string,
  fn: BuiltinFn,
  extra: Partial<BuiltinDecl> = {},
): void {
  implement(declare({ name, args: [arg], result, description, categories, ...extra }), fn);
}

const str = (name: string, description: string): BuiltinArg => ({ name, type: T.string, description });

// --- JSON ------------------------------------------------------------------------------

builtin(
  'json.marshal',
  { name: 'x', type: T.any, description: 'the term to serialize' },
  str('y', 'the JSON string representation of `x`'),
  'Serializes the input term to JSON.',
  ([x], ctx) => marshalJSON(x!, undefined, ctx.budget),
  { builds: true },
);

const marshalWithOptions = declare({
  name: 'json.marshal_with_options',
  args: [
    { name: 'x', type: T.any, description: 'the term to serialize' },
    {
      name: 'opts',
      type: T.record({ pretty: T.boolean, indent: T.string, prefix: T.string }, { key: T.string, value: T.any }),
      description: 'encoding options',
    },
  ],
  result: str('y', 'the JSON string representation of `x`, with configured prefix/indent string(s) as appropriate'),
  description:
    'Serializes the input term JSON, with additional formatting options via the `opts` parameter. ' +
    '`opts` accepts keys `pretty` (enable multi-line/formatted JSON), `prefix` (string to prefix lines with, ' +
    'default empty string) and `indent` (string to indent with, default `\\t`).',
  categories,
  builds: true,
});

implement(marshalWithOptions, ([x, o], ctx) => {
  const opts = objectArg(o, 2);
  let indent = '\t';
  let prefix = '';
  let implicit = false;
  let explicit: boolean | undefined;
  for (const [k, v] of opts.entries()) {
    // OPA prints the key in Rego syntax (quoted) in these messages.
    const key = valueToString(k);
    if (typeof k !== 'string') throw operandError(2, `failed to stringify key ${key}`);
    switch (k) {
      case 'prefix':
      case 'indent':
        if (typeof v !== 'string') throw operandError(2, `key ${key} failed cast to string`);
        if (k === 'prefix') prefix = v;
        else indent = v;
        implicit = true;
        break;
      case 'pretty':
        if (typeof v !== 'boolean') throw operandError(2, `key ${key} failed cast to bool`);
        explicit = v;
        break;
      default:
        throw operandError(2, `object contained unknown key ${key}`);
    }
  }
  const pretty = explicit ?? implicit;
  return pretty ? prefix + marshalJSON(x!, { prefix, indent }, ctx.budget) : marshalJSON(x!, undefined, ctx.budget);
});

builtin(
  'json.unmarshal',
  str('x', 'a JSON string'),
  { name: 'y', type: T.any, description: 'the term deserialized from `x`' },
  'Deserializes the input string.',
  ([x], ctx) => {
    const text = stringArg(x, 1);
    // The document built is about as large as its text.
    ctx.budget.allocate(text.length);
    try {
      return parseJSON(text);
    } catch (e) {
      if (e instanceof JSONSyntaxError) throw new BuiltinError(e.message);
      throw e;
    }
  },
);

builtin(
  'json.is_valid',
  str('x', 'a JSON string'),
  { name: 'result', type: T.boolean, description: '`true` if `x` is valid JSON, `false` otherwise' },
  'Verifies the input string is a valid JSON document.',
  ([x]) => {
    if (typeof x !== 'string') return false;
    try {
      parseJSON(x);
      return true;
    } catch {
      return false;
    }
  },
);

// --- base64 ----------------------------------------------------------------------------

const STD = /^[A-Za-z0-9+/]*$/;
const URL = /^[A-Za-z0-9\-_]*$/;

/** Go's base64.StdEncoding / URLEncoding: padded, strict alphabet; CR and LF are skipped. */
export function decodeBase64(s: string, url: boolean): Buffer {
  const text = s.replace(/[\r\n]/g, '');
  const pad = /=*$/.exec(text)![0].length;
  const body = text.slice(0, text.length - pad);
  const alphabet = url ? URL : STD;
  if (!alphabet.test(body)) {
    const bad = [...body].findIndex((c) => !alphabet.test(c));
    throw new BuiltinError(`illegal base64 data at input byte ${bad}`);
  }
  if (text.length % 4 !== 0 || pad > 2 || (pad > 0 && body.length % 4 === 1)) {
    throw new BuiltinError(
      `illegal base64 data at input byte ${Math.max(0, body.length - (body.length % 4 === 1 ? 1 : 0))}`,
    );
  }
  return Buffer.from(body, url ? 'base64url' : 'base64');
}

builtin(
  'base64.encode',
  str('x', 'string to encode'),
  str('y', 'base64 serialization of `x`'),
  'Serializes the input string into base64 encoding.',
  ([x]) => utf8(stringArg(x, 1)).toString('base64'),
  { builds: true },
);

builtin(
  'base64.decode',
  str('x', 'string to decode'),
  str('y', 'base64 deserialization of `x`'),
  'Deserializes the base64 encoded input string.',
  ([x]) => decodeUTF8(decodeBase64(stringArg(x, 1), false)),
);

builtin(
  'base64.is_valid',
  str('x', 'string to check'),
  { name: 'result', type: T.boolean, description: '`true` if `x` is valid base64 encoded value, `false` otherwise' },
  'Verifies the input string is base64 encoded.',
  ([x]) => {
    if (typeof x !== 'string') return false;
    try {
      decodeBase64(x, false);
      return true;
    } catch {
      return false;
    }
  },
);

builtin(
  'base64url.encode',
  str('x', 'string to encode'),
  str('y', 'base64url serialization of `x`'),
  'Serializes the input string into base64url encoding.',
  ([x]) => {
    const raw = utf8(stringArg(x, 1)).toString('base64url');
    return raw + '='.repeat((4 - (raw.length % 4)) % 4);
  },
  { builds: true },
);

builtin(
  'base64url.encode_no_pad',
  str('x', 'string to encode'),
  str('y', 'base64url serialization of `x`'),
  'Serializes the input string into base64url encoding without padding.',
  ([x]) => utf8(stringArg(x, 1)).toString('base64url'),
  { builds: true },
);

/** base64url.decode's bytes: unpadded input is padded first (RFC 7515, appendix C). */
export function decodeBase64Url(text: string): Buffer {
  let s = text;
  if (!s.endsWith('=')) {
    const rest = s.length % 4;
    if (rest === 1) throw new BuiltinError(`illegal base64url string: ${s}`);
    s += rest === 2 ? '==' : rest === 3 ? '=' : '';
  }
  return decodeBase64(s, true);
}

builtin(
  'base64url.decode',
  str('x', 'string to decode'),
  str('y', 'base64url deserialization of `x`'),
  'Deserializes the base64url encoded input string.',
  ([x]) => decodeUTF8(decodeBase64Url(stringArg(x, 1))),
);

// --- URL query strings -------------------------------------------------------------------

/** Go's url.QueryEscape: unreserved characters stay, space is `+`, the rest %XX of UTF-8. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's url.QueryUnescape. */
export function queryUnescape(s: string): string {
  const bytes: number[] = [];
  const raw = utf8(s);
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x25) {
      const hex = raw.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        const shown = raw.subarray(i, Math.min(i + 3, raw.length)).toString('latin1');
        throw new BuiltinError(`invalid URL escape ${JSON.stringify(shown)}`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(b === 0x2b ? 0x20 : b);
  }
  return decodeUTF8(Uint8Array.from(bytes));
}

builtin(
  'urlquery.encode',
  str('x', 'the string to encode'),
  str('y', 'URL-encoding serialization of `x`'),
  'Encodes the input string into a URL-encoded string.',
  ([x]) => queryEscape(stringArg(x, 1)),
  { builds: true },
);

builtin(
  'urlquery.decode',
  str('x', 'the URL-encoded string'),
  str('y', 'URL-encoding deserialization of `x`'),
  'Decodes a URL-encoded input string.',
  ([x]) => queryUnescape(stringArg(x, 1)),
);

builtin(
  'urlquery.encode_object',
  {
    name: 'object',
    type: T.object(T.string, T.anyOf(T.string, T.array(T.string), T.set(T.string))),
    description: 'the object to encode',
  },
  str('y', 'the URL-encoded serialization of `object`'),
  'Encodes the given object into a URL encoded query string.',
  ([o]) => {
    if (!(o instanceof ObjectValue)) throw operandTypeError(1, o ?? null, 'object');
    const pairs: [string, string][] = [];
    for (const [k, v] of o.entries()) {
      const key = typeof k === 'string' ? k : valueToString(k);
      const values =
        typeof v === 'string' ? [v] : Array.isArray(v) ? v : v instanceof SetValue ? v.values() : undefined;
      if (values === undefined || values.some((x) => typeof x !== 'string'))
        throw operandError(1, 'values must be string, array[string], or set[string]');
      for (const x of values) pairs.push([key, x as string]);
    }
    // url.Values.Encode: keys in byte order, each key's values in their given order.
    pairs.sort((a, b) => Buffer.compare(utf8(a[0]), utf8(b[0])));
    return pairs.map(([k, x]) => `${queryEscape(k)}=${queryEscape(x)}`).join('&');
  },
  { builds: true },
);

builtin(
  'urlquery.decode_object',
  str('x', 'the query string'),
  { name: 'object', type: T.object(T.string, T.array(T.string)), description: 'the resulting object' },
  'Decodes the given URL query string into an object.',
  ([x]) => {
    const query = stringArg(x, 1);
    const params = new Map<string, string[]>();
    let firstError: BuiltinError | undefined;
    for (const part of query.split('&')) {
      if (part === '') continue;
      if (part.includes(';')) {
        firstError ??= new BuiltinError('invalid semicolon separator in query');
        continue;
      }
      const eq = part.indexOf('=');
      try {
        const key = queryUnescape(eq < 0 ? part : part.slice(0, eq));
        const value = queryUnescape(eq < 0 ? '' : part.slice(eq + 1));
        const list = params.get(key) ?? [];
        list.push(value);
        params.set(key, list);
      } catch (e) {
        if (!(e instanceof BuiltinError)) throw e;
        firstError ??= e;
      }
    }
    if (firstError) throw firstError;
    return ObjectValue.of([...params].map(([k, v]) => [k, v] as const));
  },
);

// --- hex -------------------------------------------------------------------------------

builtin(
  'hex.encode',
  str('x', 'string to encode'),
  str('y', 'serialization of `x` using hex-encoding'),
  'Serializes the input string using hex-encoding.',
  ([x]) => utf8(stringArg(x, 1)).toString('hex'),
  { builds: true },
);

builtin(
  'hex.decode',
  str('x', 'a hex-encoded string'),
  str('y', 'deserialized from `x`'),
  'Deserializes the hex-encoded input string.',
  ([x]) => {
    const s = utf8(stringArg(x, 1));
    const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);
    const invalid = (b: number) => {
      const code = b.toString(16).toUpperCase().padStart(4, '0');
      const quoted = JSON.stringify(String.fromCharCode(b)).replace(/^"|"$/g, "'");
      return new BuiltinError(`encoding/hex: invalid byte: U+${code} ${quoted}`);
    };
    // Pairs are checked in order; an odd length is reported after them.
    let i = 1;
    for (; i < s.length; i += 2) {
      if (!isHex(s[i - 1]!)) throw invalid(s[i - 1]!);
      if (!isHex(s[i]!)) throw invalid(s[i]!);
    }
    if (s.length % 2 === 1) {
      if (!isHex(s[i - 1]!)) throw invalid(s[i - 1]!);
      throw new BuiltinError('encoding/hex: odd length hex string');
    }
    return decodeUTF8(Buffer.from(s.toString('latin1'), 'hex'));
  },
);
