import { describe, expect, it } from 'vitest';
import {
  add,
  BigNum,
  compareNumbers,
  divide,
  formatNumber,
  multiply,
  parseNumber,
  remainder,
  subtract,
} from '../../compiler/rego/number.js';
import {
  compare,
  equals,
  fromJS,
  keyOf,
  ObjectValue,
  SetValue,
  typeName,
  type Value,
} from '../../compiler/rego/value.js';
import { toJSONText, toJS, valueToString } from '../../compiler/rego/convert.js';
import { parseJSON } from '../../compiler/rego/json.js';

const n = (s: string) => parseNumber(s)!;

describe('numbers', () => {
  it('compare by value: 1 == 1.0 == 1e0, 3.5 == 3.50', () => {
    expect(equals(n('1'), n('1.0'))).toBe(true);
    expect(equals(n('1e0'), n('1'))).toBe(true);
    expect(keyOf(n('3.50'))).toBe(keyOf(n('35e-1')));
    expect(SetValue.of([n('3.5'), n('3.50'), n('0.35e1')]).size).toBe(1);
  });

  it('keep big integers exact', () => {
    const big = n('18446744073709551617');
    expect(big).toBeInstanceOf(BigNum);
    expect(formatNumber(add(big, 1))).toBe('18446744073709551618');
    expect(formatNumber(multiply(big, 2))).toBe('36893488147419103234');
    expect(formatNumber(subtract(n('-18446744073709551617'), 1))).toBe('-18446744073709551618');
    expect(formatNumber(add(n('9223372036854775807'), 1))).toBe('9223372036854775808');
    expect(formatNumber(add(n('1e30'), 1))).toBe('1000000000000000000000000000001');
    expect(equals(n('28857836529306024611913'), n('28857836529306024611912'))).toBe(false);
  });

  it('order decimals beyond double precision', () => {
    expect(compareNumbers(n('0.1234567890123456789'), n('0.1234567890123456788'))).toBe(1);
    expect(compareNumbers(n('1e400'), n('1e399'))).toBe(1);
    expect(compareNumbers(n('1e-400'), 0)).toBe(1);
    expect(compareNumbers(n('-1e299'), n('1e-299'))).toBe(-1);
  });

  it('divide exactly when the divisor divides, and fail on zero', () => {
    expect(divide(6, 3)).toBe(2);
    expect(divide(1, 4)).toBe(0.25);
    expect(() => divide(1, n('0.0'))).toThrow('divide by zero');
    expect(remainder(-17, 5)).toBe(-2);
    expect(() => remainder(n('1.1'), 1)).toThrow('modulo on floating-point number');
    expect(formatNumber(remainder(10, n('18446744073709551616')))).toBe('10');
  });

  it('add decimals exactly', () => {
    expect(add(n('0.1'), n('0.2'))).toBe(0.3);
    expect(add(1, n('2.5'))).toBe(3.5);
  });
});

describe('values', () => {
  it('order types as OPA does: null < boolean < number < string < array < object < set', () => {
    const values: Value[] = [SetValue.of([]), new ObjectValue(), [], 'a', 1, false, null];
    const sorted = [...values].sort(compare).map(typeName);
    expect(sorted).toEqual(['null', 'boolean', 'number', 'string', 'array', 'object', 'set']);
    expect(compare(false, true)).toBe(-1);
    expect(compare([1, 2], [1, 2, 0])).toBe(-1);
    expect(compare('\u{1F600}', '\uFFFF')).toBe(1); // UTF-8 byte order, not UTF-16
  });

  it('key objects and sets by value, any value as a key', () => {
    const o = ObjectValue.of([
      [1, 'number one'],
      ['1', 'string one'],
      [[1, 2], 'array'],
      [SetValue.of(['a']), 'set'],
    ]);
    expect(o.get(n('1.0'))).toBe('number one');
    expect(o.get('1')).toBe('string one');
    expect(o.get([1, 2])).toBe('array');
    expect(o.get(SetValue.of(['a']))).toBe('set');
    expect(o.size).toBe(4);
    expect(keyOf('\u0001x')).not.toBe(keyOf(true));
  });

  it('iterates objects and sets in sorted order', () => {
    expect(SetValue.of(['b', 'a', 2, null]).values()).toEqual([null, 2, 'a', 'b']);
    expect(fromJS({ b: 1, a: 2 }) instanceof ObjectValue && (fromJS({ b: 1, a: 2 }) as ObjectValue).keys()).toEqual([
      'a',
      'b',
    ]);
  });

  it('converts from and to JSON the way OPA does', () => {
    const v = ObjectValue.of([
      [1, 'a'],
      ['s', SetValue.of([2, 1])],
    ]);
    expect(toJS(v)).toEqual({ '1': 'a', s: [1, 2] });
    expect(valueToString(v)).toBe('{1: "a", "s": {1, 2}}');
    expect(valueToString(SetValue.of([]))).toBe('set()');
    expect(toJSONText(parseJSON('{"n": 18446744073709551617}'))).toBe('{"n":18446744073709551617}');
    expect(equals(fromJS({ a: [1, { b: null }] }), parseJSON('{"a": [1.0, {"b": null}]}'))).toBe(true);
  });

  it('treats undefined members of JS input as JSON does', () => {
    const o = fromJS({ a: undefined, b: [undefined, 1] }) as ObjectValue;
    expect(o.size).toBe(1);
    expect(o.has('a')).toBe(false);
    expect(toJS(o)).toEqual({ b: [null, 1] });
  });

  it('reads lazily converted JSON objects like any object', () => {
    const o = fromJS({ a: { b: 1 }, toString: 2 }) as ObjectValue;
    expect(o.get('constructor')).toBeUndefined();
    expect(o.get('toString')).toBe(2);
    expect(o.get('a')).toBe(o.get('a'));
    expect(o.size).toBe(2);
    expect(equals(o, fromJS({ toString: 2, a: { b: 1.0 } }))).toBe(true);
  });
});

describe('lazy objects read through paths (getPath)', () => {
  const raw = { a: { b: { c: 1, d: [1, 2] } }, arr: [{ x: 1 }], s: new Set(['m']), mp: new Map([['k', 'v']]) };
  const path = (o: ObjectValue, p: string[]) => o.getPath(p, JSON.stringify(p));

  it('reads members of members, converting only the result, once', () => {
    const o = fromJS(raw) as ObjectValue;
    expect(path(o, ['a', 'b', 'c'])).toBe(1);
    const d = path(o, ['a', 'b', 'd']);
    expect(toJS(d!)).toEqual([1, 2]);
    expect(path(o, ['a', 'b', 'd'])).toBe(d);
    expect(path(o, ['a', 'missing', 'c'])).toBeUndefined();
  });

  it('agrees with member-by-member reads on what is not a plain member', () => {
    const o = fromJS(raw) as ObjectValue;
    for (const p of [
      ['a', 'toString'],
      ['__proto__', 'x'],
      ['a', '__proto__'],
      ['arr', '0'],
      ['s', 'm'],
      ['mp', 'k'],
    ]) {
      let v: Value | undefined = o;
      for (const k of p) v = v instanceof ObjectValue ? v.get(k) : v instanceof SetValue && v.has(k) ? k : undefined;
      expect(path(o, p), p.join('.')).toEqual(v);
    }
    expect(path(o, ['s', 'm'])).toBe('m');
    expect(path(o, ['mp', 'k'])).toBe('v');
  });

  it('works on objects that are not lazy', () => {
    const o = ObjectValue.of([['a', ObjectValue.of([['b', 2]])]]);
    expect(path(o, ['a', 'b'])).toBe(2);
  });
});
