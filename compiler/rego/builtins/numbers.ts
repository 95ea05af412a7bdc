// Number builtins: to_number, abs, round, ceil, floor, numbers.range(_step), rand.intn.
// Integers of any size stay exact; rounding works on the exact decimal value.
import { randomInt } from 'node:crypto';
import { decimalOf, fromBigInt, isInteger, negate, parseNumber, toBigInt, type RegoNumber } from '../number.js';
import { isNumber, type Value } from '../value.js';
import { intArg, numberArg, stringArg } from './args.js';
import {
  type Budget,
  BuiltinError,
  declare,
  implement,
  MEMBER_BYTES,
  operandError,
  operandTypeError,
} from './table.js';
import { T } from '../types.js';

const categories = ['numbers'];

const toNumber = declare({
  name: 'to_number',
  args: [{ name: 'x', type: T.anyOf(T.number, T.string, T.boolean, T.null), description: 'value to convert' }],
  result: { name: 'num', type: T.number, description: 'the numeric representation of `x`' },
  description:
    'Converts a string, bool, or number value to a number: Strings are converted to numbers using ' +
    '`strconv.Atoi`, Boolean `false` is converted to 0 and `true` is converted to 1.',
  categories: ['conversions'],
});

implement(toNumber, ([x]) => {
  if (x === null || x === false) return 0;
  if (x === true) return 1;
  if (isNumber(x!)) return x;
  if (typeof x !== 'string') throw operandTypeError(1, x ?? null, 'null', 'boolean', 'number', 'string');
  const word = x.replace(/^[+-]+/, '').toLowerCase();
  if (word === 'inf' || word === 'infinity' || word === 'nan') throw operandTypeError(1, x, 'valid number string');
  // strconv.ParseFloat's decimal syntax (hex floats and underscores are not accepted here).
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(x)
    ? parseNumber(x.startsWith('+') ? x.slice(1) : x)
    : undefined;
  if (n === undefined) throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(x)}: invalid syntax`);
  if (!Number.isFinite(Number(x)))
    throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(x)}: value out of range`);
  return n;
});

type Rounding = 'round' | 'ceil' | 'floor';

/** Rounds the exact decimal value. OPA's ceil and floor truncate first and then adjust by the
 * sign of the truncated value, so inputs in (-1, 0) give ceil 1 and floor 0; kept for parity. */
function roundNumber(n: RegoNumber, mode: Rounding): RegoNumber {
  if (isInteger(n)) return n;
  const { m, e } = decimalOf(n);
  const p = 10n ** BigInt(-e);
  const q = m / p; // towards zero
  const r = m % p;
  switch (mode) {
    case 'round': {
      const twice = 2n * (r < 0n ? -r : r);
      return fromBigInt(twice >= p ? q + (m < 0n ? -1n : 1n) : q);
    }
    case 'ceil':
      return fromBigInt(q < 0n ? q : q + 1n);
    case 'floor':
      return fromBigInt(q >= 0n ? q : q - 1n);
  }
}

function rounding(name: Rounding, description: string, what: string): void {
  const decl = declare({
    name,
    args: [{ name: 'x', type: T.number, description: 'the number to round' }],
    result: { name: 'y', type: T.number, description: `the result of rounding \`x\`${what}` },
    description,
    categories,
  });
  implement(decl, ([x]) => roundNumber(numberArg(x, 1), name));
}

rounding('round', 'Rounds the number to the nearest integer.', '');
rounding('ceil', 'Rounds the number _up_ to the nearest integer.', ' _up_');
rounding('floor', 'Rounds the number _down_ to the nearest integer.', ' _down_');

const abs = declare({
  name: 'abs',
  args: [{ name: 'x', type: T.number, description: 'the number to take the absolute value of' }],
  result: { name: 'y', type: T.number, description: 'the absolute value of `x`' },
  description: 'Returns the number without its sign.',
  categories,
});
implement(abs, ([x]) => {
  const n = numberArg(x, 1);
  return decimalOf(n).m < 0n ? negate(n) : n;
});

/** OPA's integer operand for ranges: `must be integer but got string` for non-numbers. */
function integerArg(v: Value | undefined, pos: number): bigint {
  if (v === undefined || !isNumber(v)) throw operandTypeError(pos, v ?? null, 'integer');
  const i = toBigInt(v);
  if (i === undefined) throw operandError(pos, 'must be integer number but got floating-point number');
  return i;
}

/** A range is materialized as an array: it is charged to the memory budget before it is built,
 * so a huge one stops the evaluation (eval_limit_error) instead of exhausting memory. */
function range(from: bigint, to: bigint, step: bigint, budget: Budget): RegoNumber[] {
  const span = (to >= from ? to - from : from - to) / step + 1n;
  budget.allocate(span > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_VALUE : Number(span) * MEMBER_BYTES);
  const out: RegoNumber[] = [];
  if (from <= to) for (let i = from; i <= to; i += step) out.push(fromBigInt(i));
  else for (let i = from; i >= to; i -= step) out.push(fromBigInt(i));
  return out;
}

const numbersRange = declare({
  name: 'numbers.range',
  args: [
    { name: 'a', type: T.number, description: 'the start of the range' },
    { name: 'b', type: T.number, description: 'the end of the range (inclusive)' },
  ],
  result: { name: 'range', type: T.array(T.number), description: 'the range between `a` and `b`' },
  description:
    'Returns an array of numbers in the given (inclusive) range. If `a==b`, then `range == [a]`; if `a > b`, ' +
    'then `range` is in descending order.',
  categories: ['numbers'],
});
implement(numbersRange, ([a, b], ctx) => range(integerArg(a, 1), integerArg(b, 2), 1n, ctx.budget));

const numbersRangeStep = declare({
  name: 'numbers.range_step',
  args: [
    { name: 'a', type: T.number, description: 'the start of the range' },
    { name: 'b', type: T.number, description: 'the end of the range (inclusive)' },
    { name: 'step', type: T.number, description: 'the step between numbers in the range' },
  ],
  result: { name: 'range', type: T.array(T.number), description: 'the range between `a` and `b` in `step` increments' },
  description:
    'Returns an array of numbers in the given (inclusive) range incremented by a positive step.\n\tIf "a==b", ' +
    'then "range == [a]"; if "a > b", then "range" is in descending order.\n\tIf the provided "step" is less ' +
    'then 1, an error will be thrown.\n\tIf "b" is not in the range of the provided "step", "b" won\'t be ' +
    'included in the result.\n\t',
  categories: ['numbers'],
});
implement(numbersRangeStep, ([a, b, s], ctx) => {
  const from = integerArg(a, 1);
  const to = integerArg(b, 2);
  const step = integerArg(s, 3);
  if (step <= 0n) throw new BuiltinError('numbers.range_step: step must be a positive integer');
  return range(from, to, step, ctx.budget);
});

const randIntn = declare({
  name: 'rand.intn',
  args: [
    { name: 'str', type: T.string, description: 'seed string for the random number' },
    { name: 'n', type: T.number, description: 'upper bound of the random number (exclusive)' },
  ],
  result: { name: 'y', type: T.number, description: 'random integer in the range `[0, abs(n))`' },
  description:
    'Returns a random integer between `0` and `n` (`n` exclusive). If `n` is `0`, then `y` is always `0`. For ' +
    'any given argument pair (`str`, `n`), the output will be consistent throughout a query evaluation.',
  categories,
  nondeterministic: true,
});

implement(randIntn, ([s, x], ctx) => {
  const seed = stringArg(s, 1);
  let n = intArg(x, 2);
  if (n === 0) return 0;
  if (n < 0) n = -n;
  // One value per (str, n) for the whole evaluation, remembered in the evaluation's cache.
  let memo = ctx.cache.get('rand.intn') as Map<string, number> | undefined;
  if (memo === undefined) ctx.cache.set('rand.intn', (memo = new Map()));
  const key = `${seed}-${n}`;
  let v = memo.get(key);
  if (v === undefined) {
    v = n <= 2 ** 48 ? randomInt(n) : Math.floor(Math.random() * n);
    memo.set(key, v);
  }
  return v;
});
