// Array builtins: array.concat, array.slice, array.reverse, array.flatten.
import type { Value } from '../value.js';
import { arrayArg, intArg } from './args.js';
import { declare, implement } from './table.js';
import { T } from '../types.js';

const concat = declare({
  name: 'array.concat',
  args: [
    { name: 'x', type: T.array(), description: 'the first array' },
    { name: 'y', type: T.array(), description: 'the second array' },
  ],
  result: { name: 'z', type: T.array(), description: 'the concatenation of `x` and `y`' },
  description: 'Concatenates two arrays.',
  categories: ['array'],
  builds: true,
});
implement(concat, ([x, y]) => [...arrayArg(x, 1), ...arrayArg(y, 2)]);

const slice = declare({
  name: 'array.slice',
  args: [
    { name: 'arr', type: T.array(), description: 'the array to be sliced' },
    {
      name: 'start',
      type: T.number,
      description: "the start index of the returned slice; if less than zero, it's clamped to 0",
    },
    {
      name: 'stop',
      type: T.number,
      description: "the stop index of the returned slice; if larger than `count(arr)`, it's clamped to `count(arr)`",
    },
  ],
  result: {
    name: 'slice',
    type: T.array(),
    description: 'the subslice of `array`, from `start` to `end`, including `arr[start]`, but excluding `arr[end]`',
  },
  description: 'Returns a slice of a given array. If `start` is greater or equal than `stop`, `slice` is `[]`.',
  categories: ['array'],
});
implement(slice, ([a, s, e]) => {
  const arr = arrayArg(a, 1);
  let start = intArg(s, 2);
  let stop = intArg(e, 3);
  stop = Math.min(Math.max(stop, 0), arr.length);
  start = Math.min(Math.max(start, 0), stop);
  return arr.slice(start, stop);
});

const reverse = declare({
  name: 'array.reverse',
  args: [{ name: 'arr', type: T.array(), description: 'the array to be reversed' }],
  result: { name: 'rev', type: T.array(), description: 'an array containing the elements of `arr` in reverse order' },
  description: 'Returns the reverse of a given array.',
  categories: ['array'],
});
implement(reverse, ([a]) => [...arrayArg(a, 1)].reverse());

const flatten = declare({
  name: 'array.flatten',
  args: [{ name: 'arr', type: T.array(), description: 'the array to be flattened' }],
  result: {
    name: 'flat',
    type: T.array(),
    description: 'the elements of `arr`, with the elements of nested arrays spliced in (one level)',
  },
  description:
    'Flattens an array by one level: array elements are replaced by their own elements, other elements are kept.',
  categories: ['array'],
});
implement(flatten, ([a]) => arrayArg(a, 1).flatMap((x): readonly Value[] => (Array.isArray(x) ? x : [x])));
