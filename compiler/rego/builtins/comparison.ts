// Comparison operators. Values of any types compare by OPA's total order
// (null < boolean < number < string < array < object < set), so `1 < "a"` is true.
import { compare } from '../value.js';
import { declare, implement } from './table.js';
import { T } from '../types.js';

const category = ['comparison'];

function comparison(name: string, infix: string, description: string, test: (c: number) => boolean): void {
  const decl = declare({
    name,
    infix,
    args: [
      { name: 'x', type: T.any },
      { name: 'y', type: T.any },
    ],
    result: { name: 'result', type: T.boolean, description: `true if \`x ${infix} y\`; false otherwise` },
    description,
    categories: category,
  });
  implement(decl, ([x, y]) => test(compare(x!, y!)));
}

comparison('equal', '==', 'Checks if two values are equal.', (c) => c === 0);
comparison('neq', '!=', 'Checks if two values are not equal.', (c) => c !== 0);
comparison('lt', '<', 'Checks if the first value is less than the second value.', (c) => c < 0);
comparison('lte', '<=', 'Checks if the first value is less than or equal to the second value.', (c) => c <= 0);
comparison('gt', '>', 'Checks if the first value is greater than the second value.', (c) => c > 0);
comparison('gte', '>=', 'Checks if the first value is greater than or equal to the second value.', (c) => c >= 0);
