// Bitwise operations on integers of any size (two's complement semantics, as Go's big.Int).
import { fromBigInt, toBigInt } from '../number.js';
import { isNumber, type Value } from '../value.js';
import { declare, implement, operandError, operandTypeError } from './table.js';
import { T } from '../types.js';

function integer(v: Value | undefined, pos: number): bigint {
  if (v === undefined || !isNumber(v)) throw operandTypeError(pos, v ?? null, 'integer');
  const i = toBigInt(v);
  if (i === undefined) throw operandError(pos, 'must be integer number but got floating-point number');
  return i;
}

/** A shift count: a non-negative integer small enough to make sense. */
function shiftCount(v: Value | undefined): bigint {
  if (v === undefined || !isNumber(v)) throw operandTypeError(2, v ?? null, 'number');
  const i = toBigInt(v);
  if (i === undefined) throw operandError(2, 'must be integer number but got floating-point number');
  if (i < 0n) throw operandError(2, 'must be an unsigned integer number but got a negative integer');
  return i;
}

function binary(name: string, what: string, desc: string, op: (x: bigint, y: bigint) => bigint): void {
  const decl = declare({
    name,
    args: [
      { name: 'x', type: T.number, description: 'the first integer' },
      { name: 'y', type: T.number, description: 'the second integer' },
    ],
    result: { name: 'z', type: T.number, description: `the bitwise ${what} of \`x\` and \`y\`` },
    description: desc,
    categories: ['bits'],
  });
  implement(decl, ([x, y]) => fromBigInt(op(integer(x, 1), integer(y, 2))));
}

binary('bits.or', 'OR', 'Returns the bitwise "OR" of two integers.', (x, y) => x | y);
binary('bits.and', 'AND', 'Returns the bitwise "AND" of two integers.', (x, y) => x & y);
binary('bits.xor', 'XOR', 'Returns the bitwise "XOR" (exclusive-or) of two integers.', (x, y) => x ^ y);

const negate = declare({
  name: 'bits.negate',
  args: [{ name: 'x', type: T.number, description: 'the integer to negate' }],
  result: { name: 'z', type: T.number, description: 'the bitwise negation of `x`' },
  description: 'Returns the bitwise negation (flip) of an integer.',
  categories: ['bits'],
});
implement(negate, ([x]) => fromBigInt(~integer(x, 1)));

function shift(name: string, dir: 'left' | 'right', op: (x: bigint, s: bigint) => bigint): void {
  const decl = declare({
    name,
    args: [
      { name: 'x', type: T.number, description: 'the integer to shift' },
      { name: 's', type: T.number, description: 'the number of bits to shift' },
    ],
    result: { name: 'z', type: T.number, description: `the result of shifting \`x\` \`s\` bits to the ${dir}` },
    description: `Returns a new integer with its bits shifted \`s\` bits to the ${dir}.`,
    categories: ['bits'],
  });
  implement(decl, ([x, s]) => fromBigInt(op(integer(x, 1), shiftCount(s))));
}

shift('bits.lsh', 'left', (x, s) => x << s);
shift('bits.rsh', 'right', (x, s) => x >> s);
