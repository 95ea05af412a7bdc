// The top-down evaluator (OPA's topdown): bodies, expressions, terms, unification and refs.
// Evaluation is in continuation-passing style: each step calls `k` once per solution, and
// `k` returns true to stop the search (first solution of a negation, early exit of a rule
// with a constant value). Vars live in a per-rule frame (slots from the compiler); a binding
// is undone when its continuation returns, so backtracking needs no trail.
import type { Body, CallTerm, Expr, ExprKind, RefTerm, Term, With } from '../ast/nodes.js';
import { type Builtin, type BuiltinContext, builtinFailure, MEMBER_BYTES } from '../builtins/table.js';
import type { CompiledQuery } from '../compile/compiler.js';
import { type CallTarget, RuleNode } from '../compile/rule-tree.js';
import { RegoError } from '../errors.js';
import { equals, ObjectValue, SetValue, type Value } from '../value.js';
import { forEachMember, index, isCollection } from './collections.js';
import { LimitGuard, type EvalLimits } from './limits.js';
import { Documents, type RuleEvaluator } from './documents.js';
import { conflict, type Frame, NEEDS_SEARCH } from './frame.js';
import { UNDEFINED, WithState } from './with.js';
import { evalSingle, NOT_SINGLE } from './single.js';
import { bodyCode, type CodeEvaluator } from './codegen.js';

type K = () => boolean;
type VK = (v: Value) => boolean;

export interface EvalContext {
  readonly tree: RuleNode;
  /** What calls run, indexed by `CallTerm.fn`. */
  readonly functions: readonly CallTarget[];
  readonly data: Value;
  readonly input: Value | undefined;
  readonly strictBuiltinErrors: boolean;
  readonly limits: EvalLimits;
  readonly print: (message: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Fixed clock for `time.now_ns` (nanoseconds since the epoch). */
  readonly timeNs: bigint;
}

export class Evaluator implements RuleEvaluator, CodeEvaluator {
  readonly tree: RuleNode;
  readonly docs: Documents;
  readonly state: WithState;
  readonly guard: LimitGuard;
  /** Slots bound by single-outcome expressions, undone when their body returns. */
  readonly undo: number[] = [];
  /** Builtin errors swallowed in non-strict mode (the call was undefined instead). */
  readonly builtinErrors: RegoError[] = [];
  private readonly ctx: { location: Term['loc'] | undefined } & BuiltinContext;

  constructor(readonly context: EvalContext) {
    this.tree = context.tree;
    this.guard = new LimitGuard(context.limits);
    this.state = new WithState(context.data, context.input);
    this.docs = new Documents(this);
    const cache = new Map<string, unknown>();
    this.ctx = {
      location: undefined,
      timeNs: context.timeNs,
      cache,
      env: context.env,
      print: context.print,
      budget: this.guard,
    };
  }

  // ---- bodies and expressions ------------------------------------------------------------

  evalBody(body: Body, i: number, frame: Frame, k: K): boolean {
    if (i === 0 && body.length > 0) {
      const code = bodyCode(body, this.context.functions);
      if (code !== undefined) return code(this, frame, k);
    }
    // Single-outcome expressions run in this loop (see single.ts); the first one that may
    // enumerate continues through a continuation. Bindings made here are undone on return.
    // Slots bound here go on the shared undo stack above `base` (nested bodies clean up
    // their own entries before returning, so the stack unwinds in order).
    const undo = this.undo;
    const base = undo.length;
    let stop: boolean;
    for (;;) {
      if (i === body.length) {
        stop = k();
        break;
      }
      const e = body[i]!;
      this.guard.step();
      const r = evalSingle(e, frame, undo, this);
      if (r === NOT_SINGLE) {
        stop =
          i === body.length - 1
            ? this.evalExprStepped(e, frame, k)
            : this.evalExprStepped(e, frame, () => this.evalBody(body, i + 1, frame, k));
        break;
      }
      if (!r) {
        stop = false;
        break;
      }
      i++;
    }
    while (undo.length > base) frame[undo.pop()!] = undefined;
    return stop;
  }

  /** `evalExpr` for an expression whose step is already counted. */
  evalExprStepped(e: Expr, frame: Frame, k: K): boolean {
    if (e.withs.length > 0) return this.evalWith(e, frame, k);
    return this.evalUnmodified(e, frame, k);
  }

  evalExpr(e: Expr, frame: Frame, k: K): boolean {
    this.guard.step();
    if (e.withs.length > 0) return this.evalWith(e, frame, k);
    return this.evalUnmodified(e, frame, k);
  }

  /**
   * An expression with `with` modifiers. They must not leak into the rest of the body: the
   * continuation runs with the outer state restored, and the modified state is re-applied
   * when it returns (the expression may have more solutions).
   */
  private evalWith(e: Expr, frame: Frame, k: K): boolean {
    const state = this.state;
    return this.withValues(e.withs, 0, [], frame, (values) => {
      const outer = state.snapshot();
      state.apply(this.context.tree, e.withs, values);
      const modified = state.snapshot();
      try {
        return this.evalUnmodified(e, frame, () => {
          state.restore(outer);
          try {
            return k();
          } finally {
            state.restore(modified);
          }
        });
      } finally {
        state.restore(outer);
      }
    });
  }

  /** Evaluates the with values (in the outer state), `undefined` for function replacements. */
  private withValues(
    withs: readonly With[],
    i: number,
    out: (Value | undefined)[],
    frame: Frame,
    k: (values: (Value | undefined)[]) => boolean,
  ): boolean {
    if (i === withs.length) return k(out);
    const w = withs[i]!;
    if (w.replacement !== undefined) {
      out[i] = undefined;
      return this.withValues(withs, i + 1, out, frame, k);
    }
    return this.evalTerm(w.value, frame, (v) => {
      out[i] = v;
      return this.withValues(withs, i + 1, out, frame, k);
    });
  }

  /** The expression without its `with` modifiers (already applied, if any). */
  evalUnmodified(e: Expr, frame: Frame, k: K): boolean {
    if (!e.negated) return this.evalKind(e.expr, frame, k);
    // Negation: true when the expression has no solution; its bindings do not escape.
    return this.evalKind(e.expr, frame, () => true) ? false : k();
  }

  evalKind(x: ExprKind, frame: Frame, k: K): boolean {
    switch (x.kind) {
      case 'term': {
        if (x.term.type === 'call') return this.evalCall(x.term, frame, k);
        const v = this.directValue(x.term, frame);
        if (v !== NEEDS_SEARCH) return v !== undefined && v !== false ? k() : false;
        return this.evalTerm(x.term, frame, (v) => (v !== false ? k() : false));
      }
      case 'unify':
      case 'assign':
        return this.unifyTerms(x.left, x.right, frame, k);
      case 'some':
        return k();
      case 'somein': {
        const value = x.value;
        // The common `some x in xs`: bind the slot directly.
        if (!x.key && value.type === 'var' && value.slot !== undefined && frame[value.slot] === undefined) {
          const slot = value.slot;
          const each = (dom: Value): boolean => {
            const items = Array.isArray(dom)
              ? dom
              : dom instanceof SetValue || dom instanceof ObjectValue
                ? dom.values()
                : [];
            for (let j = 0; j < items.length; j++) {
              this.guard.step();
              frame[slot] = items[j]!;
              const stop = k();
              frame[slot] = undefined;
              if (stop) return true;
            }
            return false;
          };
          const dom = this.directValue(x.domain, frame);
          if (dom !== NEEDS_SEARCH) return dom !== undefined && each(dom);
          return this.evalTerm(x.domain, frame, each);
        }
        return this.evalTerm(x.domain, frame, (dom) =>
          forEachMember(dom, (key, val) =>
            x.key
              ? this.unify(x.key, key, frame, () => this.unify(value, val, frame, k))
              : this.unify(value, val, frame, k),
          ),
        );
      }
      case 'every':
        return this.evalTerm(x.domain, frame, (dom) => {
          if (!isCollection(dom)) return false;
          const body = () => this.evalBody(x.body, 0, frame, () => true);
          const failed = forEachMember(
            dom,
            (key, val) =>
              !(x.key
                ? this.unify(x.key, key, frame, () => this.unify(x.value, val, frame, body))
                : this.unify(x.value, val, frame, body)),
          );
          return failed ? false : k();
        });
    }
  }

  // ---- calls ------------------------------------------------------------------------------

  evalCall(call: CallTerm, frame: Frame, k: K): boolean {
    const n = call.arity ?? call.args.length;
    const output = call.args.length > n ? call.args[n] : undefined;
    const values: Value[] = new Array(n);
    const deliver = (result: Value | undefined): boolean => {
      if (result === undefined) return false;
      if (output) return this.unify(output, result, frame, k);
      return result !== false ? k() : false;
    };
    return this.evalArgs(call, 0, n, values, frame, () =>
      this.invoke(call.name, this.target(call), values, call, deliver),
    );
  }

  private evalArgs(call: CallTerm, i: number, n: number, out: Value[], frame: Frame, k: K): boolean {
    // Arguments with one value (the usual case) need no continuation.
    for (; i < n; i++) {
      const j = call.argOrder ? call.argOrder[i]! : i;
      const v = this.directValue(call.args[j]!, frame);
      if (v === NEEDS_SEARCH) break;
      if (v === undefined) return false;
      out[j] = v;
    }
    if (i === n) return k();
    const j = call.argOrder ? call.argOrder[i]! : i;
    return this.evalTerm(call.args[j]!, frame, (v) => {
      out[j] = v;
      return this.evalArgs(call, i + 1, n, out, frame, k);
    });
  }

  /** The builtin or user function a call runs. */
  target(call: CallTerm): CallTarget | undefined {
    return call.fn === undefined ? undefined : this.context.functions[call.fn];
  }

  /** Calls a function or builtin by name (mocks from `with` take precedence). */
  invoke(
    name: string,
    target: CallTarget | undefined,
    args: readonly Value[],
    call: CallTerm,
    deliver: (v: Value | undefined) => boolean,
  ): boolean {
    const mock = this.state.mock(name);
    if (mock) {
      if (mock.kind === 'value') return deliver(mock.value);
      // The replacement runs without any mocks: a mock never calls another mock.
      return this.state.withoutMocks(() =>
        this.invoke(mock.name, this.state.lookupFunction(this.context.tree, mock.name), args, call, deliver),
      );
    }
    if (target instanceof RuleNode) return deliver(this.docs.callFunction(target, args, call.loc));
    if (!target) throw new RegoError('eval_internal_error', `unknown function ${name}`, call.loc);
    if (target.relation) {
      this.ctx.location = call.loc;
      let results: Iterable<Value>;
      try {
        results = [...target.relation(args, this.ctx)];
      } catch (e) {
        return this.builtinError(target, e, call);
      }
      for (const r of results) if (deliver(r)) return true;
      return false;
    }
    const result = this.callBuiltin(target, args, call);
    return result !== undefined && deliver(result);
  }

  /** A user function's value for the arguments (no mocks apply). */
  callFunction(node: RuleNode, args: readonly Value[], call: CallTerm): Value | undefined {
    return this.docs.callFunction(node, args, call.loc);
  }

  /** A builtin's result; undefined when it is undefined or failed without strict errors. */
  callBuiltin(b: Builtin, args: readonly Value[], call: CallTerm): Value | undefined {
    this.ctx.location = call.loc;
    try {
      return b.fn!(args, this.ctx);
    } catch (e) {
      this.builtinError(b, e, call);
      return undefined;
    }
  }

  /** Strict mode raises builtin errors; otherwise the call is undefined (OPA's default). */
  private builtinError(b: Builtin, e: unknown, call: CallTerm): boolean {
    const err = builtinFailure(b, e, call.loc);
    if (
      this.context.strictBuiltinErrors ||
      !(err.code === 'eval_builtin_error' || err.code === 'eval_type_error') ||
      e instanceof RegoError
    )
      throw err;
    this.builtinErrors.push(err);
    return false;
  }

  // ---- terms --------------------------------------------------------------------------------

  /** A data ref whose keys are all known has at most one value. */
  directData(path: readonly Term[], frame: Frame): Value | undefined | typeof NEEDS_SEARCH {
    const keys: Value[] = new Array(path.length);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const key =
        seg.type === 'scalar' ? seg.value : seg.type === 'var' && seg.slot !== undefined ? frame[seg.slot] : undefined;
      if (key === undefined) return NEEDS_SEARCH;
      keys[i] = key;
    }
    return this.docs.lookup(keys);
  }

  /**
   * The value of a term that has at most one (constants, bound vars, refs into input or
   * local values through known keys), without a continuation; undefined when it is
   * undefined; NEEDS_SEARCH when it must be evaluated with `evalTerm`.
   */
  directValue(t: Term, frame: Frame): Value | undefined | typeof NEEDS_SEARCH {
    switch (t.type) {
      case 'scalar':
        return t.value;
      case 'var':
        return t.slot === undefined ? NEEDS_SEARCH : (frame[t.slot] ?? NEEDS_SEARCH);
      case 'array':
      case 'set': {
        if (t.value !== undefined) return t.value;
        // Items with one value each (the usual `[obj.name, c.name]`): built without a continuation.
        const items = t.items;
        const out: Value[] = new Array(items.length);
        for (let i = 0; i < items.length; i++) {
          const v = this.directValue(items[i]!, frame);
          if (v === NEEDS_SEARCH || v === undefined) return v;
          out[i] = v;
        }
        return t.type === 'array' ? out : SetValue.of(out);
      }
      case 'object':
        return t.value ?? NEEDS_SEARCH;
      case 'ref': {
        const head = t.head;
        if (head.type !== 'var') return NEEDS_SEARCH;
        let v: Value | undefined;
        if (head.slot !== undefined) v = frame[head.slot];
        else if (head.name === 'input') {
          v = this.state.input;
          if (v === undefined) return undefined;
        } else if (head.name === 'data') {
          return t.keys ? this.dataRef(t) : this.directData(t.path, frame);
        }
        if (v === undefined) return NEEDS_SEARCH;
        if (t.constPath !== undefined && v instanceof ObjectValue) return v.getPath(t.constPath, t.pathKey!);
        const path = t.path;
        for (let i = 0; i < path.length; i++) {
          const seg = path[i]!;
          let key: Value | undefined;
          if (seg.type === 'scalar') key = seg.value;
          else if (seg.type === 'var' && seg.slot !== undefined) key = frame[seg.slot];
          if (key === undefined) return NEEDS_SEARCH;
          const child: Value | undefined = v instanceof ObjectValue ? v.get(key) : index(v, key);
          if (child === undefined) return undefined;
          v = child;
        }
        return v;
      }
      default:
        return NEEDS_SEARCH;
    }
  }

  /** A `data` ref with constant keys (`t.keys`); rules of the policy, mostly, looked up once per state. */
  dataRef(t: RefTerm): Value | undefined {
    const cache = this.state.refCache;
    const hit = cache.get(t.keys!);
    if (hit !== undefined) return hit === UNDEFINED ? undefined : hit;
    const found = this.docs.lookup(t.keys!);
    cache.set(t.keys!, found === undefined ? UNDEFINED : found);
    return found;
  }

  evalTerm(t: Term, frame: Frame, k: VK): boolean {
    switch (t.type) {
      case 'scalar':
        return k(t.value);
      case 'var': {
        if (t.slot === undefined) return this.evalRoot(t.name, [], frame, k);
        const v = frame[t.slot];
        if (v === undefined) throw new RegoError('eval_internal_error', `var ${t.name} is unbound`, t.loc);
        return k(v);
      }
      case 'ref':
        return this.evalRef(t, frame, k);
      case 'array':
        if (t.value !== undefined) return k(t.value);
        return this.evalItems(t.items, 0, [], frame, (items) => k(items));
      case 'set':
        if (t.value !== undefined) return k(t.value);
        return this.evalItems(t.items, 0, [], frame, (items) => k(SetValue.of(items)));
      case 'object':
        if (t.value !== undefined) return k(t.value);
        return this.evalEntries(t.entries, 0, new Array(t.entries.length), frame, k);
      case 'arraycomp': {
        const out: Value[] = [];
        const guard = this.guard;
        this.evalBody(t.body, 0, frame, () =>
          this.evalTerm(t.term, frame, (v) => (guard.allocate(MEMBER_BYTES), out.push(v), false)),
        );
        return k(out);
      }
      case 'setcomp': {
        const out = new SetValue();
        const guard = this.guard;
        this.evalBody(t.body, 0, frame, () =>
          this.evalTerm(t.term, frame, (v) => (guard.allocate(MEMBER_BYTES), out.add(v), false)),
        );
        return k(out);
      }
      case 'objectcomp': {
        const out = new ObjectValue();
        this.evalBody(t.body, 0, frame, () =>
          this.evalTerm(t.key, frame, (key) =>
            this.evalTerm(t.value, frame, (v) => {
              const prev = out.get(key);
              if (prev !== undefined && !equals(prev, v)) throw conflict('object keys must be unique', t.loc);
              this.guard.allocate(MEMBER_BYTES);
              out.put(key, v);
              return false;
            }),
          ),
        );
        return k(out);
      }
      case 'call': {
        // Only in `with` values and other places the compiler leaves a call in a term.
        const n = t.arity ?? t.args.length;
        const values: Value[] = new Array(n);
        return this.evalArgs(t, 0, n, values, frame, () =>
          this.invoke(t.name, this.target(t), values, t, (v) => (v === undefined ? false : k(v))),
        );
      }
      case 'template':
        throw new RegoError('eval_internal_error', 'template strings are rewritten by the compiler', t.loc);
    }
  }

  private evalItems(
    items: readonly Term[],
    i: number,
    out: Value[],
    frame: Frame,
    k: (items: Value[]) => boolean,
  ): boolean {
    if (i === items.length) return k(out.slice());
    return this.evalTerm(items[i]!, frame, (v) => {
      out[i] = v;
      return this.evalItems(items, i + 1, out, frame, k);
    });
  }

  private evalEntries(
    entries: readonly [Term, Term][],
    i: number,
    acc: [Value, Value][],
    frame: Frame,
    k: VK,
  ): boolean {
    if (i === entries.length) {
      const out = new ObjectValue();
      for (let j = 0; j < acc.length; j++) {
        const [key, v] = acc[j]!;
        const prev = out.get(key);
        if (prev !== undefined && !equals(prev, v)) throw conflict('object keys must be unique', entries[j]![0].loc);
        out.put(key, v);
      }
      return k(out);
    }
    const [kt, vt] = entries[i]!;
    return this.evalTerm(kt, frame, (key) =>
      this.evalTerm(vt, frame, (v) => {
        acc[i] = [key, v];
        return this.evalEntries(entries, i + 1, acc, frame, k);
      }),
    );
  }

  // ---- refs ---------------------------------------------------------------------------------

  private evalRef(t: RefTerm, frame: Frame, k: VK): boolean {
    const head = t.head;
    if (head.type === 'var') {
      if (head.slot === undefined) return this.evalRoot(head.name, t.path, frame, k);
      const v = frame[head.slot];
      if (v === undefined) throw new RegoError('eval_internal_error', `var ${head.name} is unbound`, head.loc);
      return this.walk(v, t.path, 0, frame, k);
    }
    return this.evalTerm(head, frame, (v) => this.walk(v, t.path, 0, frame, k));
  }

  private evalRoot(name: string, path: readonly Term[], frame: Frame, k: VK): boolean {
    if (name === 'input') {
      const input = this.state.input;
      return input === undefined ? false : this.walk(input, path, 0, frame, k);
    }
    if (name === 'data') return this.docs.evalData(path, 0, this.context.tree, this.state.data, frame, k);
    throw new RegoError('eval_internal_error', `unknown root ${name}`);
  }

  /** Follows `path[i..]` into a value, enumerating members for unbound vars. */
  walk(v: Value, path: readonly Term[], i: number, frame: Frame, k: VK): boolean {
    // Known keys (constants, bound vars) in a loop; recursion only where members are enumerated.
    for (; i < path.length; i++) {
      const seg = path[i]!;
      let key: Value | undefined;
      if (seg.type === 'scalar') key = seg.value;
      else if (seg.type === 'var' && seg.slot !== undefined) key = frame[seg.slot];
      if (key === undefined) break;
      const child: Value | undefined = v instanceof ObjectValue ? v.get(key) : index(v, key);
      if (child === undefined) return false;
      v = child;
    }
    if (i === path.length) return k(v);
    const seg = path[i]!;
    if (seg.type === 'var' && seg.slot !== undefined) {
      const slot = seg.slot;
      if (Array.isArray(v)) {
        for (let j = 0; j < v.length; j++) {
          this.guard.step();
          frame[slot] = j;
          const stop = this.walk(v[j]!, path, i + 1, frame, k);
          frame[slot] = undefined;
          if (stop) return true;
        }
        return false;
      }
      return forEachMember(v, (key, child) => {
        this.guard.step();
        frame[slot] = key;
        const stop = this.walk(child, path, i + 1, frame, k);
        frame[slot] = undefined;
        return stop;
      });
    }
    if (this.isEvaluable(seg, frame)) {
      return this.evalTerm(seg, frame, (key) => {
        const child = index(v, key);
        return child === undefined ? false : this.walk(child, path, i + 1, frame, k);
      });
    }
    return forEachMember(v, (key, child) => this.unify(seg, key, frame, () => this.walk(child, path, i + 1, frame, k)));
  }

  // ---- unification --------------------------------------------------------------------------

  /** Whether `t` can be evaluated now: its vars are bound, except ref members (iterated). */
  isEvaluable(t: Term, frame: Frame): boolean {
    switch (t.type) {
      case 'scalar':
        return true;
      case 'var':
        return t.slot === undefined || frame[t.slot] !== undefined;
      case 'ref':
        return (
          this.isEvaluable(t.head, frame) &&
          t.path.every(
            (p) =>
              p.type === 'var' ||
              p.type === 'scalar' ||
              this.isEvaluable(p, frame) ||
              p.type === 'array' ||
              p.type === 'object',
          )
        );
      case 'array':
      case 'set':
        return t.value !== undefined || t.items.every((x) => this.isEvaluable(x, frame));
      case 'object':
        return (
          t.value !== undefined || t.entries.every(([a, b]) => this.isEvaluable(a, frame) && this.isEvaluable(b, frame))
        );
      case 'call':
        return t.args.every((a) => this.isEvaluable(a, frame));
      default:
        return true;
    }
  }

  /** Unifies a term (a pattern) with a value, binding the term's unbound vars. */
  unify(t: Term, v: Value, frame: Frame, k: K): boolean {
    switch (t.type) {
      case 'var': {
        if (t.slot === undefined) return this.evalTerm(t, frame, (x) => (equals(x, v) ? k() : false));
        const cur = frame[t.slot];
        if (cur !== undefined) return equals(cur, v) ? k() : false;
        frame[t.slot] = v;
        const stop = k();
        frame[t.slot] = undefined;
        return stop;
      }
      case 'scalar':
        return equals(t.value, v) ? k() : false;
      case 'array':
        if (t.value !== undefined) return equals(t.value, v) ? k() : false;
        if (!Array.isArray(v) || v.length !== t.items.length) return false;
        return this.unifyItems(t.items, v, 0, frame, k);
      case 'object': {
        if (t.value !== undefined) return equals(t.value, v) ? k() : false;
        if (!(v instanceof ObjectValue) || v.size !== t.entries.length) return false;
        return this.unifyEntries(t.entries, v, 0, frame, k);
      }
      default:
        return this.evalTerm(t, frame, (x) => (equals(x, v) ? k() : false));
    }
  }

  private unifyItems(items: readonly Term[], v: readonly Value[], i: number, frame: Frame, k: K): boolean {
    if (i === items.length) return k();
    return this.unify(items[i]!, v[i]!, frame, () => this.unifyItems(items, v, i + 1, frame, k));
  }

  private unifyEntries(entries: readonly [Term, Term][], v: ObjectValue, i: number, frame: Frame, k: K): boolean {
    if (i === entries.length) return k();
    const [kt, vt] = entries[i]!;
    return this.evalTerm(kt, frame, (key) => {
      const member = v.get(key);
      return member === undefined
        ? false
        : this.unify(vt, member, frame, () => this.unifyEntries(entries, v, i + 1, frame, k));
    });
  }

  /** `a = b`: evaluate whichever side can be, then match the other against it. */
  unifyTerms(a: Term, b: Term, frame: Frame, k: K): boolean {
    if (this.isEvaluable(a, frame)) return this.evalTerm(a, frame, (va) => this.unify(b, va, frame, k));
    if (this.isEvaluable(b, frame)) return this.evalTerm(b, frame, (vb) => this.unify(a, vb, frame, k));
    if (a.type === 'array' && b.type === 'array') {
      if (a.items.length !== b.items.length) return false;
      return this.unifyPairs(
        a.items.map((x, i) => [x, b.items[i]!] as [Term, Term]),
        frame,
        k,
      );
    }
    if (a.type === 'object' && b.type === 'object') {
      if (a.entries.length !== b.entries.length) return false;
      const pairs: [Term, Term][] = [];
      for (const [ka, va] of a.entries) {
        const match = b.entries.find(
          ([kb]) => this.isEvaluable(ka, frame) && this.isEvaluable(kb, frame) && this.sameKey(ka, kb, frame),
        );
        if (!match) return false;
        pairs.push([va, match[1]]);
      }
      return this.unifyPairs(pairs, frame, k);
    }
    throw new RegoError('eval_internal_error', 'cannot unify two terms with unbound vars', a.loc);
  }

  private sameKey(a: Term, b: Term, frame: Frame): boolean {
    let same = false;
    this.evalTerm(a, frame, (x) => this.evalTerm(b, frame, (y) => ((same = equals(x, y)), true)));
    return same;
  }

  /** Element-wise unification, each pair once one of its sides can be evaluated. */
  private unifyPairs(pairs: [Term, Term][], frame: Frame, k: K): boolean {
    if (pairs.length === 0) return k();
    const i = pairs.findIndex(
      ([x, y]) =>
        this.isEvaluable(x, frame) ||
        this.isEvaluable(y, frame) ||
        (x.type === y.type && (x.type === 'array' || x.type === 'object')),
    );
    if (i < 0) throw new RegoError('eval_internal_error', 'cannot unify terms with unbound vars', pairs[0]![0].loc);
    const [x, y] = pairs[i]!;
    const rest = [...pairs.slice(0, i), ...pairs.slice(i + 1)];
    return this.unifyTerms(x, y, frame, () => this.unifyPairs(rest, frame, k));
  }

  // ---- queries ------------------------------------------------------------------------------

  /** Runs a compiled query, calling `onResult` with the frame once per solution. */
  evalQuery(q: CompiledQuery, onResult: (frame: Frame) => void): void {
    const frame: Frame = new Array(q.slots);
    this.evalBody(q.body, 0, frame, () => {
      onResult(frame);
      return false;
    });
  }
}
