// The type checker's environment (OPA's TypeEnv): the types of local vars, scope by scope,
// and the types of the documents rules produce under `data` (a tree, shared by all scopes).
// Base data and `input` have no schema, so their type is `any`.
import type { Term } from '../ast/nodes.js';
import {
  type ObjectType,
  objectType,
  or,
  type RegoType,
  type StaticProperty,
  select,
  T,
  typeOfValue,
  valuesOf,
} from '../types.js';
import { keyOf, type Value } from '../value.js';

/** A var in a rule's head ref (`p[x] contains y`): OPA keeps such paths in the type tree as
 * written, where no constant key reaches them. */
export class VarKey {
  constructor(readonly name: string) {}
}

export type TreeKey = Value | VarKey;

const treeKey = (k: TreeKey) => (k instanceof VarKey ? `\u0000var ${k.name}` : keyOf(k));

/** A node of the `data` type tree: a rule's type at its path (a leaf), or children. */
export class TypeNode {
  value: RegoType | undefined;
  readonly children = new Map<string, TypeNode>();

  constructor(readonly key: TreeKey) {}

  child(key: TreeKey): TypeNode | undefined {
    return this.children.get(treeKey(key));
  }

  get leaf(): boolean {
    return this.value !== undefined;
  }

  /**
   * Adds `t` at `path`, merged with the types of other rules there (OPA's Insert): an object
   * type on the way takes `t` in as a dynamic member, and an object inserted above other rules'
   * types takes those in.
   */
  insert(path: readonly TreeKey[], t: RegoType): void {
    let node: TypeNode = this;
    for (let i = 0; i < path.length; i++) {
      const k = path[i]!;
      let c = node.child(k);
      if (!c) node.children.set(treeKey(k), (c = new TypeNode(k)));
      else if (c.value?.kind === 'object' && i + 1 < path.length)
        c.value = insertIntoObject(c.value, path.slice(i + 1), t);
      node = c;
    }
    node.value = mergeTypes(node.value, t);
    if (t.kind === 'object') {
      for (const [leafPath, leafType] of node.leaves([]))
        if (node.value?.kind === 'object') node.value = insertIntoObject(node.value, leafPath, leafType);
    }
  }

  private *leaves(path: TreeKey[]): Generator<[TreeKey[], RegoType]> {
    for (const c of this.children.values()) {
      const p = [...path, c.key];
      if (c.value !== undefined) yield [p, c.value];
      else yield* c.leaves(p);
    }
  }

  /** Replaces the type at `path` (rules with type errors become `any`). */
  put(path: readonly TreeKey[], t: RegoType): void {
    this.insert(path, t);
    let node: TypeNode = this;
    for (const k of path) node = node.child(k)!;
    node.value = t;
  }

  /** The type of `data[p0][p1]...` for the given path terms (OPA's GetByRef under data). */
  refType(path: readonly Term[]): RegoType | undefined {
    let node: TypeNode = this;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      if (node.leaf) {
        const c = constKey(seg);
        const child = c === undefined ? undefined : node.child(c);
        if (child) {
          node = child;
          continue;
        }
        return selectPath(node.value, path.slice(i));
      }
      const c = constKey(seg);
      if (c === undefined) return selectPath(node.extent(), path.slice(i));
      const child = node.child(c);
      if (!child) return T.any;
      node = child;
    }
    return node.extent();
  }

  /** The type of the document at `path` below this node, if rules are there. */
  typeAt(path: readonly Value[]): RegoType | undefined {
    let node: TypeNode | undefined = this;
    for (const k of path) {
      node = node.child(k);
      if (!node) return undefined;
    }
    return node.extent();
  }

  /** The type of the whole document at this node: its rule's, or an object of its children. */
  extent(): RegoType {
    if (this.value !== undefined) return this.value;
    const props: StaticProperty[] = [];
    for (const c of this.children.values()) {
      const k = c.key;
      if (typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean') props.push([k, c.extent()]);
    }
    // Base data may add any key: no schema describes it.
    return objectType(props, { key: T.string, value: T.any });
  }
}

/** `o` with `t` added at `path` below it, as dynamic members (OPA's insertIntoObject). */
function insertIntoObject(o: ObjectType, path: readonly TreeKey[], t: RegoType): ObjectType {
  if (path.length === 0) return o;
  const k = path[0]!;
  const key = k instanceof VarKey ? undefined : typeOfValue(k);
  const value = path.length === 1 ? t : insertIntoObject({ kind: 'object' }, path.slice(1), t);
  const d = o.dynamic;
  return objectType(o.static ?? [], d ? { key: or(d.key, key), value: or(d.value, value) } : { key, value });
}

/**
 * Merges the types of two rules at one path (OPA's mergeTypes): sets of either, objects
 * without known keys into one object, anything else into `any<a, b>`.
 */
export function mergeTypes(a: RegoType | undefined, b: RegoType | undefined): RegoType | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.kind === 'object' && b.kind === 'object' && !a.static && !b.static) {
    return objectType([], {
      key: or(a.dynamic?.key, b.dynamic?.key),
      value: mergeTypes(a.dynamic?.value, b.dynamic?.value),
    });
  }
  if (a.kind === 'set' && b.kind === 'set') return T.set(or(a.of, b.of) ?? T.any);
  return or(a, b);
}

/** One scope of local var types; `next` is the enclosing scope. */
export class TypeEnv {
  private readonly vars = new Map<string, RegoType | undefined>();

  constructor(
    readonly data: TypeNode,
    readonly next?: TypeEnv,
  ) {}

  /** A new inner scope (a rule or closure body). */
  wrap(): TypeEnv {
    return new TypeEnv(this.data, this);
  }

  /** The type of a local var, searching enclosing scopes; undefined when unknown. */
  varType(name: string): RegoType | undefined {
    for (let e: TypeEnv | undefined = this; e; e = e.next) if (e.vars.has(name)) return e.vars.get(name);
    return undefined;
  }

  setVar(name: string, t: RegoType | undefined): void {
    this.vars.set(name, t);
  }
}

/** The value of a constant key term (a scalar), else undefined. */
export function constKey(t: Term): Value | undefined {
  return t.type === 'scalar' ? t.value : undefined;
}

/**
 * The type of `v[p0][p1]...` given the type of `v` (OPA's selectRef): constant keys select a
 * member, other keys (vars, refs, composites) any member.
 */
export function selectPath(t: RegoType | undefined, path: readonly Term[]): RegoType | undefined {
  for (const seg of path) {
    if (t === undefined) return undefined;
    const c = constKey(seg);
    t = c === undefined ? valuesOf(t) : select(t, c);
  }
  return t;
}
