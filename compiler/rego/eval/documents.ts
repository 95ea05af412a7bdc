// Documents under `data`: base data merged with the virtual documents rules produce, and
// function calls. A ref into data walks the rule tree while its keys are known; at the first
// node with rules (or at the end of the ref) that node's whole document is computed (and
// cached for the evaluation), then the rest of the ref walks the value.
//
// Conflicts follow OPA: complete rules or functions giving different values for the same
// document or arguments, and rules writing different values at the same key, are
// eval_conflict_errors.
import type { Body, Rule, Term } from '../ast/nodes.js';
import type { CompiledRule, RuleNode } from '../compile/rule-tree.js';
import { MEMBER_BYTES } from '../builtins/table.js';
import type { Location } from '../errors.js';
import { equals, keyOf, ObjectValue, SetValue, type Value } from '../value.js';
import { index, upsert } from './collections.js';
import { conflict, type Frame } from './frame.js';
import type { LimitGuard } from './limits.js';
import { UNDEFINED, type WithState } from './with.js';

type K = () => boolean;
type VK = (v: Value) => boolean;

const STOP: K = () => true;

/** What documents need from the evaluator (which owns them). */
export interface RuleEvaluator {
  readonly tree: RuleNode;
  readonly state: WithState;
  readonly guard: LimitGuard;
  evalBody(body: Body, i: number, frame: Frame, k: K): boolean;
  evalTerm(t: Term, frame: Frame, k: VK): boolean;
  walk(v: Value, path: readonly Term[], i: number, frame: Frame, k: VK): boolean;
  unify(t: Term, v: Value, frame: Frame, k: K): boolean;
  isEvaluable(t: Term, frame: Frame): boolean;
}

export class Documents {
  constructor(private readonly ev: RuleEvaluator) {}

  evalData(
    path: readonly Term[],
    i: number,
    node: RuleNode | undefined,
    base: Value | undefined,
    frame: Frame,
    k: VK,
  ): boolean {
    const ev = this.ev;
    for (;;) {
      const replaced = node && ev.state.replaced?.get(node);
      if (replaced !== undefined) {
        node = undefined;
        base = replaced;
      }
      if (node && (node.hasRules || i === path.length)) {
        const v = this.nodeValue(node, base);
        return v === undefined ? false : ev.walk(v, path, i, frame, k);
      }
      if (i === path.length) return base === undefined ? false : k(base);
      const seg = path[i]!;
      let key: Value | undefined;
      if (seg.type === 'scalar') key = seg.value;
      else if (seg.type === 'var' && seg.slot !== undefined) key = frame[seg.slot];
      if (key === undefined)
        return node
          ? this.enumerate(path, i, node, base, frame, k)
          : base !== undefined && ev.walk(base, path, i, frame, k);
      node = node?.children.get(keyOf(key));
      base = dataIndex(base, key);
      if (node === undefined && base === undefined) return false;
      i++;
    }
  }

  /** `data[k0][k1]...` for known keys, without continuations (see evalData). */
  lookup(keys: readonly Value[]): Value | undefined {
    const state = this.ev.state;
    let node: RuleNode | undefined = this.ev.tree;
    let base: Value | undefined = state.data;
    let i = 0;
    for (; i < keys.length; i++) {
      const replaced = node && state.replaced?.get(node);
      if (replaced !== undefined) {
        node = undefined;
        base = replaced;
      }
      if (node?.hasRules) break;
      const key = keys[i]!;
      node = node?.children.get(keyOf(key));
      base = dataIndex(base, key);
      if (node === undefined && base === undefined) return undefined;
    }
    const replaced = node && state.replaced?.get(node);
    if (replaced !== undefined) {
      node = undefined;
      base = replaced;
    }
    let v: Value | undefined = node && (node.hasRules || i === keys.length) ? this.nodeValue(node, base) : base;
    for (; i < keys.length && v !== undefined; i++) v = index(v, keys[i]!);
    return v;
  }

  /** A data ref segment that is not a known key: try every key of the node and of base data. */
  private enumerate(
    path: readonly Term[],
    i: number,
    node: RuleNode,
    base: Value | undefined,
    frame: Frame,
    k: VK,
  ): boolean {
    const ev = this.ev;
    const seg = path[i]!;
    const keys = new SetValue();
    for (const c of node.children.values()) if (!c.isFunction) keys.add(c.key);
    if (base instanceof ObjectValue) for (const key of base.keys()) keys.add(key);
    const next = (key: Value) =>
      this.evalData(path, i + 1, node.children.get(keyOf(key)), dataIndex(base, key), frame, k);
    if (ev.isEvaluable(seg, frame)) return ev.evalTerm(seg, frame, next);
    for (const key of keys.values()) if (ev.unify(seg, key, frame, () => next(key))) return true;
    return false;
  }

  /** The document at a rule-tree node, computed once per evaluation state. */
  nodeValue(node: RuleNode, base: Value | undefined): Value | undefined {
    const state = this.ev.state;
    const replaced = state.replaced?.get(node);
    if (replaced !== undefined) return replaced;
    const cached = state.cache.get(node);
    if (cached !== undefined) return cached === UNDEFINED ? undefined : cached;
    this.ev.guard.enter(node);
    let v: Value | undefined;
    try {
      v = this.compute(node, base);
    } finally {
      this.ev.guard.leave();
    }
    const patches = state.below?.get(node);
    if (patches && v !== undefined) for (const p of patches) v = upsert(v, p.path, p.value);
    state.cache.set(node, v === undefined ? UNDEFINED : v);
    return v;
  }

  private compute(node: RuleNode, base: Value | undefined): Value | undefined {
    if (node.isFunction) return undefined;
    if (node.complete.length > 0 || node.default) return this.completeValue(node);
    if (node.multi.length > 0 && node.dynamic.length === 0 && node.children.size === 0) return this.setValue(node);
    const doc = new DocBuilder(base);
    for (const child of node.children.values()) {
      const cv = this.nodeValue(child, dataIndex(base, child.key));
      if (cv !== undefined) doc.merge(child.key, cv);
    }
    // A set rule at a node that also holds keys (`p contains x` next to `p.q := 1`) has no
    // document OPA could build either.
    if (node.multi.length > 0) throw conflict('object keys must be unique', node.multi[0]!.rule.loc);
    for (const cr of node.dynamic) this.dynamicInto(cr, doc);
    return doc.root;
  }

  private completeValue(node: RuleNode): Value | undefined {
    let result: Value | undefined;
    for (const cr of node.complete) {
      const v = this.chainValue(cr, 'complete rules must not produce multiple outputs');
      if (v === undefined) continue;
      if (result !== undefined && !equals(result, v))
        throw conflict('complete rules must not produce multiple outputs', cr.rule.loc);
      result = v;
    }
    if (result === undefined && node.default) result = this.defaultValue(node.default);
    return result;
  }

  private defaultValue(cr: CompiledRule): Value | undefined {
    let out: Value | undefined;
    this.ev.evalTerm(cr.rule.value!, new Array(cr.slots), (v) => ((out = v), true));
    return out;
  }

  /** The value of the first rule of an else chain whose body succeeds. */
  private chainValue(cr: CompiledRule, conflictMessage: string, args?: readonly Value[]): Value | undefined {
    const ev = this.ev;
    for (let c: CompiledRule | undefined = cr; c; c = c.else) {
      const rule = c.rule;
      const frame: Frame = new Array(c.slots);
      const early = c.constantValue;
      const value = rule.value!;
      // A scalar value that ends the search (`p if ...`, `f(x) := "a" if ...`): the value, if
      // the body has a solution.
      if (early && value.type === 'scalar') {
        if (this.solve(rule, frame, args)) return value.value;
        continue;
      }
      let got: Value | undefined;
      const constant = value.type === 'scalar' ? value.value : undefined;
      const take = (v: Value): boolean => {
        if (got !== undefined && !equals(got, v)) throw conflict(conflictMessage, rule.loc);
        got = v;
        return early;
      };
      // A scalar value (`p if ...`, `f(x) := "a" if ...`) needs no evaluation per solution.
      const onSolution = constant !== undefined ? () => take(constant) : () => ev.evalTerm(value, frame, take);
      const body = () => ev.evalBody(rule.body, 0, frame, onSolution);
      if (!args) body();
      else if (!bindParams(rule.args!, args, frame)) this.unifyArgs(rule.args!, args, 0, frame, body);
      else body();
      if (got !== undefined) return got;
    }
    return undefined;
  }

  /** Whether the rule's body has a solution (for a function, with these arguments). */
  private solve(rule: Rule, frame: Frame, args: readonly Value[] | undefined): boolean {
    const ev = this.ev;
    if (!args || bindParams(rule.args!, args, frame)) return ev.evalBody(rule.body, 0, frame, STOP);
    return this.unifyArgs(rule.args!, args, 0, frame, () => ev.evalBody(rule.body, 0, frame, STOP));
  }

  /** General argument matching, for parameters that are patterns (`f([a, b])`, `f("x")`). */
  private unifyArgs(
    params: readonly Term[],
    args: readonly Value[],
    i: number,
    frame: Frame,
    k: () => boolean,
  ): boolean {
    if (i === params.length) return k();
    return this.ev.unify(params[i]!, args[i]!, frame, () => this.unifyArgs(params, args, i + 1, frame, k));
  }

  private setValue(node: RuleNode): SetValue {
    const ev = this.ev;
    const out = new SetValue();
    for (const cr of node.multi) {
      const frame: Frame = new Array(cr.slots);
      const rule = cr.rule;
      ev.evalBody(rule.body, 0, frame, () =>
        ev.evalTerm(rule.key!, frame, (v) => (ev.guard.allocate(MEMBER_BYTES), out.add(v), false)),
      );
    }
    return out;
  }

  /** A rule with a dynamic head (`p[x].y := v`, `p[x] contains y`) writes into `doc`. */
  private dynamicInto(cr: CompiledRule, doc: DocBuilder): void {
    const ev = this.ev;
    const rule = cr.rule;
    const frame: Frame = new Array(cr.slots);
    const leaf = cr.multiLeaf ? rule.key! : rule.value!;
    const keys: Value[] = [];
    const suffix = (j: number): boolean => {
      if (j === cr.suffix.length) {
        return ev.evalTerm(leaf, frame, (v) => {
          ev.guard.allocate(MEMBER_BYTES);
          doc.insert([...keys, v], cr.multiLeaf, 'object keys must be unique', rule.loc);
          return false;
        });
      }
      return ev.evalTerm(cr.suffix[j]!, frame, (key) => {
        keys[j] = key;
        return suffix(j + 1);
      });
    };
    ev.evalBody(rule.body, 0, frame, () => suffix(0));
  }

  callFunction(node: RuleNode, args: readonly Value[], loc: Location): Value | undefined {
    const state = this.ev.state;
    let memo = state.fnCache.get(node);
    if (!memo) state.fnCache.set(node, (memo = new Map()));
    const key = args.length === 1 ? keyOf(args[0]!) : keyOf(args as Value[]);
    const hit = memo.get(key);
    if (hit !== undefined) return hit === UNDEFINED ? undefined : hit;
    this.ev.guard.enter(node);
    let result: Value | undefined;
    try {
      for (const cr of node.funcs) {
        const v = this.chainValue(cr, 'functions must not produce multiple outputs for same inputs', args);
        if (v === undefined) continue;
        if (result !== undefined && !equals(result, v))
          throw conflict('functions must not produce multiple outputs for same inputs', loc);
        result = v;
      }
      if (result === undefined && node.default)
        result = this.chainValue(node.default, 'functions must not produce multiple outputs for same inputs', args);
    } finally {
      this.ev.guard.leave();
    }
    memo.set(key, result === undefined ? UNDEFINED : result);
    return result;
  }
}

/** Binds parameters that are all distinct plain vars (the usual case) in a fresh frame;
 * false when some parameter is a pattern or repeats a var (then unification is needed). */
function bindParams(params: readonly Term[], args: readonly Value[], frame: Frame): boolean {
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p.type !== 'var' || p.slot === undefined || frame[p.slot] !== undefined) {
      for (let j = 0; j < i; j++) frame[(params[j] as { slot: number }).slot] = undefined;
      return false;
    }
    frame[p.slot] = args[i]!;
  }
  return true;
}

/** Base data lookup: data paths are strings, so `data.a[2]` also finds the key "2". */
function dataIndex(base: Value | undefined, key: Value): Value | undefined {
  if (base === undefined) return undefined;
  const v = index(base, key);
  if (v === undefined && typeof key === 'number' && base instanceof ObjectValue) return base.get(String(key));
  return v;
}

/** Base data merged with a virtual document at the same path: objects merge, base wins. */
function mergeBase(base: Value, virtual: Value): Value {
  if (!(base instanceof ObjectValue) || !(virtual instanceof ObjectValue)) return base;
  const out = ObjectValue.of(virtual.entries());
  for (const [k, v] of base.entries()) {
    const other = out.get(k);
    out.put(k, other === undefined ? v : mergeBase(v, other));
  }
  return out;
}

/**
 * Builds a node's object document: base data, child documents and dynamic rule outputs,
 * copying shared objects before writing into them, and reporting a key written twice with
 * different values as a conflict.
 */
class DocBuilder {
  readonly root: ObjectValue;
  private readonly owned = new Set<ObjectValue | SetValue>();

  constructor(base: Value | undefined) {
    this.root = base instanceof ObjectValue ? ObjectValue.of(base.entries()) : new ObjectValue();
    this.owned.add(this.root);
  }

  /** A child document; where base data has the key too, base values win (objects merge). */
  merge(key: Value, value: Value): void {
    const cur = this.root.get(key);
    this.root.put(key, cur === undefined ? value : mergeBase(cur, value));
  }

  private own(parent: ObjectValue, key: Value, message: string, loc: Location): ObjectValue {
    const cur = parent.get(key);
    if (cur === undefined) {
      const fresh = new ObjectValue();
      this.owned.add(fresh);
      parent.put(key, fresh);
      return fresh;
    }
    if (!(cur instanceof ObjectValue)) throw conflict(message, loc);
    if (this.owned.has(cur)) return cur;
    const copy = ObjectValue.of(cur.entries());
    this.owned.add(copy);
    parent.put(key, copy);
    return copy;
  }

  /** `path` ends with the value; a multi leaf adds the value to a set at the path. */
  insert(path: readonly Value[], multi: boolean, message: string, loc: Location): void {
    const keys = path.slice(0, -1);
    const value = path[path.length - 1]!;
    let o = this.root;
    for (let j = 0; j < keys.length - 1; j++) o = this.own(o, keys[j]!, message, loc);
    const last = keys[keys.length - 1]!;
    if (multi) {
      let s = o.get(last);
      if (s === undefined) {
        s = new SetValue();
        this.owned.add(s);
        o.put(last, s);
      } else if (!(s instanceof SetValue)) {
        throw conflict(message, loc);
      } else if (!this.owned.has(s)) {
        s = SetValue.of(s.values());
        this.owned.add(s);
        o.put(last, s);
      }
      (s as SetValue).add(value);
      return;
    }
    const prev = o.get(last);
    if (prev !== undefined) {
      if (!equals(prev, value)) throw conflict(message, loc);
      return;
    }
    o.put(last, value);
  }
}
