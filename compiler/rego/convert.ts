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

/** JSON text of a value, numbers written exactly. `indent` as in JSON.stringify. */
export function toJSONText(v: Value, indent = 0): string {
  const pad = (depth: number) => (indent > 0 ? `\n${' '.repeat(indent * depth)}` : '');
  const sep = indent > 0 ? ': ' : ':';
  const write = (x: Value, depth: number): string => {
    if (x === null || typeof x === 'boolean') return String(x);
    if (typeof x === 'string') return JSON.stringify(x);
    if (isNumber(x)) return formatNumber(x);
    let items: string[];
    let open: string;
    let close: string;
    if (Array.isArray(x) || x instanceof SetValue) {
      const elems = Array.isArray(x) ? x : (x as SetValue).values();
      items = elems.map((e) => write(e, depth + 1));
      [open, close] = ['[', ']'];
    } else {
      items = (x as ObjectValue).entries().map(([k, val]) => JSON.stringify(jsonKey(k)) + sep + write(val, depth + 1));
      [open, close] = ['{', '}'];
    }
    if (items.length === 0) return open + close;
    return open + items.map((s) => pad(depth + 1) + s).join(',') + pad(depth) + close;
  };
  return write(v, 0);
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
