// The n-ary set builtins `union` and `intersection` (the binary `|`/`&` live in
// set-operators.ts), and the deprecated `set_diff`.
import { SetValue, typeName } from '../value.js';
import { setArg } from './args.js';
import { declare, implement, operandError } from './table.js';
import { T } from '../types.js';

const categories = ['sets'];

function setOfSets(v: Parameters<typeof setArg>[0]): SetValue[] {
  const xs = setArg(v, 1);
  return xs.values().map((x) => {
    if (!(x instanceof SetValue)) throw operandError(1, `must be set of sets but got set containing ${typeName(x)}`);
    return x;
  });
}

const union = declare({
  name: 'union',
  args: [{ name: 'xs', type: T.set(T.set()), description: 'set of sets to merge' }],
  result: { name: 'y', type: T.set(), description: 'the union of all `xs` sets' },
  description: 'Returns the union of the given input sets.',
  categories,
  builds: true,
});
implement(union, ([xs]) => {
  const out = new SetValue();
  for (const s of setOfSets(xs)) for (const v of s.values()) out.add(v);
  return out;
});

const intersection = declare({
  name: 'intersection',
  args: [{ name: 'xs', type: T.set(T.set()), description: 'set of sets to intersect' }],
  result: { name: 'y', type: T.set(), description: 'the intersection of all `xs` sets' },
  description: 'Returns the intersection of the given input sets.',
  categories,
});
implement(intersection, ([xs]) => {
  const sets = setOfSets(xs);
  if (sets.length === 0) return new SetValue();
  const [first, ...rest] = sets;
  return SetValue.of(first!.values().filter((v) => rest.every((s) => s.has(v))));
});

const setDiff = declare({
  name: 'set_diff',
  args: [
    { name: 'x', type: T.set() },
    { name: 'y', type: T.set() },
  ],
  result: { name: 'z', type: T.set() },
  description: 'Returns the members of `x` that are not in `y` (deprecated: use `x - y`).',
  categories,
  deprecated: true,
});
implement(setDiff, ([x, y]) => {
  const a = setArg(x, 1);
  const b = setArg(y, 2);
  return SetValue.of(a.values().filter((v) => !b.has(v)));
});
