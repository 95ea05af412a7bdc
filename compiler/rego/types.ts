// Types of Rego values, after OPA's `types` package: what builtins take and return (the
// builtin table's signatures) and what the type checker infers for vars and rules. `undefined`
// stands for an unknown type (OPA's nil, printed `???`).
import { valueToString } from './convert.js';
import { compare as compareValues, ObjectValue, SetValue, type Value } from './value.js';

export type RegoType =
  /** Any of `of`; no `of` (or an empty one) is the top type, printed `any`. */
  | { readonly kind: 'any'; readonly of?: readonly RegoType[] }
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'number' }
  | { readonly kind: 'string' }
  /** `static` items first (a tuple), then any number of `dynamic` ones. */
  | { readonly kind: 'array'; readonly static?: readonly RegoType[]; readonly dynamic?: RegoType }
  | { readonly kind: 'set'; readonly of: RegoType | undefined }
  /** Known keys (`static`, sorted by key) and a type for all other keys (`dynamic`). */
  | {
      readonly kind: 'object';
      readonly static?: readonly StaticProperty[];
      readonly dynamic?: { readonly key: RegoType | undefined; readonly value: RegoType | undefined };
    }
  | FunctionType;

export type StaticProperty = readonly [key: Value, type: RegoType | undefined];

export interface FunctionType {
  readonly kind: 'function';
  readonly args: readonly (RegoType | undefined)[];
  readonly result?: RegoType;
  /** Type of every argument after `args` (only `print`). */
  readonly variadic?: RegoType;
  /** Argument and result names, for messages (`collection: any<...>`). */
  readonly names?: readonly string[];
  readonly resultName?: string;
}

const ANY: RegoType = { kind: 'any' };
const NUMBER: RegoType = { kind: 'number' };

export const T = {
  any: ANY,
  null: { kind: 'null' } as RegoType,
  boolean: { kind: 'boolean' } as RegoType,
  number: NUMBER,
  string: { kind: 'string' } as RegoType,
  /** Any of the given types (OPA's `types.NewAny(...)`), kept in OPA's order. */
  anyOf: (...of: RegoType[]): RegoType => ({ kind: 'any', of: [...of].sort(compareTypes) }),
  /** array[of] */
  array: (of: RegoType = ANY): RegoType => ({ kind: 'array', dynamic: of }),
  /** A fixed-length array (a tuple) of the given types. */
  tuple: (...items: RegoType[]): RegoType => ({ kind: 'array', static: items }),
  set: (of: RegoType = ANY): RegoType => ({ kind: 'set', of }),
  /** object[key: value] */
  object: (key: RegoType = ANY, value: RegoType = ANY): RegoType => ({ kind: 'object', dynamic: { key, value } }),
  /** An object with known string keys, and (when `others` is given) other keys of that type. */
  record: (fields: Record<string, RegoType>, others?: { key: RegoType; value: RegoType }): RegoType =>
    objectType(Object.entries(fields), others),
} as const;

export type ObjectType = Extract<RegoType, { kind: 'object' }>;

export function objectType(
  properties: readonly StaticProperty[],
  dynamic: { key: RegoType | undefined; value: RegoType | undefined } | undefined,
): ObjectType {
  const sorted = [...properties].sort((a, b) => compareValues(a[0], b[0]));
  return { kind: 'object', ...(sorted.length > 0 ? { static: sorted } : {}), ...(dynamic ? { dynamic } : {}) };
}

// ---------------------------------------------------------------------------------------
// Printing, as OPA's String() methods.

function keyText(k: Value): string {
  return typeof k === 'string' ? k : valueToString(k);
}

/** OPA's rendering: `string`, `array[number]`, `object<a: number>[string: any]`, `any<string, number>`. */
export function typeToString(t: RegoType | undefined): string {
  if (t === undefined) return '???';
  switch (t.kind) {
    case 'any':
      return t.of && t.of.length > 0 ? `any<${t.of.map(typeToString).join(', ')}>` : 'any';
    case 'array': {
      let out = 'array';
      if (t.static && t.static.length > 0) out += `<${t.static.map(typeToString).join(', ')}>`;
      if (t.dynamic) out += `[${typeToString(t.dynamic)}]`;
      return out;
    }
    case 'set':
      return `set[${typeToString(t.of)}]`;
    case 'object': {
      let out = 'object';
      if (t.static && t.static.length > 0)
        out += `<${t.static.map(([k, v]) => `${keyText(k)}: ${typeToString(v)}`).join(', ')}>`;
      if (t.dynamic) out += `[${typeToString(t.dynamic.key)}: ${typeToString(t.dynamic.value)}]`;
      return out;
    }
    case 'function':
      return `${funcArgsString(t, false)} => ${typeToString(t.result)}`;
    default:
      return t.kind;
  }
}

/** `(a, b)`, or with names `(x: a, y: b)`; `withResult` appends the result as OPA's messages do. */
export function funcArgsString(f: FunctionType, named: boolean, withResult = false): string {
  const parts = f.args.map((a, i) => (named && f.names?.[i] ? `${f.names[i]}: ${typeToString(a)}` : typeToString(a)));
  if (f.variadic) parts.push(`${typeToString(f.variadic)}...`);
  if (withResult && f.result)
    parts.push(named && f.resultName ? `${f.resultName}: ${typeToString(f.result)}` : typeToString(f.result));
  return `(${parts.join(', ')})`;
}

// ---------------------------------------------------------------------------------------
// Order and union.

const ORDER: Record<RegoType['kind'], number> = {
  null: 0,
  boolean: 1,
  number: 2,
  string: 3,
  array: 4,
  object: 5,
  set: 6,
  any: 7,
  function: 8,
};

function compareLists(a: readonly (RegoType | undefined)[], b: readonly (RegoType | undefined)[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareTypes(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** OPA's types.Compare: by kind, then by structure; unknown sorts first. */
export function compareTypes(a: RegoType | undefined, b: RegoType | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (a.kind !== b.kind) return ORDER[a.kind] - ORDER[b.kind];
  switch (a.kind) {
    case 'array': {
      const y = b as typeof a;
      if ((a.dynamic === undefined) !== (y.dynamic === undefined)) return a.dynamic ? 1 : -1;
      return compareTypes(a.dynamic, y.dynamic) || compareLists(a.static ?? [], y.static ?? []);
    }
    case 'object': {
      const y = b as typeof a;
      if ((a.dynamic === undefined) !== (y.dynamic === undefined)) return a.dynamic ? 1 : -1;
      if (a.dynamic && y.dynamic) {
        const c = compareTypes(a.dynamic.key, y.dynamic.key) || compareTypes(a.dynamic.value, y.dynamic.value);
        if (c !== 0) return c;
      }
      const sa = a.static ?? [];
      const sb = y.static ?? [];
      for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
        const c = compareValues(sa[i]![0], sb[i]![0]) || compareTypes(sa[i]![1], sb[i]![1]);
        if (c !== 0) return c;
      }
      return sa.length - sb.length;
    }
    case 'set':
      return compareTypes(a.of, (b as typeof a).of);
    case 'any':
      return compareLists(a.of ?? [], (b as typeof a).of ?? []);
    case 'function': {
      const y = b as FunctionType;
      return (
        a.args.length - y.args.length ||
        compareLists(a.args, y.args) ||
        compareTypes(a.result, y.result) ||
        compareTypes(a.variadic, y.variadic)
      );
    }
    default:
      return 0;
  }
}

const isTop = (t: RegoType): boolean => t.kind === 'any' && !(t.of && t.of.length > 0);

/** Whether `a` is a superset of or equal to `b` (OPA's types.Contains). */
export function contains(a: RegoType | undefined, b: RegoType | undefined): boolean {
  if (a?.kind === 'any') {
    if (b?.kind === 'function') return false;
    return isTop(a) || (a.of ?? []).some((t) => compareTypes(t, b) === 0);
  }
  return compareTypes(a, b) === 0;
}

function mergeAny(a: Extract<RegoType, { kind: 'any' }>, b: RegoType): RegoType {
  if (isTop(a)) return a;
  if (b.kind === 'any') {
    if (isTop(b)) return b;
    const out = [...a.of!];
    for (const t of b.of!) if (!out.some((x) => compareTypes(x, t) === 0)) out.push(t);
    return { kind: 'any', of: out.sort(compareTypes) };
  }
  if (contains(a, b)) return a;
  return { kind: 'any', of: [...a.of!, b].sort(compareTypes) };
}

/** The union of two types (OPA's types.Or); a superset of the other is returned as is. */
export function or(a: RegoType | undefined, b: RegoType | undefined): RegoType | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.kind === 'function' || b.kind === 'function') {
    if (a.kind !== 'function' || b.kind !== 'function' || a.args.length !== b.args.length) return undefined;
    return {
      kind: 'function',
      args: a.args.map((x, i) => or(x, b.args[i])),
      result: or(a.result, b.result),
      variadic: or(a.variadic, b.variadic),
    };
  }
  if (a.kind === 'any') return mergeAny(a, b);
  if (b.kind === 'any') return mergeAny(b, a);
  if (compareTypes(a, b) === 0) return a;
  return { kind: 'any', of: [a, b].sort(compareTypes) };
}

// ---------------------------------------------------------------------------------------
// Selection: the type of a member, of keys and of values.

/** The type of a constant value (OPA's types.TypeOf). */
export function typeOfValue(v: Value): RegoType {
  if (v === null) return T.null;
  if (typeof v === 'boolean') return T.boolean;
  if (typeof v === 'string') return T.string;
  if (Array.isArray(v)) return { kind: 'array', static: v.map(typeOfValue) };
  if (v instanceof ObjectValue)
    return objectType(
      v.entries().map(([k, x]) => [k, typeOfValue(x)] as const),
      undefined,
    );
  if (v instanceof SetValue) {
    let of: RegoType | undefined;
    for (const x of v.values()) of = or(of, typeOfValue(x));
    return { kind: 'set', of: of ?? ANY };
  }
  return NUMBER;
}

/** The type of `a[x]` for a constant `x` (OPA's types.Select); undefined when it cannot be. */
export function select(a: RegoType | undefined, x: Value): RegoType | undefined {
  switch (a?.kind) {
    case 'array': {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) return undefined;
      return a.static && x < a.static.length ? a.static[x] : a.dynamic;
    }
    case 'object': {
      const hit = a.static?.find(([k]) => compareValues(k, x) === 0);
      if (hit) return hit[1];
      return a.dynamic && contains(a.dynamic.key, typeOfValue(x)) ? a.dynamic.value : undefined;
    }
    case 'set': {
      const t = typeOfValue(x);
      if (compareTypes(a.of, t) === 0) return a.of;
      return a.of?.kind === 'any' && contains(a.of, t) ? t : undefined;
    }
    case 'any': {
      if (isTop(a)) return ANY;
      let out: RegoType | undefined;
      for (const t of a.of!) out = or(select(t, x), out);
      return out;
    }
    default:
      return undefined;
  }
}

/** The type of the keys one can enumerate (OPA's types.Keys). */
export function keysOf(a: RegoType | undefined): RegoType | undefined {
  switch (a?.kind) {
    case 'array':
      return NUMBER;
    case 'object': {
      let out: RegoType | undefined;
      for (const [k] of a.static ?? []) out = or(out, typeOfValue(k));
      return a.dynamic ? or(out, a.dynamic.key) : out;
    }
    case 'set':
      return a.of;
    case 'any': {
      if (isTop(a)) return ANY;
      let out: RegoType | undefined;
      for (const t of a.of!) out = or(keysOf(t), out);
      return out;
    }
    default:
      return undefined;
  }
}

/** The type of the values one can enumerate (OPA's types.Values). */
export function valuesOf(a: RegoType | undefined): RegoType | undefined {
  switch (a?.kind) {
    case 'array': {
      let out: RegoType | undefined;
      for (const t of a.static ?? []) out = or(out, t);
      return or(out, a.dynamic);
    }
    case 'object': {
      let out: RegoType | undefined;
      for (const [, t] of a.static ?? []) out = or(out, t);
      return a.dynamic ? or(out, a.dynamic.value) : out;
    }
    case 'set':
      return a.of;
    case 'any': {
      if (isTop(a)) return ANY;
      let out: RegoType | undefined;
      for (const t of a.of!) out = or(valuesOf(t), out);
      return out;
    }
    default:
      return undefined;
  }
}

/** Whether the type is unknown, or contains an unknown part (OPA's types.Nil). */
export function isNil(a: RegoType | undefined): boolean {
  switch (a?.kind) {
    case undefined:
      return true;
    case 'function':
      return a.args.some(isNil) || isNil(a.result);
    case 'array':
      return (a.static ?? []).some(isNil) || (a.dynamic !== undefined && isNil(a.dynamic));
    case 'object':
      return (
        (a.static ?? []).some(([, t]) => isNil(t)) ||
        (a.dynamic !== undefined && (isNil(a.dynamic.key) || isNil(a.dynamic.value)))
      );
    case 'set':
      return isNil(a.of);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------
// Unification of two types: whether a value could have both (the type checker's `unifies`).

export function unifies(a: RegoType | undefined, b: RegoType | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const anyA = a.kind === 'any';
  const anyB = b.kind === 'any';
  if (anyA && unifiesAny(a, b)) return true;
  if (anyB && unifiesAny(b, a)) return true;
  if (anyA || anyB) return false;
  switch (a.kind) {
    case 'array':
      return b.kind === 'array' && unifiesArrays(a, b);
    case 'object':
      return b.kind === 'object' && unifiesObjects(a, b);
    case 'set':
      return b.kind === 'set' && unifies(valuesOf(a), valuesOf(b));
    case 'function':
      return b.kind === 'function' && a.args.length === b.args.length && a.args.every((x, i) => unifies(x, b.args[i]));
    default:
      return a.kind === b.kind;
  }
}

function unifiesAny(a: Extract<RegoType, { kind: 'any' }>, b: RegoType): boolean {
  if (b.kind === 'function') return false;
  const of = a.of ?? [];
  return of.length === 0 || of.some((t) => unifies(t, b));
}

type ArrayType = Extract<RegoType, { kind: 'array' }>;

function arraySelect(a: ArrayType, i: number): RegoType | undefined {
  return a.static && i < a.static.length ? a.static[i] : a.dynamic;
}

function unifiesArrays(a: ArrayType, b: ArrayType): boolean {
  const staticOk = (x: ArrayType, y: ArrayType) => (x.static ?? []).every((t, i) => unifies(t, arraySelect(y, i)));
  if (!staticOk(a, b) || !staticOk(b, a)) return false;
  return a.dynamic === undefined || b.dynamic === undefined || unifies(a.dynamic, b.dynamic);
}

function unifiesObjects(a: ObjectType, b: ObjectType): boolean {
  const staticOk = (x: ObjectType, y: ObjectType) => (x.static ?? []).every(([k, t]) => unifies(t, select(y, k)));
  if (!staticOk(a, b) || !staticOk(b, a)) return false;
  return a.dynamic?.value === undefined || b.dynamic?.value === undefined || unifies(a.dynamic.value, b.dynamic.value);
}
