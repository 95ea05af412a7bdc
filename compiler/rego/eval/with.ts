// The state `with` modifies: for the duration of one expression, the input, part of data
// (base or virtual documents), or a function/builtin (replaced by another function or a
// value). The evaluator takes a snapshot before applying modifiers and restores it around
// the expression's continuation (see Evaluator.evalWith). Each modified state has its own
// caches.
import type { With } from '../ast/nodes.js';
import { lookupBuiltin, type Builtin } from '../builtins/table.js';
import type { RuleNode } from '../compile/rule-tree.js';
import { keyOf, type Value } from '../value.js';
import { upsert } from './collections.js';

/** A cached result that is undefined: `null` cannot say so, null being a Rego value. */
export const UNDEFINED: unique symbol = Symbol('undefined');
export type Cached = Value | typeof UNDEFINED;

export type Mock = { readonly kind: 'value'; readonly value: Value } | { readonly kind: 'func'; readonly name: string };

export interface Snapshot {
  input: Value | undefined;
  data: Value;
  replaced: ReadonlyMap<RuleNode, Value> | undefined;
  below: ReadonlyMap<RuleNode, readonly { path: Value[]; value: Value }[]> | undefined;
  mocks: ReadonlyMap<string, Mock> | undefined;
  cache: Map<RuleNode, Cached>;
  fnCache: Map<RuleNode, Map<string, Cached>>;
  refCache: Map<readonly Value[], Cached>;
}

export class WithState implements Snapshot {
  replaced: ReadonlyMap<RuleNode, Value> | undefined;
  below: ReadonlyMap<RuleNode, readonly { path: Value[]; value: Value }[]> | undefined;
  mocks: ReadonlyMap<string, Mock> | undefined;
  /** Values of virtual documents, valid for this state only. */
  cache = new Map<RuleNode, Cached>();
  /** Function results by argument key. */
  fnCache = new Map<RuleNode, Map<string, Cached>>();
  /** Values of `data` refs with constant keys, by their key arrays. */
  refCache = new Map<readonly Value[], Cached>();

  constructor(
    public data: Value,
    public input: Value | undefined,
  ) {}

  snapshot(): Snapshot {
    const { input, data, replaced, below, mocks, cache, fnCache, refCache } = this;
    return { input, data, replaced, below, mocks, cache, fnCache, refCache };
  }

  restore(s: Snapshot): void {
    this.input = s.input;
    this.data = s.data;
    this.replaced = s.replaced;
    this.below = s.below;
    this.mocks = s.mocks;
    this.cache = s.cache;
    this.fnCache = s.fnCache;
    this.refCache = s.refCache;
  }

  mock(name: string): Mock | undefined {
    return this.mocks?.get(name);
  }

  /** Runs `f` with no function mocks (a replacement function does not see other mocks). */
  withoutMocks<T>(f: () => T): T {
    const saved = this.mocks;
    this.mocks = undefined;
    try {
      return f();
    } finally {
      this.mocks = saved;
    }
  }

  lookupFunction(tree: RuleNode, name: string): Builtin | RuleNode | undefined {
    if (name.startsWith('data.')) return tree.find(name.split('.').slice(1));
    return lookupBuiltin(name);
  }

  /** Applies the modifiers (`values[i]` is the value of `withs[i]`) with fresh caches. */
  apply(tree: RuleNode, withs: readonly With[], values: readonly (Value | undefined)[]): void {
    withs.forEach((w, i) => {
      const value = values[i];
      switch (w.kind) {
        case 'input':
          this.input = upsert(this.input, w.path!, value!);
          break;
        case 'data':
          this.applyData(tree, w.path!, value!);
          break;
        case 'func': {
          const mocks = new Map(this.mocks);
          mocks.set(
            w.func!,
            w.replacement !== undefined ? { kind: 'func', name: w.replacement } : { kind: 'value', value: value! },
          );
          this.mocks = mocks;
          break;
        }
      }
    });
    this.cache = new Map();
    this.fnCache = new Map();
    this.refCache = new Map();
  }

  /**
   * A path ending at a rule-tree node replaces that node's document (rules included); a path
   * below a rule's node patches the rule's value; any other path patches base data.
   */
  private applyData(tree: RuleNode, path: readonly Value[], value: Value): void {
    let node = tree;
    let j = 0;
    for (; j < path.length; j++) {
      const child = node.children.get(keyOf(path[j]!));
      if (!child) break;
      node = child;
      if (child.hasRules) {
        j++;
        break;
      }
    }
    if (j === path.length && (node !== tree || path.length === 0)) {
      this.replaced = new Map(this.replaced).set(node, value);
    } else if (node.hasRules) {
      const list = [...(this.below?.get(node) ?? []), { path: path.slice(j), value }];
      this.below = new Map(this.below).set(node, list);
    } else {
      this.data = upsert(this.data, path, value);
    }
  }
}
