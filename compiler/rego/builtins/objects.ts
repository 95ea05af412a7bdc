// Object builtins: object.get (with paths), object.keys, object.union(_n), object.remove,
// object.filter, object.subset.
import { compare, equals, ObjectValue, SetValue, typeName, type ArrayValue, type Value } from '../value.js';
import { arrayArg, objectArg } from './args.js';
import { declare, implement, operandError, operandTypeError, OperandError } from './table.js';
import { T } from '../types.js';

const anyObject = T.object();

/** Follows a path of keys through objects, arrays (integer indexes) and sets (members). */
export function findPath(root: Value, path: readonly Value[]): Value | undefined {
  let node: Value = root;
  for (const key of path) {
    if (node instanceof ObjectValue) {
      const next = node.get(key);
      if (next === undefined) return undefined;
      node = next;
    } else if (Array.isArray(node)) {
      if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key >= node.length) return undefined;
      node = node[key]!;
    } else if (node instanceof SetValue) {
      if (!node.has(key)) return undefined;
      node = key;
    } else return undefined;
  }
  return node;
}

const get = declare({
  name: 'object.get',
  args: [
    { name: 'object', type: anyObject, description: 'object to get `key` from' },
    { name: 'key', type: T.any, description: 'key to lookup in `object`' },
    { name: 'default', type: T.any, description: 'default to use when lookup fails' },
  ],
  result: { name: 'value', type: T.any, description: '`object[key]` if present, otherwise `default`' },
  description:
    "Returns value of an object's key if present, otherwise a default. If the supplied `key` is an `array`, " +
    'then `object.get` will search through a nested object or array using each key in turn. For example: ' +
    '`object.get({"a": [{ "b": true }]}, ["a", 0, "b"], false)` results in `true`.',
  categories: ['object'],
});
implement(get, ([o, key, dflt]) => {
  const obj = objectArg(o, 1);
  // Not `??`: a key present with a null value is found (null is a value).
  const found = Array.isArray(key) ? findPath(obj, key) : obj.get(key!);
  return found === undefined ? dflt! : found;
});

const keys = declare({
  name: 'object.keys',
  args: [{ name: 'object', type: anyObject, description: 'object to get keys from' }],
  result: { name: 'value', type: T.set(), description: "set of `object`'s keys" },
  description:
    'Returns a set of an object\'s keys. For example: `object.keys({"a": 1, "b": true, "c": "d")` results in ' +
    '`{"a", "b", "c"}`.',
  categories: ['object'],
});
implement(keys, ([o]) => SetValue.of(objectArg(o, 1).keys()));

/** Right-hand values win; where both sides hold objects, they are merged recursively. */
export function mergeObjects(a: ObjectValue, b: ObjectValue): ObjectValue {
  const out = ObjectValue.of(a.entries());
  for (const [k, v] of b.entries()) {
    const old = a.get(k);
    out.put(k, old instanceof ObjectValue && v instanceof ObjectValue ? mergeObjects(old, v) : v);
  }
  return out;
}

const union = declare({
  name: 'object.union',
  args: [
    { name: 'a', type: anyObject, description: 'left-hand object' },
    { name: 'b', type: anyObject, description: 'right-hand object' },
  ],
  result: {
    name: 'output',
    type: T.any,
    description:
      'a new object which is the result of an asymmetric recursive union of two objects where conflicts are ' +
      'resolved by choosing the key from the right-hand object `b`',
  },
  description:
    'Creates a new object of the asymmetric union of two objects. For example: `object.union({"a": 1, "b": 2, ' +
    '"c": {"d": 3}}, {"a": 7, "c": {"d": 4, "e": 5}})` will result in `{"a": 7, "b": 2, "c": {"d": 4, "e": ' +
    '5}}`.',
  categories: ['object'],
  builds: true,
});
implement(union, ([a, b]) => mergeObjects(objectArg(a, 1), objectArg(b, 2)));

const unionN = declare({
  name: 'object.union_n',
  args: [{ name: 'objects', type: T.array(anyObject), description: 'list of objects to merge' }],
  result: {
    name: 'output',
    type: T.any,
    description:
      'asymmetric recursive union of all objects in `objects`, merged from left to right, where conflicts are ' +
      'resolved by choosing the key from the right-hand object',
  },
  description:
    'Creates a new object that is the asymmetric union of all objects merged from left to right. For example: ' +
    '`object.union_n([{"a": 1}, {"b": 2}, {"a": 3}])` will result in `{"b": 2, "a": 3}`.',
  categories: ['object'],
  builds: true,
});
implement(unionN, ([xs]) => {
  const arr = arrayArg(xs, 1);
  let out = new ObjectValue();
  for (const x of arr) {
    if (!(x instanceof ObjectValue))
      throw operandError(1, `must be array of objects but got array containing ${typeName(x)}`);
    out = mergeObjects(out, x);
  }
  return out;
});

/** The keys given as an array, a set or an object (its keys). */
function keySet(v: Value | undefined): SetValue {
  if (Array.isArray(v)) return SetValue.of(v);
  if (v instanceof SetValue) return v;
  if (v instanceof ObjectValue) return SetValue.of(v.keys());
  throw operandTypeError(2, v ?? null, 'object', 'set', 'array');
}

const keysArg = { name: 'keys', type: T.anyOf(T.array(), T.set(), anyObject) };

const remove = declare({
  name: 'object.remove',
  args: [
    { name: 'object', type: anyObject, description: 'object to remove keys from' },
    { ...keysArg, description: 'keys to remove from x' },
  ],
  result: { name: 'output', type: T.any, description: 'result of removing the specified `keys` from `object`' },
  description: 'Removes specified keys from an object.',
  categories: ['object'],
});
implement(remove, ([o, k]) => {
  const obj = objectArg(o, 1);
  const drop = keySet(k);
  return ObjectValue.of(obj.entries().filter(([key]) => !drop.has(key)));
});

const filter = declare({
  name: 'object.filter',
  args: [
    { name: 'object', type: anyObject, description: 'object to filter keys' },
    { ...keysArg, description: 'keys to keep in `object`' },
  ],
  result: {
    name: 'filtered',
    type: T.any,
    description: 'remaining data from `object` with only keys specified in `keys`',
  },
  description:
    'Filters the object by keeping only specified keys. For example: `object.filter({"a": {"b": "x", "c": ' +
    '"y"}, "d": "z"}, ["a"])` will result in `{"a": {"b": "x", "c": "y"}}`).',
  categories: ['object'],
});
implement(filter, ([o, k]) => {
  const obj = objectArg(o, 1);
  const keep = keySet(k);
  return ObjectValue.of(obj.entries().filter(([key]) => keep.has(key)));
});

// --- object.subset ----------------------------------------------------------------------

function objectSubset(sup: ObjectValue, sub: ObjectValue): boolean {
  for (const [k, subValue] of sub.entries()) {
    const supValue = sup.get(k);
    if (supValue === undefined) return false;
    if (equals(subValue, supValue)) continue;
    if (supValue instanceof ObjectValue && subValue instanceof ObjectValue) {
      if (!objectSubset(supValue, subValue)) return false;
    } else if (supValue instanceof SetValue && subValue instanceof SetValue) {
      if (!setSubset(supValue, subValue)) return false;
    } else if (Array.isArray(supValue) && Array.isArray(subValue)) {
      if (!arraySubset(supValue, subValue)) return false;
    } else return false;
  }
  return true;
}

function setSubset(sup: SetValue, sub: SetValue): boolean {
  return sub.values().every((v) => sup.has(v));
}

/** `sub` appears contiguously, in order, in `sup`. */
function arraySubset(sup: ArrayValue, sub: ArrayValue): boolean {
  if (sub.length > sup.length) return false;
  outer: for (let start = 0; start + sub.length <= sup.length; start++) {
    for (let i = 0; i < sub.length; i++) if (compare(sup[start + i]!, sub[i]!) !== 0) continue outer;
    return true;
  }
  return false;
}

/** Every member of `sub` occurs in `sup`. (As in OPA, an empty `sup` contains nothing, not
 * even the empty set.) */
function arraySetSubset(sup: ArrayValue, sub: SetValue): boolean {
  let unmatched = sub.size;
  for (const x of sup) {
    if (sub.has(x)) unmatched--;
    if (unmatched <= 0) return true;
  }
  return false;
}

const subsetArg = T.anyOf(anyObject, T.set(), T.array());

const subset = declare({
  name: 'object.subset',
  args: [
    { name: 'super', type: subsetArg, description: 'object to test if sub is a subset of' },
    { name: 'sub', type: subsetArg, description: 'object to test if super is a superset of' },
  ],
  result: { name: 'result', type: T.any, description: '`true` if `sub` is a subset of `super`' },
  description:
    'Determines if an object `sub` is a subset of another object `super`.Object `sub` is a subset of object ' +
    '`super` if and only if every key in `sub` is also in `super`, **and** for all keys which `sub` and ' +
    '`super` share, they have the same value. This function works with objects, sets, arrays and a set of ' +
    'array and set.If both arguments are objects, then the operation is recursive, e.g. `{"c": {"x": {10, 15, ' +
    '20}}` is a subset of `{"a": "b", "c": {"x": {10, 15, 20, 25}, "y": "z"}`. If both arguments are sets, ' +
    'then this function checks if every element of `sub` is a member of `super`, but does not attempt to ' +
    'recurse. If both arguments are arrays, then this function checks if `sub` appears contiguously in order ' +
    'within `super`, and also does not attempt to recurse. If `super` is array and `sub` is set, then this ' +
    'function checks if `super` contains every element of `sub` with no consideration of ordering, and also ' +
    'does not attempt to recurse.',
  categories: ['object'],
});
implement(subset, ([sup, sub]) => {
  if (sup instanceof ObjectValue && sub instanceof ObjectValue) return objectSubset(sup, sub);
  if (sup instanceof SetValue && sub instanceof SetValue) return setSubset(sup, sub);
  if (Array.isArray(sup) && Array.isArray(sub)) return equals(sup, sub) || arraySubset(sup, sub);
  if (Array.isArray(sup) && sub instanceof SetValue) return arraySetSubset(sup, sub);
  throw new OperandError('both arguments object.subset must be of the same type or array and set');
});
