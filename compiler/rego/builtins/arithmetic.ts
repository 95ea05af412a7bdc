// Arithmetic operators (+ - * / %). `-` is also set difference. Number semantics (exact
// integers of any size, decimals by value) live in ../number.js.
import { add, ArithmeticError, divide, multiply, remainder, subtract, type RegoNumber } from '../number.js';
import { isNumber, SetValue, type Value } from '../value.js';
import { numberArg } from './args.js';
import { BuiltinError, declare, implement, operandTypeError } from './table.js';
import { T } from '../types.js';

const categories = ['numbers'];

function binary(
  name: string,
  infix: string,
  description: string,
  op: (a: RegoNumber, b: RegoNumber) => RegoNumber,
): void {
  const decl = declare({
    name,
    infix,
    args: [
      { name: 'x', type: T.number },
      { name: 'y', type: T.number },
    ],
    result: { name: 'z', type: T.number, description: `\`x ${infix} y\`` },
    description,
    categories,
  });
  implement(decl, ([x, y]) => arithmetic(op, numberArg(x, 1), numberArg(y, 2)));
}

/** Number errors (divide by zero...) are builtin errors. */
function arithmetic(op: (a: RegoNumber, b: RegoNumber) => RegoNumber, a: RegoNumber, b: RegoNumber): RegoNumber {
  try {
    return op(a, b);
  } catch (e) {
    if (e instanceof ArithmeticError) throw new BuiltinError(e.message);
    throw e;
  }
}

binary('plus', '+', 'Plus adds two numbers together.', add);
binary('mul', '*', 'Multiplies two numbers.', multiply);
binary('div', '/', 'Divides the first number by the second number.', divide);
binary('rem', '%', 'Returns the remainder for of `x` divided by `y`, for `y != 0`.', remainder);

const minus = declare({
  name: 'minus',
  infix: '-',
  args: [
    { name: 'x', type: T.anyOf(T.number, T.set()) },
    { name: 'y', type: T.anyOf(T.number, T.set()) },
  ],
  result: { name: 'z', type: T.anyOf(T.number, T.set()), description: 'the difference of `x` and `y`' },
  description: 'Minus subtracts the second number from the first number or computes the difference between two sets.',
  categories: ['numbers', 'sets'],
});

implement(minus, ([x, y]): Value => {
  if (isNumber(x!) && isNumber(y!)) return arithmetic(subtract, x, y);
  if (x instanceof SetValue && y instanceof SetValue) return SetValue.of(x.values().filter((v) => !y.has(v)));
  // OPA's messages: name the first operand that cannot work with the other.
  if (!isNumber(x!) && !(x instanceof SetValue)) throw operandTypeError(1, x!, 'number', 'set');
  if (isNumber(y!)) throw operandTypeError(2, y, 'set');
  throw operandTypeError(2, y!, 'number');
});
