// json.filter and json.remove: keep or drop the parts of a document named by JSON-pointer-like
// paths ("a/b/0" or ["a", "b", 0]). The paths are first merged into a tree of objects whose
// leaves are null, then the document is walked alongside that tree.
import { keyOf, ObjectValue, SetValue, typeName, type Value } from '../value.js';
import { objectArg } from './args.js';
import { BuiltinError, declare, implement, operandError, operandTypeError } from './table.js';
import { T } from '../types.js';

/** A path operand element: `/a/b` (with ~1 and ~0 escapes) or an array of segments. */
export function parsePath(p: Value): Value[] {
  if (typeof p === 'string') {
    if (p === '') return [];
    return p
      .replace(/^\/+/, '')
      .split('/')
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  }
  if (Array.isArray(p)) return [...p];
  throw operandError(
    2,
    `must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`,
  );
}

function pathsArg(v: Value | undefined): Value[][] {
  if (Array.isArray(v)) return v.map(parsePath);
  if (v instanceof SetValue) return v.values().map(parsePath);
  throw operandTypeError(2, v ?? null, 'set', 'array');
}

/** Merges paths into a tree of mutable maps; a leaf (null) swallows longer paths below it. */
interface Node {
  children: Map<string, { key: Value; node: Node | null }>;
}

function pathTree(paths: Value[][]): ObjectValue {
  const root: Node = { children: new Map() };
  for (const path of paths) {
    if (path.length === 0) continue;
    let node: Node | null = root;
    for (let i = 0; i < path.length - 1 && node !== null; i++) {
      const k = path[i]!;
      const id = keyOf(k);
      const child = node.children.get(id);
      if (child === undefined) {
        const next: Node = { children: new Map() };
        node.children.set(id, { key: k, node: next });
        node = next;
      } else node = child.node;
    }
    if (node !== null) {
      const last = path[path.length - 1]!;
      node.children.set(keyOf(last), { key: last, node: null });
    }
  }
  const toObject = (n: Node): ObjectValue =>
    ObjectValue.of(
      [...n.children.values()].map(({ key, node }) => [key, node === null ? null : toObject(node)] as const),
    );
  return toObject(root);
}

/** Keeps the parts of `v` named by `filter` (an object tree; null means "all of it"). Array
 * elements are selected by their index written as a string. */
function filterValue(v: Value, filter: Value): Value {
  if (filter === null) return v;
  if (!(filter instanceof ObjectValue)) throw new BuiltinError(`invalid filter value, expected an object`);
  if (v instanceof ObjectValue) {
    const out = new ObjectValue();
    for (const [k, val] of v.entries()) {
      const sub = filter.get(k);
      if (sub !== undefined) out.put(k, filterValue(val, sub));
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const sub = filter.get(String(i));
      if (sub !== undefined) out.push(filterValue(x, sub));
    });
    return out;
  }
  if (v instanceof SetValue) {
    const out = new SetValue();
    for (const x of v.values()) {
      const sub = filter.get(x);
      if (sub !== undefined) out.add(filterValue(x, sub));
    }
    return out;
  }
  return v;
}

/** Drops the parts of `v` that are leaves (null) of `tree`; removed array elements close up. */
function removeValue(v: Value, tree: Value | undefined): Value | undefined {
  if (tree === undefined) return v;
  if (tree === null) return undefined;
  if (!(tree instanceof ObjectValue)) return v;
  if (v instanceof ObjectValue) {
    const out = new ObjectValue();
    for (const [k, val] of v.entries()) {
      const kept = removeValue(val, tree.get(k));
      if (kept !== undefined) out.put(k, kept);
    }
    return out;
  }
  if (v instanceof SetValue) {
    const out = new SetValue();
    for (const x of v.values()) {
      const kept = removeValue(x, tree.get(x));
      if (kept !== undefined) out.add(kept);
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const kept = removeValue(x, tree.get(String(i)));
      if (kept !== undefined) out.push(kept);
    });
    return out;
  }
  return v;
}

const pathsType = T.anyOf(T.array(T.anyOf(T.string, T.array())), T.set(T.anyOf(T.string, T.array())));

const jsonFilter = declare({
  name: 'json.filter',
  args: [
    { name: 'object', type: T.object(), description: 'object to filter' },
    { name: 'paths', type: pathsType, description: 'JSON string paths' },
  ],
  result: {
    name: 'filtered',
    type: T.any,
    description: 'remaining data from `object` with only keys specified in `paths`',
  },
  description:
    'Filters the object. For example: `json.filter({"a": {"b": "x", "c": "y"}}, ["a/b"])` will result in ' +
    '`{"a": {"b": "x"}}`). Paths are not filtered in-order and are deduplicated before being evaluated.',
  categories: ['object'],
});
implement(jsonFilter, ([o, p]) => {
  const obj = objectArg(o, 1);
  return filterValue(obj, pathTree(pathsArg(p)));
});

const jsonRemove = declare({
  name: 'json.remove',
  args: [
    { name: 'object', type: T.object(), description: 'object to remove paths from' },
    { name: 'paths', type: pathsType, description: 'JSON string paths' },
  ],
  result: { name: 'output', type: T.any, description: 'result of removing all keys specified in `paths`' },
  description:
    'Removes paths from an object. For example: `json.remove({"a": {"b": "x", "c": "y"}}, ["a/b"])` will ' +
    'result in `{"a": {"c": "y"}}`. Paths are not removed in-order and are deduplicated before being evaluated.',
  categories: ['object'],
});
implement(jsonRemove, ([o, p]) => {
  const obj = objectArg(o, 1);
  return removeValue(obj, pathTree(pathsArg(p)));
});
