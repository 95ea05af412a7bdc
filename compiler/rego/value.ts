// The Rego value model, shared by the evaluator and every builtin.
//
//   null, boolean, string  → the JS primitive
//   number                 → RegoNumber: a JS number, or a BigNum when a double cannot carry
//                            the exact decimal (see number.ts)
//   array                  → a readonly JS array of values
//   object                 → ObjectValue (any value may be a key: {1: "a", [1]: "b"})
//   set                    → SetValue
//
// Values are immutable once shared. ObjectValue and SetValue are built with `put`/`add` right
// after construction (`ObjectValue.of`, `SetValue.of`, or `new` then put/add) and must not be
// changed after they are handed to anyone else.
//
// Objects and sets iterate in OPA's sorted order (keys()/values()/entries() are sorted), so
// comprehensions and printed output are deterministic and match OPA.
import {
  BigNum,
  compareNumbers,
  fromBigInt,
  fromJsNumber,
  isNumber,
  numberKey,
  numbersEqual,
  type RegoNumber,
} from './number.js';

export { BigNum, type RegoNumber } from './number.js';

export type Value = null | boolean | RegoNumber | string | ArrayValue | ObjectValue | SetValue;
export type ArrayValue = readonly Value[];

export type TypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'set';

/** OPA's `type_name`, also used in error messages ("operand 1 must be string but got number"). */
export function typeName(v: Value): TypeName {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
  }
  if (Array.isArray(v)) return 'array';
  if (v instanceof ObjectValue) return 'object';
  if (v instanceof SetValue) return 'set';
  return 'number';
}

export const isArray = (v: Value): v is ArrayValue => Array.isArray(v);
export const isObject = (v: Value): v is ObjectValue => v instanceof ObjectValue;
export const isSet = (v: Value): v is SetValue => v instanceof SetValue;
export const isString = (v: Value): v is string => typeof v === 'string';
export const isBoolean = (v: Value): v is boolean => typeof v === 'boolean';
export { isNumber };

// ---------------------------------------------------------------------------------------
// Keys: a string per value, equal exactly for equal values, used to hash set members and
// object keys. A string is its own key (the common case costs nothing) unless it starts with
// the marker \u0001, which every other kind's key starts with.

const MARK = '\u0001';

export function keyOf(v: Value): string {
  if (typeof v === 'string') return v.length === 0 || v.charCodeAt(0) !== 1 ? v : `${MARK}$${v}`;
  return slowKey(v);
}

function slowKey(v: Value): string {
  if (v === null) return `${MARK}n`;
  if (v === true) return `${MARK}t`;
  if (v === false) return `${MARK}f`;
  if (typeof v === 'number' || v instanceof BigNum) return `${MARK}#${numberKey(v)}`;
  if (Array.isArray(v)) return `${MARK}a${JSON.stringify(v.map(keyOf))}`;
  if (v instanceof ObjectValue || v instanceof SetValue) return v.hashKey();
  throw new Error(`not a Rego value: ${String(v)}`);
}

// ---------------------------------------------------------------------------------------
// Order: null < boolean < number < string < array < object < set, as OPA sorts values.

const RANK: Record<TypeName, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6 };

/** Go compares strings by UTF-8 bytes; JS by UTF-16 units. They differ only for astral
 * characters against U+E000..U+FFFF, which this corrects. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x < 0xe000 ? x + 0x2000 : x - 0x800;
      y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return RANK[ta] < RANK[tb] ? -1 : 1;
  switch (ta) {
    case 'null':
      return 0;
    case 'boolean':
      return a === false ? -1 : 1;
    case 'number':
      return compareNumbers(a as RegoNumber, b as RegoNumber);
    case 'array':
      return compareSequences(a as ArrayValue, b as ArrayValue);
    case 'set':
      return compareSequences((a as SetValue).values(), (b as SetValue).values());
    case 'object':
      return compareObjects(a as ObjectValue, b as ObjectValue);
    default:
      return 0;
  }
}

function compareSequences(a: readonly Value[], b: readonly Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Key by key in sorted order, each key before its value; then by size. */
function compareObjects(a: ObjectValue, b: ObjectValue): number {
  const ea = a.entries();
  const eb = b.entries();
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) {
    const ck = compare(ea[i]![0], eb[i]![0]);
    if (ck !== 0) return ck;
    const cv = compare(ea[i]![1], eb[i]![1]);
    if (cv !== 0) return cv;
  }
  return ea.length < eb.length ? -1 : ea.length > eb.length ? 1 : 0;
}

export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof BigNum) return b instanceof BigNum && numbersEqual(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equals(a[i]!, (b as ArrayValue)[i]!)) return false;
    return true;
  }
  if (a instanceof ObjectValue) {
    if (!(b instanceof ObjectValue) || a.size !== b.size) return false;
    for (const [k, v] of a.entries()) {
      const w = b.get(k);
      if (w === undefined || !equals(v, w)) return false;
    }
    return true;
  }
  if (a instanceof SetValue) {
    if (!(b instanceof SetValue) || a.size !== b.size) return false;
    for (const v of a.values()) if (!b.has(v)) return false;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------

/** An unordered collection of distinct values. */
export class SetValue {
  private readonly items = new Map<string, Value>();
  private sorted: Value[] | undefined;
  private hash: string | undefined;

  static of(items: Iterable<Value>): SetValue {
    const s = new SetValue();
    for (const v of items) s.add(v);
    return s;
  }

  /** Only while building, before the set is shared. */
  add(v: Value): this {
    const k = keyOf(v);
    if (!this.items.has(k)) {
      this.items.set(k, v);
      this.sorted = undefined;
      this.hash = undefined;
    }
    return this;
  }

  has(v: Value): boolean {
    return this.items.has(keyOf(v));
  }

  get size(): number {
    return this.items.size;
  }

  /** Members in sorted order. */
  values(): readonly Value[] {
    if (this.sorted === undefined) this.sorted = [...this.items.values()].sort(compare);
    return this.sorted;
  }

  [Symbol.iterator](): Iterator<Value> {
    return this.values()[Symbol.iterator]();
  }

  hashKey(): string {
    if (this.hash === undefined) this.hash = `${MARK}s${JSON.stringify(this.values().map(keyOf))}`;
    return this.hash;
  }
}

type Entry = readonly [Value, Value];

/**
 * A map from values to values. Besides the ordinary form it has a lazy form over a plain
 * JSON object (`ObjectValue.fromJSON`): members are converted when first read, so an input
 * document costs only what a policy looks at.
 */
export class ObjectValue {
  private map: Map<string, Entry> | undefined;
  private raw: Record<string, unknown> | undefined;
  /** Converted composite members of `raw`, so a member read twice is converted once. */
  private cache: Map<string, Value> | undefined;
  private lastKey: string | undefined;
  private lastValue: Value | undefined;
  /** Converted values at paths below `raw` read with `getPath`: the first in fields, then a Map. */
  private pathKey: string | undefined;
  private pathValue: Value | undefined;
  private paths: Map<string, Value> | undefined;
  private sorted: Entry[] | undefined;
  private hash: string | undefined;

  static of(entries: Iterable<readonly [Value, Value]>): ObjectValue {
    const o = new ObjectValue();
    for (const [k, v] of entries) o.put(k, v);
    return o;
  }

  /** An object with string keys, from a record of values. */
  static fromRecord(record: Readonly<Record<string, Value>>): ObjectValue {
    const o = new ObjectValue();
    for (const k of Object.keys(record)) o.put(k, record[k]!);
    return o;
  }

  /** A lazy view over a plain JSON object; the object must not change afterwards. */
  static fromJSON(raw: Record<string, unknown>): ObjectValue {
    const o = new ObjectValue();
    o.raw = raw;
    return o;
  }

  /** Only while building, before the object is shared. Replaces an existing key. */
  put(k: Value, v: Value): this {
    this.materialize();
    (this.map ??= new Map()).set(keyOf(k), [k, v]);
    this.sorted = undefined;
    this.hash = undefined;
    return this;
  }

  get(k: Value): Value | undefined {
    const raw = this.raw;
    if (raw === undefined) return this.map?.get(keyOf(k))?.[1];
    // Most objects have one composite member read (spec, metadata...): a one-entry cache in
    // fields, checked before the (megamorphic) read of the raw member, then a Map.
    if (this.lastKey === k) return this.lastValue;
    if (typeof k !== 'string') return undefined;
    const x = raw[k];
    switch (typeof x) {
      case 'string':
      case 'boolean':
        return x;
      case 'number':
        // -0 and 0 are the same Rego number; NaN and infinities are refused by fromJS.
        return x === 0 ? 0 : Number.isFinite(x) ? x : fromJS(x);
      case 'object': {
        if (x === null) return null;
        // Inherited members (`__proto__`) are not members of the document.
        if (k === '__proto__' && !Object.hasOwn(raw, k)) return undefined;
        const hit = this.cache?.get(k);
        if (hit !== undefined) return hit;
        const v = fromJS(x);
        if (this.lastKey === undefined) {
          this.lastKey = k;
          this.lastValue = v;
        } else (this.cache ??= new Map()).set(k, v);
        return v;
      }
      case 'undefined':
        return undefined;
      default:
        // Functions here are inherited (`toString`); JSON has none of its own.
        return Object.hasOwn(raw, k) ? fromJS(x) : undefined;
    }
  }

  /**
   * `this[p0][p1]...` for string keys. Over a lazy object, the raw JSON is read through
   * without wrapping the objects on the way (only the result is converted, and kept by
   * `pathKey`): refs like `obj.spec.template.spec.containers` cost one conversion, not four.
   */
  getPath(path: readonly string[], pathKey: string): Value | undefined {
    let x: unknown = this.raw;
    if (x === undefined) return walkPath(this, path, 0);
    if (this.pathKey === pathKey) return this.pathValue;
    const hit = this.paths?.get(pathKey);
    if (hit !== undefined) return hit;
    for (let i = 0; i < path.length; i++) {
      // Anything but a plain JSON object on the way: the general walk from there.
      if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x) !== Object.prototype) {
        const v = i === 0 ? undefined : fromJS(x);
        return v === undefined ? undefined : walkPath(v, path, i);
      }
      const k = path[i]!;
      const next: unknown = (x as Record<string, unknown>)[k];
      // Inherited members (`__proto__`, `toString`) are not members of the document.
      if (next === undefined || ((typeof next === 'function' || k === '__proto__') && !Object.hasOwn(x, k)))
        return undefined;
      x = next;
    }
    const v = fromJS(x);
    if (typeof x === 'object' && x !== null) {
      if (this.pathKey === undefined) {
        this.pathKey = pathKey;
        this.pathValue = v;
      } else (this.paths ??= new Map()).set(pathKey, v);
    }
    return v;
  }

  has(k: Value): boolean {
    if (this.raw !== undefined) return typeof k === 'string' && Object.hasOwn(this.raw, k) && this.raw[k] !== undefined;
    return this.map?.has(keyOf(k)) ?? false;
  }

  get size(): number {
    const raw = this.raw;
    if (raw === undefined) return this.map?.size ?? 0;
    let n = 0;
    for (const k of Object.keys(raw)) if (raw[k] !== undefined) n++;
    return n;
  }

  /** Entries in key order. */
  entries(): readonly Entry[] {
    this.materialize();
    if (this.sorted === undefined)
      this.sorted = this.map ? [...this.map.values()].sort((a, b) => compare(a[0], b[0])) : [];
    return this.sorted;
  }

  keys(): Value[] {
    return this.entries().map((e) => e[0]);
  }

  values(): Value[] {
    return this.entries().map((e) => e[1]);
  }

  hashKey(): string {
    if (this.hash === undefined)
      this.hash = `${MARK}o${JSON.stringify(this.entries().map(([k, v]) => [keyOf(k), keyOf(v)]))}`;
    return this.hash;
  }

  private materialize(): void {
    const raw = this.raw;
    if (raw === undefined) return;
    const map = new Map<string, Entry>();
    for (const k of Object.keys(raw)) {
      // As in JSON, a member whose value is undefined is absent.
      if (raw[k] === undefined) continue;
      map.set(keyOf(k), [k, (k === this.lastKey ? this.lastValue : this.cache?.get(k)) ?? fromJS(raw[k])]);
    }
    this.map = map;
    this.raw = undefined;
    this.cache = undefined;
    this.lastKey = undefined;
    this.lastValue = undefined;
    this.pathKey = undefined;
    this.pathValue = undefined;
    this.paths = undefined;
  }
}

/** `v[path[i]][path[i + 1]]...`, member by member. */
function walkPath(v: Value | undefined, path: readonly string[], i: number): Value | undefined {
  for (; i < path.length && v !== undefined; i++) {
    const k = path[i]!;
    v = v instanceof ObjectValue ? v.get(k) : v instanceof SetValue && v.has(k) ? k : undefined;
  }
  return v;
}

export const EMPTY_OBJECT: ObjectValue = new ObjectValue();
export const EMPTY_SET: SetValue = new SetValue();

export { numbersEqual };

// ---------------------------------------------------------------------------------------
// Values in from JS data (outputs to JS, JSON text and Rego syntax are in convert.ts).

/**
 * A JS value (as JSON.parse returns it) as a Rego value. Objects are wrapped lazily; arrays
 * are converted one level at a time. Already-converted values pass through, so API callers
 * may mix both. Throws on values Rego has no counterpart for (functions, NaN, undefined).
 */
export function fromJS(x: unknown): Value {
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return x;
    case 'number':
      if (!Number.isFinite(x)) throw new TypeError(`${x} is not a Rego number`);
      return fromJsNumber(x);
    case 'bigint':
      return fromBigInt(x);
    case 'object':
      if (x === null) return null;
      // Plain objects first: what JSON.parse and most callers give.
      if (Object.getPrototypeOf(x) === Object.prototype && typeof (x as { toJSON?: unknown }).toJSON !== 'function')
        return ObjectValue.fromJSON(x as Record<string, unknown>);
      if (Array.isArray(x)) return fromJSArray(x);
      if (x instanceof ObjectValue || x instanceof SetValue || x instanceof BigNum) return x;
      if (x instanceof Set) return SetValue.of([...x].map(fromJS));
      if (x instanceof Map) return ObjectValue.of([...x].map(([k, v]) => [fromJS(k), fromJS(v)] as const));
      if (typeof (x as { toJSON?: unknown }).toJSON === 'function')
        return fromJS((x as { toJSON(): unknown }).toJSON());
      return ObjectValue.fromJSON(x as Record<string, unknown>);
    default:
      throw new TypeError(`a ${typeof x} is not a Rego value`);
  }
}

/** Arrays are converted eagerly; nested arrays with an explicit stack, so depth costs no stack. */
function fromJSArray(root: readonly unknown[]): Value[] {
  const out = new Array<Value>(root.length);
  const stack: [readonly unknown[], Value[]][] = [[root, out]];
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    for (let i = 0; i < src.length; i++) {
      const e = src[i];
      if (Array.isArray(e)) {
        const a = new Array<Value>(e.length);
        dst[i] = a;
        stack.push([e, a]);
      } else {
        // As in JSON, an undefined array element is null.
        dst[i] = e === undefined ? null : fromJS(e);
      }
    }
  }
  return out;
}
