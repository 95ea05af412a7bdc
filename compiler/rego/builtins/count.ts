// `count`, which the core language leans on (e.g. `count(violations) == 0`). The other
// aggregates live in aggregates.ts.
import { ObjectValue, SetValue } from '../value.js';
import { declare, implement, operandTypeError } from './table.js';
import { T } from '../types.js';

const count = declare({
  name: 'count',
  args: [
    {
      name: 'collection',
      type: T.anyOf(T.array(), T.object(), T.set(), T.string),
      description: 'the set/array/object/string to be counted',
    },
  ],
  result: {
    name: 'n',
    type: T.number,
    description: 'the count of elements, key/val pairs, or characters, respectively.',
  },
  description: 'Count takes a collection or string and returns the number of elements (or characters) in it.',
  categories: ['aggregates'],
});

implement(count, ([x]) => {
  if (typeof x === 'string') {
    // Characters are code points, as Go counts runes.
    let n = 0;
    for (const _ of x) n++;
    return n;
  }
  if (Array.isArray(x)) return x.length;
  if (x instanceof SetValue || x instanceof ObjectValue) return x.size;
  throw operandTypeError(1, x ?? null, 'array', 'object', 'set', 'string');
});
