// The set operators `&` (intersection) and `|` (union). The n-ary `intersection`/`union`
// functions belong to the sets domain.
import { SetValue } from '../value.js';
import { setArg } from './args.js';
import { declare, implement } from './table.js';
import { T } from '../types.js';

const and = declare({
  name: 'and',
  infix: '&',
  args: [
    { name: 'x', type: T.set(), description: 'the first set' },
    { name: 'y', type: T.set(), description: 'the second set' },
  ],
  result: { name: 'z', type: T.set(), description: 'the intersection of `x` and `y`' },
  description: 'Returns the intersection of two sets.',
  categories: ['sets'],
});

implement(and, ([x, y]) => {
  const a = setArg(x, 1);
  const b = setArg(y, 2);
  return SetValue.of(a.values().filter((v) => b.has(v)));
});

const or = declare({
  name: 'or',
  infix: '|',
  args: [
    { name: 'x', type: T.set(), description: 'the first set' },
    { name: 'y', type: T.set(), description: 'the second set' },
  ],
  result: { name: 'z', type: T.set(), description: 'the union of `x` and `y`' },
  description: 'Returns the union of two sets.',
  categories: ['sets'],
});

implement(or, ([x, y]) => {
  const a = setArg(x, 1);
  const b = setArg(y, 2);
  return SetValue.of([...a.values(), ...b.values()]);
});
