// Arrays: building (makeArray, range, map…), folding, sorting and sets. Elements built by
// calling a function stay lazy, as in Jsonnet: `std.map(f, xs)[0]` calls `f` once.
import type { Loc } from '../errors.js';
import { callFunction } from '../evaluate.js';
import { codePoints, compare, equals } from '../ops.js';
import { checkArrayLength, runtimeError, work } from '../runtime.js';
import { JArray, type JFunction, Lazy, Ready, type Thunk, typeOf, type Value } from '../value.js';
import { type Args, asFunction, builtin, type Builtin, strictArgs } from './natives.js';
import { joinStrings } from './strings.js';

const call = (f: Value, loc: Loc, ...args: Value[]): Value =>
  callFunction(
    f,
    args.map((a) => new Ready(a)),
    loc,
  );

/** The elements of an array, or the characters of a string (map and flatMap take either). */
function elements(name: string, v: Value, loc: Loc): Thunk[] {
  if (v instanceof JArray) return v.items as Thunk[];
  if (typeof v === 'string') return codePoints(v).map((c) => new Ready(c));
  throw runtimeError(`std.${name}: the second parameter must be an array or a string, got ${typeOf(v)}`, loc);
}

const bigArray = checkArrayLength;

/** Identity, or the key function given. */
function keyOf(args: Args, i: number, name: string, loc: Loc): (v: Value) => Value {
  const f = args[i]?.force();
  if (f === undefined) return (v) => v;
  const fn = asFunction(name, f, 'keyF', loc);
  return (v) => call(fn, loc, v);
}

function sortValues(values: Value[], key: (v: Value) => Value, loc: Loc): Value[] {
  work(values.length * Math.max(1, Math.ceil(Math.log2(values.length + 1))), loc);
  const keyed = values.map((v) => ({ v, k: key(v) }));
  // Array.prototype.sort is stable, as Jsonnet's sort is.
  keyed.sort((a, b) => compare(a.k, b.k, loc));
  return keyed.map((e) => e.v);
}

function uniqValues(values: Value[], key: (v: Value) => Value, loc: Loc): Value[] {
  const out: Value[] = [];
  let lastKey: Value | undefined;
  for (const v of values) {
    const k = key(v);
    if (out.length === 0 || !equals(lastKey!, k, loc)) out.push(v);
    lastKey = k;
  }
  return out;
}

const forced = (a: JArray): Value[] => a.items.map((t) => t.force());

function arrayArg(name: string, args: Args, i: number, loc: Loc): JArray {
  const v = args[i]!.force();
  if (!(v instanceof JArray)) throw runtimeError(`std.${name}: expected an array, got ${typeOf(v)}`, loc);
  return v;
}

/** Set functions index their arguments, so a string works as the array of its characters. */
function indexable(name: string, args: Args, i: number, loc: Loc): JArray {
  const v = args[i]!.force();
  return typeof v === 'string' ? JArray.of(codePoints(v)) : arrayArg(name, args, i, loc);
}

function setOp(name: string, f: (a: Value[], b: Value[], key: (v: Value) => Value, loc: Loc) => Value[]): Builtin {
  return builtin(
    name,
    ['a', 'b', 'keyF'],
    (args, loc) => {
      const key = keyOf(args, 2, name, loc);
      return JArray.of(f(forced(indexable(name, args, 0, loc)), forced(indexable(name, args, 1, loc)), key, loc));
    },
    [undefined],
  );
}

function extreme(name: string, sign: number): Builtin {
  return builtin(
    name,
    ['arr', 'keyF', 'onEmpty'],
    (args, loc) => {
      const arr = arrayArg(name, args, 0, loc);
      const key = keyOf(args, 1, name, loc);
      if (arr.length === 0) {
        if (args[2] === undefined) throw runtimeError(`Expected at least one element in array. Got none`, loc);
        return args[2].force();
      }
      let best = arr.items[0]!.force();
      let bestKey = key(best);
      for (const t of arr.items.slice(1)) {
        const v = t.force();
        const k = key(v);
        if (compare(k, bestKey, loc) * sign > 0) {
          best = v;
          bestKey = k;
        }
      }
      return best;
    },
    [undefined, undefined],
  );
}

/** `std.slice` and `a[b:e:s]`: strings and arrays; null parts take their defaults. */
export function slice(target: Value, start: Value, end: Value, step: Value, loc: Loc): Value {
  const isString = typeof target === 'string';
  if (!isString && !(target instanceof JArray)) {
    throw runtimeError(`std.slice accepts a string or an array, but got: ${typeOf(target)}`, loc);
  }
  const items: readonly (Thunk | string)[] = isString ? codePoints(target) : target.items;
  const part = (v: Value, what: string, fallback: number): number => {
    if (v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw runtimeError(`got [${what}] but ${what} must be an integer or null`, loc);
    }
    return v;
  };
  const len = items.length;
  let from = part(start, 'index', 0);
  let to = part(end, 'end', len);
  const by = part(step, 'step', 1);
  if (by <= 0) throw runtimeError(`got ${by} but step must be greater than 0`, loc);
  if (from < 0) from = Math.max(0, len + from);
  if (to < 0) to = Math.max(0, len + to);
  to = Math.min(to, len);
  const out: (Thunk | string)[] = [];
  for (let i = from; i < to; i += by) out.push(items[i]!);
  return isString ? (out as string[]).join('') : new JArray(out as Thunk[]);
}

export const arrays: Builtin[] = [
  builtin('makeArray', ['sz', 'func'], (args, loc) => {
    const [sz, func] = strictArgs('makeArray', args, ['number', 'function'], loc) as [number, JFunction];
    if (!Number.isInteger(sz)) throw runtimeError(`makeArray requires an integer size, got ${sz}`, loc);
    if (sz < 0) throw runtimeError(`makeArray requires size >= 0, got ${sz}`, loc);
    if (func.params.length !== 1 && !func.native) {
      throw runtimeError(`makeArray function must take 1 param, got: ${func.params.length}`, loc);
    }
    bigArray(sz, loc);
    const out: Thunk[] = new Array(sz);
    for (let i = 0; i < sz; i++) out[i] = new Lazy(() => call(func, loc, i));
    return new JArray(out);
  }),
  builtin('range', ['from', 'to'], (args, loc) => {
    const [from, to] = strictArgs('range', args, ['number', 'number'], loc) as [number, number];
    const n = Math.max(0, Math.floor(to) - Math.floor(from) + 1);
    bigArray(n, loc);
    const out: Thunk[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = new Ready(Math.floor(from) + i);
    return new JArray(out);
  }),
  builtin('map', ['func', 'arr'], (args, loc) => {
    const func = asFunction('map', args[0]!.force(), 'func', loc);
    const items = elements('map', args[1]!.force(), loc);
    bigArray(items.length, loc);
    return new JArray(items.map((t) => new Lazy(() => callFunction(func, [t], loc))));
  }),
  builtin('mapWithIndex', ['func', 'arr'], (args, loc) => {
    const func = asFunction('mapWithIndex', args[0]!.force(), 'func', loc);
    const items = elements('mapWithIndex', args[1]!.force(), loc);
    bigArray(items.length, loc);
    return new JArray(items.map((t, i) => new Lazy(() => callFunction(func, [new Ready(i), t], loc))));
  }),
  builtin('filterMap', ['filter_func', 'map_func', 'arr'], (args, loc) => {
    const [filter, map, arr] = strictArgs('filterMap', args, ['function', 'function', 'array'], loc) as [
      JFunction,
      JFunction,
      JArray,
    ];
    const kept = arr.items.filter((t) => keep('filterMap', callFunction(filter, [t], loc), loc));
    return new JArray(kept.map((t) => new Lazy(() => callFunction(map, [t], loc))));
  }),
  builtin('flatMap', ['func', 'arr'], (args, loc) => {
    const func = asFunction('flatMap', args[0]!.force(), 'func', loc);
    const target = args[1]!.force();
    const items = elements('flatMap', target, loc);
    if (typeof target === 'string') {
      return items
        .map((t) => {
          const r = callFunction(func, [t], loc);
          if (typeof r !== 'string') throw runtimeError(`flatMap func must return string, got ${typeOf(r)}`, loc);
          return r;
        })
        .join('');
    }
    const out: Thunk[] = [];
    for (const t of items) {
      const r = callFunction(func, [t], loc);
      if (r === null) continue;
      if (!(r instanceof JArray)) throw runtimeError(`flatMap func must return an array, got ${typeOf(r)}`, loc);
      out.push(...r.items);
    }
    return new JArray(out);
  }),
  builtin('filter', ['func', 'arr'], (args, loc) => {
    const [func, arr] = strictArgs('filter', args, ['function', 'array'], loc) as [JFunction, JArray];
    work(arr.length, loc);
    return new JArray(arr.items.filter((t) => keep('filter', callFunction(func, [t], loc), loc)));
  }),
  builtin('foldl', ['func', 'arr', 'init'], (args, loc) => {
    const func = asFunction('foldl', args[0]!.force(), 'func', loc);
    const items = elements('foldl', args[1]!.force(), loc);
    let acc: Thunk = args[2]!;
    for (const t of items) acc = new Ready(callFunction(func, [acc, t], loc));
    return acc.force();
  }),
  builtin('foldr', ['func', 'arr', 'init'], (args, loc) => {
    const func = asFunction('foldr', args[0]!.force(), 'func', loc);
    const items = elements('foldr', args[1]!.force(), loc);
    let acc: Thunk = args[2]!;
    for (let i = items.length - 1; i >= 0; i--) acc = new Ready(callFunction(func, [items[i]!, acc], loc));
    return acc.force();
  }),
  builtin('slice', ['indexable', 'index', 'end', 'step'], (args, loc) =>
    slice(args[0]!.force(), args[1]!.force(), args[2]!.force(), args[3]!.force(), loc),
  ),
  builtin('join', ['sep', 'arr'], (args, loc) => {
    const sep = args[0]!.force();
    if (typeof sep !== 'string' && !(sep instanceof JArray)) {
      throw runtimeError(`join first parameter should be string or array, got ${typeOf(sep)}`, loc);
    }
    const arr = args[1]!.force();
    if (!(arr instanceof JArray)) throw runtimeError(`join second parameter should be array, got ${typeOf(arr)}`, loc);
    if (typeof sep === 'string') return joinStrings(sep, arr, loc);
    const out: Thunk[] = [];
    let first = true;
    arr.items.forEach((t, i) => {
      const v = t.force();
      if (v === null) return;
      if (!(v instanceof JArray)) throw runtimeError(`expected array but arr[${i}] was ${typeOf(v)}`, loc);
      if (!first) out.push(...sep.items);
      first = false;
      out.push(...v.items);
    });
    return new JArray(out);
  }),
  builtin('reverse', ['arr'], (args, loc) => new JArray([...arrayArg('reverse', args, 0, loc).items].reverse())),
  builtin(
    'sort',
    ['arr', 'keyF'],
    (args, loc) => JArray.of(sortValues(forced(arrayArg('sort', args, 0, loc)), keyOf(args, 1, 'sort', loc), loc)),
    [undefined],
  ),
  builtin(
    'uniq',
    ['arr', 'keyF'],
    (args, loc) => JArray.of(uniqValues(forced(arrayArg('uniq', args, 0, loc)), keyOf(args, 1, 'uniq', loc), loc)),
    [undefined],
  ),
  builtin(
    'set',
    ['arr', 'keyF'],
    (args, loc) => {
      const key = keyOf(args, 1, 'set', loc);
      return JArray.of(uniqValues(sortValues(forced(arrayArg('set', args, 0, loc)), key, loc), key, loc));
    },
    [undefined],
  ),
  setOp('setInter', (a, b, key, loc) => merge(a, b, key, loc, true, false, false)),
  setOp('setDiff', (a, b, key, loc) => merge(a, b, key, loc, false, true, false)),
  setOp('setUnion', (a, b, key, loc) => merge(a, b, key, loc, true, true, true)),
  builtin(
    'setMember',
    ['x', 'arr', 'keyF'],
    (args, loc) => {
      const key = keyOf(args, 2, 'setMember', loc);
      const k = key(args[0]!.force());
      const arr = forced(indexable('setMember', args, 1, loc));
      let lo = 0;
      let hi = arr.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const c = compare(key(arr[mid]!), k, loc);
        if (c === 0) return true;
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return false;
    },
    [undefined],
  ),
  builtin('flattenArrays', ['arrs'], (args, loc) => {
    const out: Thunk[] = [];
    arrayArg('flattenArrays', args, 0, loc).items.forEach((t, i) => {
      const v = t.force();
      if (v === null) return;
      if (!(v instanceof JArray)) throw runtimeError(`expected array but arr[${i}] was ${typeOf(v)}`, loc);
      out.push(...v.items);
    });
    return new JArray(out);
  }),
  builtin('flattenDeepArray', ['value'], (args, loc) => {
    const out: Value[] = [];
    const walk = (v: Value, depth: number) => {
      if (depth > 500) throw runtimeError('max stack frames exceeded.', loc);
      if (v instanceof JArray) for (const t of v.items) walk(t.force(), depth + 1);
      else out.push(v);
    };
    walk(args[0]!.force(), 0);
    return JArray.of(out);
  }),
  builtin('all', ['arr'], (args, loc) => forced(arrayArg('all', args, 0, loc)).every((v) => keep('all', v, loc))),
  builtin('any', ['arr'], (args, loc) => forced(arrayArg('any', args, 0, loc)).some((v) => keep('any', v, loc))),
  builtin('sum', ['arr'], (args, loc) => numbers('sum', args, loc).reduce((a, b) => a + b, 0)),
  builtin('avg', ['arr'], (args, loc) => {
    const xs = numbers('avg', args, loc);
    if (xs.length === 0) throw runtimeError('Cannot calculate average of an empty array.', loc);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  }),
  extreme('minArray', -1),
  extreme('maxArray', 1),
  builtin('contains', ['arr', 'elem'], (args, loc) => {
    const e = args[1]!.force();
    return forced(arrayArg('contains', args, 0, loc)).some((v) => equals(v, e, loc));
  }),
  builtin('member', ['arr', 'x'], (args, loc) => {
    const arr = args[0]!.force();
    const x = args[1]!.force();
    if (typeof arr === 'string') {
      if (typeof x !== 'string') throw runtimeError(`std.member: x must be a string, got ${typeOf(x)}`, loc);
      return arr.includes(x);
    }
    if (!(arr instanceof JArray)) throw runtimeError(`std.member first argument must be an array or a string`, loc);
    return forced(arr).some((v) => equals(v, x, loc));
  }),
  builtin('count', ['arr', 'x'], (args, loc) => {
    const x = args[1]!.force();
    return forced(arrayArg('count', args, 0, loc)).filter((v) => equals(v, x, loc)).length;
  }),
  builtin('find', ['value', 'arr'], (args, loc) => {
    const x = args[0]!.force();
    const out: number[] = [];
    forced(arrayArg('find', args, 1, loc)).forEach((v, i) => {
      if (equals(v, x, loc)) out.push(i);
    });
    return JArray.of(out);
  }),
  builtin('remove', ['arr', 'elem'], (args, loc) => {
    const arr = arrayArg('remove', args, 0, loc);
    const e = args[1]!.force();
    const i = arr.items.findIndex((t) => equals(t.force(), e, loc));
    return i < 0 ? arr : new JArray([...arr.items.slice(0, i), ...arr.items.slice(i + 1)]);
  }),
  builtin('removeAt', ['arr', 'at'], (args, loc) => {
    const [arr, at] = strictArgs('removeAt', args, ['array', 'number'], loc) as [JArray, number];
    return new JArray(arr.items.filter((_, i) => i !== at));
  }),
];

/**
 * One pass over two sets (sorted, without repeats): keep what both have, what only `a` has,
 * what only `b` has. Linear, so large sets cannot make it run for hours.
 */
function merge(
  a: Value[],
  b: Value[],
  key: (v: Value) => Value,
  loc: Loc,
  both: boolean,
  onlyA: boolean,
  onlyB: boolean,
): Value[] {
  work(a.length + b.length, loc);
  const ka = a.map(key);
  const kb = b.map(key);
  const out: Value[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const c = i >= a.length ? 1 : j >= b.length ? -1 : compare(ka[i]!, kb[j]!, loc);
    if (c === 0) {
      if (both) out.push(a[i]!);
      i++;
      j++;
    } else if (c < 0) {
      if (onlyA) out.push(a[i]!);
      i++;
    } else {
      if (onlyB) out.push(b[j]!);
      j++;
    }
  }
  return out;
}

function keep(name: string, v: Value, loc: Loc): boolean {
  if (typeof v !== 'boolean') throw runtimeError(`std.${name}: expected a boolean, got ${typeOf(v)}`, loc);
  return v;
}

function numbers(name: string, args: Args, loc: Loc): number[] {
  return forced(arrayArg(name, args, 0, loc)).map((v) => {
    if (typeof v !== 'number') throw runtimeError(`std.${name}: expected numbers, got ${typeOf(v)}`, loc);
    return v;
  });
}
