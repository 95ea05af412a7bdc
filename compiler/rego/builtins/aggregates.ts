// Aggregates over arrays and sets: sum, product, max, min, sort, and the deprecated any/all.
// `count` lives in count.ts. Sums and products are exact for integers of any size (OPA
// accumulates them on big integers) and use the same decimal arithmetic as `+` and `*`.
import { add, multiply, type RegoNumber } from '../number.js';
import { compare, isNumber, SetValue, typeName, type Value } from '../value.js';
import { declare, implement, operandError, operandTypeError } from './table.js';
import { T } from '../types.js';

const categories = ['aggregates'];

/** The members of an array or set; OPA names `set` first in these messages. */
function members(v: Value | undefined): readonly Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof SetValue) return v.values();
  throw operandTypeError(1, v ?? null, 'set', 'array');
}

function numbers(v: Value | undefined): RegoNumber[] {
  const items = members(v);
  const kind = Array.isArray(v) ? 'array' : 'set';
  for (const x of items) {
    if (!isNumber(x)) throw operandError(1, `must be ${kind} of numbers but got ${kind} containing ${typeName(x)}`);
  }
  return items as RegoNumber[];
}

const numberCollection = T.anyOf(T.set(T.number), T.array(T.number));
const anyCollection = T.anyOf(T.set(), T.array());

const sum = declare({
  name: 'sum',
  args: [{ name: 'collection', type: numberCollection, description: 'the set or array of numbers to sum' }],
  result: { name: 'n', type: T.number, description: 'the sum of all elements' },
  description: 'Sums elements of an array or set of numbers.',
  categories,
});
implement(sum, ([x]) => numbers(x).reduce<RegoNumber>((acc, n) => add(acc, n), 0));

const product = declare({
  name: 'product',
  args: [{ name: 'collection', type: numberCollection, description: 'the set or array of numbers to multiply' }],
  result: { name: 'n', type: T.number, description: 'the product of all elements' },
  description: 'Multiplies elements of an array or set of numbers',
  categories,
});
implement(product, ([x]) => numbers(x).reduce<RegoNumber>((acc, n) => multiply(acc, n), 1));

const max = declare({
  name: 'max',
  args: [{ name: 'collection', type: anyCollection, description: 'the set or array to be searched' }],
  result: { name: 'n', type: T.any, description: 'the maximum of all elements' },
  description: 'Returns the maximum value in a collection.',
  categories,
});
implement(max, ([x]) => {
  const items = members(x);
  if (items.length === 0) return undefined;
  return items.reduce((m, v) => (compare(m, v) <= 0 ? v : m));
});

const min = declare({
  name: 'min',
  args: [{ name: 'collection', type: anyCollection, description: 'the set or array to be searched' }],
  result: { name: 'n', type: T.any, description: 'the minimum of all elements' },
  description: 'Returns the minimum value in a collection.',
  categories,
});
implement(min, ([x]) => {
  const items = members(x);
  if (items.length === 0) return undefined;
  return items.reduce((m, v) => (compare(m, v) >= 0 ? v : m));
});

const sort = declare({
  name: 'sort',
  args: [{ name: 'collection', type: T.anyOf(T.array(), T.set()), description: 'the array or set to be sorted' }],
  result: { name: 'n', type: T.array(), description: 'the sorted array' },
  description: 'Returns a sorted array.',
  categories,
});
implement(sort, ([x]) => [...members(x)].sort(compare));

// Deprecated (not available to v1 modules): `all`/`any` test for the value `true`.
const all = declare({
  name: 'all',
  args: [{ name: 'collection', type: anyCollection }],
  result: { name: 'result', type: T.boolean },
  description: 'Returns true if every member of the collection is `true` (deprecated).',
  categories,
  deprecated: true,
});
implement(all, ([x]) => {
  if (!Array.isArray(x) && !(x instanceof SetValue)) throw operandTypeError(1, x ?? null, 'array', 'set');
  return members(x).every((v) => v === true);
});

const any = declare({
  name: 'any',
  args: [{ name: 'collection', type: anyCollection }],
  result: { name: 'result', type: T.boolean },
  description: 'Returns true if some member of the collection is `true` (deprecated).',
  categories,
  deprecated: true,
});
implement(any, ([x]) => {
  if (!Array.isArray(x) && !(x instanceof SetValue)) throw operandTypeError(1, x ?? null, 'array', 'set');
  return members(x).some((v) => v === true);
});
