// json.patch: RFC 6902 patches (add, remove, replace, move, copy, test) applied to any value,
// including sets, where a member is its own path segment. The patches apply atomically: if
// any of them fails, the call is undefined.
import { equals, ObjectValue, SetValue, type Value } from '../value.js';
import { arrayArg } from './args.js';
import { parsePath } from './json-paths.js';
import { BuiltinError, declare, implement } from './table.js';
import { T } from '../types.js';

class PatchError extends Error {}

/** An array index segment: a canonical non-negative integer (no sign, no leading zeros). */
function arrayIndex(seg: Value, length: number, forInsert: boolean): number {
  let i: number | undefined;
  if (typeof seg === 'number' && Number.isInteger(seg)) i = seg;
  else if (typeof seg === 'string') {
    if (forInsert && seg === '-') return length;
    if (/^(0|[1-9]\d*)$/.test(seg)) i = Number(seg);
  }
  if (i === undefined || i < 0 || i > (forInsert ? length : length - 1))
    throw new PatchError(`invalid array index ${String(seg)}`);
  return i;
}

function child(node: Value, seg: Value): Value {
  if (node instanceof ObjectValue) {
    const v = node.get(seg);
    if (v === undefined) throw new PatchError('path does not exist');
    return v;
  }
  if (Array.isArray(node)) return node[arrayIndex(seg, node.length, false)]!;
  if (node instanceof SetValue) {
    if (!node.has(seg)) throw new PatchError('path does not exist');
    return seg;
  }
  throw new PatchError('path does not exist');
}

function render(doc: Value, path: readonly Value[]): Value {
  return path.reduce(child, doc);
}

/** Rebuilds `node` with `update` applied at `path` (which is non-empty). */
function edit(node: Value, path: readonly Value[], update: (parent: Value, last: Value) => Value): Value {
  if (path.length === 1) return update(node, path[0]!);
  const [seg, ...rest] = path as [Value, ...Value[]];
  const next = edit(child(node, seg), rest, update);
  if (node instanceof ObjectValue) return ObjectValue.of(node.entries()).put(seg, next);
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[arrayIndex(seg, node.length, false)] = next;
    return copy;
  }
  // A set member changed: replace it.
  const set = node as SetValue;
  return SetValue.of([...set.values().filter((v) => !equals(v, seg)), next]);
}

function insert(doc: Value, path: readonly Value[], value: Value): Value {
  if (path.length === 0) return value;
  return edit(doc, path, (parent, last) => {
    if (parent instanceof ObjectValue) return ObjectValue.of(parent.entries()).put(last, value);
    if (Array.isArray(parent)) {
      const copy = [...parent];
      copy.splice(arrayIndex(last, parent.length, true), 0, value);
      return copy;
    }
    if (parent instanceof SetValue) {
      if (!equals(last, value)) throw new PatchError('set members are their own path');
      return SetValue.of([...parent.values(), value]);
    }
    throw new PatchError('cannot insert into a scalar');
  });
}

function remove(doc: Value, path: readonly Value[]): Value {
  if (path.length === 0) throw new PatchError('cannot remove the whole document');
  return edit(doc, path, (parent, last) => {
    if (parent instanceof ObjectValue) {
      if (!parent.has(last)) throw new PatchError('path does not exist');
      return ObjectValue.of(parent.entries().filter(([k]) => !equals(k, last)));
    }
    if (Array.isArray(parent)) {
      const i = arrayIndex(last, parent.length, false);
      return [...parent.slice(0, i), ...parent.slice(i + 1)];
    }
    if (parent instanceof SetValue) {
      if (!parent.has(last)) throw new PatchError('path does not exist');
      return SetValue.of(parent.values().filter((v) => !equals(v, last)));
    }
    throw new PatchError('cannot remove from a scalar');
  });
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function applyPatch(doc: Value, patch: Value): Value {
  if (!(patch instanceof ObjectValue)) throw new PatchError('must be an array of JSON-Patch objects');
  const attr = (name: string): Value => {
    const v = patch.get(name);
    if (v === undefined) throw new PatchError(`missing '${name}' attribute`);
    return v;
  };
  const op = attr('op');
  if (typeof op !== 'string' || !OPS.has(op)) throw new PatchError(`unrecognized op`);
  const path = parsePath(attr('path'));
  switch (op) {
    case 'add':
      return insert(doc, path, attr('value'));
    case 'remove':
      return remove(doc, path);
    case 'replace': {
      const value = attr('value');
      // Replacing the root replaces the whole document.
      return path.length === 0 ? value : insert(remove(doc, path), path, value);
    }
    case 'move': {
      const from = parsePath(attr('from'));
      const chunk = render(doc, from);
      return insert(remove(doc, from), path, chunk);
    }
    case 'copy': {
      const from = parsePath(attr('from'));
      return insert(doc, path, render(doc, from));
    }
    default: {
      const value = attr('value');
      if (!equals(render(doc, path), value)) throw new PatchError('test failed');
      return doc;
    }
  }
}

const jsonPatch = declare({
  name: 'json.patch',
  args: [
    { name: 'object', type: T.any, description: 'the object to patch' },
    { name: 'patches', type: T.array(T.object()), description: 'the JSON patches to apply' },
  ],
  result: {
    name: 'output',
    type: T.any,
    description: 'result obtained after consecutively applying all patch operations in `patches`',
  },
  description:
    'Patches an object according to RFC6902. For example: `json.patch({"a": {"foo": 1}}, [{"op": "add", ' +
    '"path": "/a/bar", "value": 2}])` results in `{"a": {"foo": 1, "bar": 2}`. The patches are applied ' +
    'atomically: if any of them fails, the result will be undefined. Additionally works on sets, where a value ' +
    'contained in the set is considered to be its path.',
  categories: ['object'],
  builds: true,
});

implement(jsonPatch, ([doc, patches], ctx) => {
  const ops = arrayArg(patches, 2);
  try {
    let d: Value = doc!;
    for (const p of ops) {
      ctx.budget.checkDeadline();
      d = applyPatch(d, p);
    }
    return d;
  } catch (e) {
    // Any failing patch (or malformed path) makes the result undefined, as in OPA.
    if (e instanceof PatchError || e instanceof BuiltinError) return undefined;
    throw e;
  }
});
