// Indexing and iterating Rego collections, shared by ref evaluation, `some ... in`, `every`.
import { ObjectValue, SetValue, type Value } from '../value.js';

/** `v[key]`: an array element, an object member, or a set member (itself); else undefined. */
export function index(v: Value | undefined, key: Value): Value | undefined {
  if (v instanceof ObjectValue) return v.get(key);
  if (Array.isArray(v)) {
    return typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < v.length ? v[key] : undefined;
  }
  if (v instanceof SetValue) return v.has(key) ? key : undefined;
  return undefined;
}

/**
 * Calls `f(key, value)` for each member in OPA's order (array index, sorted object keys,
 * sorted set members with key = value) until it returns true; returns whether it stopped.
 * Non-collections have no members.
 */
export function forEachMember(v: Value, f: (key: Value, value: Value) => boolean): boolean {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (f(i, v[i]!)) return true;
    return false;
  }
  if (v instanceof ObjectValue) {
    for (const [k, x] of v.entries()) if (f(k, x)) return true;
    return false;
  }
  if (v instanceof SetValue) {
    for (const x of v.values()) if (f(x, x)) return true;
    return false;
  }
  return false;
}

export function isCollection(v: Value): boolean {
  return Array.isArray(v) || v instanceof ObjectValue || v instanceof SetValue;
}

/** A copy of `doc` with `value` at `path` (objects created as needed), for `with input.a.b as v`. */
export function upsert(doc: Value | undefined, path: readonly Value[], value: Value): Value {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const base = doc instanceof ObjectValue ? doc : new ObjectValue();
  const out = ObjectValue.of(base.entries());
  out.put(head!, upsert(base.get(head!), rest, value));
  return out;
}
