// Conversions of Rego values out of the engine: to JS data and JSON text as OPA serializes
// values, and to Rego syntax. (Values come in through `fromJS` in value.ts, which the lazy
// objects need.)
import { BigNum, formatNumber, isNumber } from './number.js';
import { type ObjectValue, SetValue, type Value } from './value.js';

/**
 * The JSON form of a value, as OPA serializes it: sets become sorted arrays, non-string
 * object keys become their JSON text ({1: "a"} → {"1": "a"}, {[1]: 2} → {"[1]": 2}). BigNums become JS numbers
 * here (approximately); use `toJSONText` to keep every digit.
 */
export function toJS(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof BigNum) return Number(formatNumber(v));
  if (Array.isArray(v)) return v.map(toJS);
  if (v instanceof SetValue) return v.values().map(toJS);
  const out: Record<string, unknown> = {};
  for (const [k, val] of (v as ObjectValue).entries()) out[jsonKey(k)] = toJS(val);
  return out;
}

/** A JSON object key for any Rego key: strings as they are, other keys as their compact JSON. */
export function jsonKey(k: Value): string {
  return typeof k === 'string' ? k : toJSONText(k);
}

/** How `writeJSON` lays out text: OPA's output (`toJSONText`), Go's json.Marshal (builtins). */
export interface JSONStyle {
  /** Text before an item (and before the close) at `depth`; empty for compact output. */
  readonly newline: (depth: number) => string;
  /** Between a key and its value. */
  readonly colon: string;
  readonly quote: (s: string) => string;
  /** A key's text before quoting (keys that are not strings are written as their JSON or Rego text). */
  readonly keyText: (k: Value) => string;
  /** Object members in writing order (default: Rego's key order). */
  readonly order?: (members: [string, Value][]) => [string, Value][];
  /** Receives each piece of text as it is written (to charge a budget). */
  readonly charge?: (text: string) => void;
}

/**
 * JSON text of a value, numbers written exactly, sets as arrays. An explicit stack instead of
 * recursion, so values nested 10,000 levels deep (what Go's decoder accepts) write too.
 */
export function writeJSON(v: Value, style: JSONStyle): string {
  interface Open {
    readonly items: readonly Value[];
    /** Object members: the key text written before each item. */
    readonly keys?: readonly string[];
    readonly depth: number;
    readonly close: string;
    i: number;
  }
  const out: string[] = [];
  const put = style.charge ? (t: string) => (style.charge!(t), out.push(t)) : (t: string) => out.push(t);
  const stack: Open[] = [];
  const write = (x: Value, depth: number) => {
    if (x === null || typeof x === 'boolean') put(String(x));
    else if (typeof x === 'string') put(style.quote(x));
    else if (isNumber(x)) put(formatNumber(x));
    else if (Array.isArray(x) || x instanceof SetValue) {
      const items = Array.isArray(x) ? x : (x as SetValue).values();
      put('[');
      stack.push({ items, depth, close: ']', i: 0 });
    } else {
      let members = (x as ObjectValue).entries().map(([k, val]): [string, Value] => [style.keyText(k), val]);
      if (style.order) members = style.order(members);
      put('{');
      const keys = members.map(([k]) => style.quote(k) + style.colon);
      stack.push({ items: members.map((m) => m[1]), keys, depth, close: '}', i: 0 });
    }
  };
  write(v, 0);
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.i === f.items.length) {
      put(f.i === 0 ? f.close : style.newline(f.depth) + f.close);
      stack.pop();
      continue;
    }
    put((f.i > 0 ? ',' : '') + style.newline(f.depth + 1) + (f.keys ? f.keys[f.i] : ''));
    write(f.items[f.i++]!, f.depth + 1);
  }
  return out.join('');
}

/** JSON text of a value as OPA writes it, numbers written exactly. `indent` as in JSON.stringify. */
export function toJSONText(v: Value, indent = 0): string {
  return writeJSON(v, {
    newline: (depth) => (indent > 0 ? `\n${' '.repeat(indent * depth)}` : ''),
    colon: indent > 0 ? ': ' : ':',
    quote: (s) => JSON.stringify(s),
    keyText: jsonKey,
  });
}

/** Rego syntax for a value, as OPA prints terms: `{"a": 1}`, `{1, 2}`, `set()`. */
export function valueToString(v: Value): string {
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (isNumber(v)) return formatNumber(v);
  if (Array.isArray(v)) return `[${v.map(valueToString).join(', ')}]`;
  if (v instanceof SetValue) return v.size === 0 ? 'set()' : `{${v.values().map(valueToString).join(', ')}}`;
  return (
    '{' +
    (v as ObjectValue)
      .entries()
      .map(([k, val]) => `${valueToString(k)}: ${valueToString(val)}`)
      .join(', ') +
    '}'
  );
}

/** True when the value is a number equal to an integer in JS's safe range. */
export function asIndex(v: Value): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}
