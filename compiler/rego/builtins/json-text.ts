// JSON text as Go's encoding/json writes and reads it, for json.marshal/unmarshal and friends:
// HTML-safe escapes (<, >, & as \u003c...), sorted object keys, sets as arrays, numbers with
// every digit kept in both directions.
import { parseNumber } from '../number.js';
import { ObjectValue, type Value } from '../value.js';
import { valueToString, writeJSON } from '../convert.js';
import type { Budget } from './table.js';

function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += '\\\\';
        continue;
      case 0x08:
        out += '\\b';
        continue;
      case 0x0c:
        out += '\\f';
        continue;
      case 0x0a:
        out += '\\n';
        continue;
      case 0x0d:
        out += '\\r';
        continue;
      case 0x09:
        out += '\\t';
        continue;
    }
    if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029)
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is invalid UTF-8, which Go writes as U+FFFD.
      const pair = c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      out += pair ? s[i]! + s[++i]! : '\ufffd';
    } else out += s[i];
  }
  return `${out}"`;
}

/** Object keys as JSON strings: non-string keys are written in Rego syntax. */
function keyText(k: Value): string {
  return typeof k === 'string' ? k : valueToString(k);
}

/** json.Marshal, or json.MarshalIndent when `indent` is given (prefix written after each
 * newline). A value that shares parts (`a := [s, s]; b := [a, a]`...) can serialize to text
 * far larger than itself: with a budget, the text is charged as it is written. */
export function marshalJSON(v: Value, indent?: { prefix: string; indent: string }, budget?: Budget): string {
  let pieces = 0;
  return writeJSON(v, {
    newline: (depth) => (indent ? `\n${indent.prefix}${indent.indent.repeat(depth)}` : ''),
    colon: indent ? ': ' : ':',
    quote,
    keyText,
    // Go sorts map keys by their UTF-8 bytes.
    order: (members) => members.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]))),
    charge: budget
      ? (text) => {
          budget.allocate(text.length);
          if ((++pieces & 4095) === 0) budget.checkDeadline();
        }
      : undefined,
  });
}

export class JSONSyntaxError extends Error {}

/** Parses JSON text into a Rego value, keeping number precision. Errors read like Go's. */
export function parseJSON(text: string): Value {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (what: string): never => {
    if (i >= text.length) throw new JSONSyntaxError('unexpected end of JSON input');
    throw new JSONSyntaxError(`invalid character ${charName(text[i]!)} ${what}`);
  };
  const value = (): Value => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = new ObjectValue();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        const k = string();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        obj.put(k, value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const arr: Value[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('after array element');
      }
    }
    if (c === '"') return string();
    const lit = /^(?:true|false|null)/.exec(text.slice(i, i + 5));
    if (lit) {
      i += lit[0].length;
      return lit[0] === 'null' ? null : lit[0] === 'true';
    }
    const num = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (num && num[0] !== '-') {
      i += num[0].length;
      return parseNumber(num[0])!;
    }
    return fail('looking for beginning of value');
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail('in string literal');
      i++;
    }
    if (i >= text.length) fail('');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw new JSONSyntaxError('invalid character in string escape code');
    }
  };
  const v = value();
  ws();
  if (i < text.length) fail('after top-level value');
  return v;
}

function charName(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  return c.charCodeAt(0) < 0x20 ? `'\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}'` : `'${c}'`;
}
