// Stage CheckTypes: OPA's type checker (v1/ast/check.go). Rules are checked in dependency
// order; in each body, expressions are checked in their (safety) order, so a var's type comes
// from the expression that binds it: an assignment, a builtin's result, a ref's keys. A call
// whose arguments cannot have the types of its signature is a rego_type_error, as are
// assignments of incompatible values and refs into values that have no such member. The type
// of each rule (its value, set, object or function signature) goes into the `data` type tree,
// so calls and refs elsewhere are checked against it. Messages and details are OPA's.
import type { Body, CallTerm, Expr, RefTerm, Rule, Term } from '../ast/nodes.js';
import { lookupBuiltin } from '../builtins/table.js';
import { RegoError } from '../errors.js';
import {
  funcArgsString,
  isNil,
  objectType,
  or,
  type RegoType,
  type StaticProperty,
  select,
  T,
  typeOfValue,
  typeToString,
  unifies,
  valuesOf,
} from '../types.js';
import { checkRef, termText } from './check-refs.js';
import { type FunctionTable, RuleNode } from './rule-tree.js';
import { argError, builtinType } from './signatures.js';
import { constKey, selectPath, type TreeKey, TypeEnv, TypeNode, VarKey } from './type-env.js';

/** An expression's type error, and whether it stems from an unknown type (then an error
 * found inside the expression explains it better, and this one is dropped, as in OPA). */
interface ExprError {
  readonly error: RegoError;
  readonly nilCause: boolean;
}

export class TypeChecker {
  private someKeys = 0;
  /** The ref `xs[k]` that `some k, v in xs` stands for, one per expression. */
  private readonly someRefs = new WeakMap<object, RefTerm>();

  constructor(
    private readonly functions: FunctionTable,
    /** Types of the documents rules produce. */
    readonly data: TypeNode = new TypeNode('data'),
  ) {}

  // ---- rules ------------------------------------------------------------------------------

  /** Checks every rule, dependencies first, and records its type at its path. */
  checkRules(nodes: readonly RuleNode[], errors: RegoError[]): void {
    for (const node of nodes) {
      const rules = [...node.complete, ...node.multi, ...node.dynamic, ...node.funcs];
      if (node.default) rules.push(node.default);
      for (const first of rules) {
        for (let cr: typeof first | undefined = first; cr; cr = cr.else) this.checkRule(node, cr, errors);
      }
    }
  }

  private checkRule(node: RuleNode, cr: RuleNode['complete'][number], errors: RegoError[]): void {
    const rule: Rule = cr.rule;
    const root = new TypeEnv(this.data);
    const { env, errors: errs } = this.checkBody(root, rule.body);
    // OPA moves refs and comprehensions in the head into the body (RewriteRefsInHead).
    const head = [
      ...(rule.args ?? []),
      ...cr.suffix,
      ...(rule.key ? [rule.key] : []),
      ...(rule.value ? [rule.value] : []),
    ];
    errs.push(...this.checkClosures(env, head), ...this.checkRefs(env, head));
    if (errs.length > 0) {
      // Refs to a rule with errors must not raise more errors.
      errors.push(...errs);
      this.data.put(node.path, T.any);
      return;
    }
    let t: RegoType | undefined;
    if (rule.args) {
      for (const a of rule.args) {
        walkVars(a, (name) => {
          if (env.varType(name) === undefined) env.setVar(name, T.any);
        });
      }
      t = { kind: 'function', args: rule.args.map((a) => this.typeOf(env, a)), result: this.typeOf(env, rule.value!) };
    } else if (rule.key !== undefined) {
      // A multi-value rule's set sits at its head ref as written, vars included (as in OPA).
      const key = this.typeOf(env, rule.key);
      if (key !== undefined) this.data.insert([...node.path, ...cr.suffix.map(treeKeyOf)], T.set(key));
      return;
    } else {
      const value = this.typeOf(env, rule.value!);
      t = cr.suffix.length > 0 ? this.nestedObject(env, cr.suffix, value) : value;
    }
    if (t !== undefined) this.data.insert(node.path, t);
  }

  /** The type of a document written at `path` below a rule's node: objects keyed by the path's types. */
  private nestedObject(env: TypeEnv, path: readonly Term[], t: RegoType | undefined): RegoType | undefined {
    for (let i = path.length - 1; i >= 0 && t !== undefined; i--) {
      const key = this.typeOf(env, path[i]!);
      t = key === undefined ? undefined : objectType([], { key, value: t });
    }
    return t;
  }

  /** Checks a query against the types of the policy's rules. */
  checkQuery(body: Body, errors: RegoError[]): void {
    errors.push(...this.checkBody(new TypeEnv(this.data), body).errors);
  }

  // ---- bodies and expressions -------------------------------------------------------------

  checkBody(outer: TypeEnv, body: Body): { env: TypeEnv; errors: RegoError[] } {
    const env = outer.wrap();
    const errors: RegoError[] = [];
    for (const e of body) {
      const terms = this.termsOf(e);
      const closureErrors = this.checkClosures(env, [...terms, ...e.withs.map((w) => w.value)]);
      const refErrors = this.checkRefs(env, terms);
      errors.push(...closureErrors, ...refErrors);
      const err = this.checkExpr(env, e);
      if (err && !(err.nilCause && closureErrors.length + refErrors.length > 0)) errors.push(err.error);
    }
    return { env, errors };
  }

  /** The terms of an expression as OPA's checker sees them (`some v in xs` is `v = xs[k]`). */
  private termsOf(e: Expr): Term[] {
    const x = e.expr;
    switch (x.kind) {
      case 'term':
        return [x.term];
      case 'unify':
      case 'assign':
        return [x.left, x.right];
      case 'somein':
        return [x.value, this.someInRef(x)];
      case 'every':
        return [x.domain];
      default:
        return [];
    }
  }

  private checkClosures(env: TypeEnv, terms: readonly Term[]): RegoError[] {
    const errors: RegoError[] = [];
    for (const c of closuresOf(terms)) errors.push(...this.checkBody(env, c.body).errors);
    return errors;
  }

  private checkRefs(env: TypeEnv, terms: readonly Term[]): RegoError[] {
    const errors: RegoError[] = [];
    const visit = (t: Term): void => {
      switch (t.type) {
        case 'ref': {
          const err = checkRef(
            env,
            t,
            (x) => this.typeOf(env, x),
            (x, tpe) => this.unify1(env, x, tpe, false),
          );
          if (err) errors.push(err);
          visit(t.head);
          t.path.forEach(visit);
          return;
        }
        case 'array':
        case 'set':
          t.items.forEach(visit);
          return;
        case 'object':
          for (const [k, v] of t.entries) visit(k), visit(v);
          return;
        case 'call':
          t.args.forEach(visit);
          return;
      }
    };
    terms.forEach(visit);
    return errors;
  }

  /** `some k, v in xs` is `v = xs[k]` to OPA (with a fresh key var when `k` is not written). */
  private someInRef(x: Extract<Expr['expr'], { kind: 'somein' }>): RefTerm {
    let ref = this.someRefs.get(x);
    if (!ref) {
      const key: Term = x.key ?? { type: 'var', name: `$somekey${this.someKeys++}`, loc: x.value.loc };
      const d = x.domain;
      ref = d.type === 'ref' ? { ...d, path: [...d.path, key] } : { type: 'ref', head: d, path: [key], loc: d.loc };
      this.someRefs.set(x, ref);
    }
    return ref;
  }

  private checkExpr(env: TypeEnv, e: Expr): ExprError | undefined {
    const withError = this.checkWiths(e);
    if (withError) return { error: withError, nilCause: false };
    const x = e.expr;
    switch (x.kind) {
      case 'term':
        return x.term.type === 'call' ? this.checkCall(env, x.term) : undefined;
      case 'unify':
      case 'assign':
        return this.checkEq(env, x.left, x.right, e.loc);
      case 'somein':
        return this.checkEq(env, x.value, this.someInRef(x), e.loc);
      default:
        return undefined;
    }
  }

  /** `with f as g`: both functions must take the same arguments. */
  private checkWiths(e: Expr): RegoError | undefined {
    for (const w of e.withs) {
      if (w.kind !== 'func' || w.replacement === undefined) continue;
      const target = this.functionType(w.func!);
      const value = this.functionType(w.replacement);
      if (target?.kind === 'function' && value?.kind === 'function' && !unifies(target, value))
        return argError(w.loc, w.func!, 'arity mismatch', value.args, funcArgsString(target, true));
    }
    return undefined;
  }

  /** The type of a function by name: a builtin's signature, or a user function's inferred type. */
  private functionType(name: string): RegoType | undefined {
    const target = name.startsWith('data.') ? this.functions.userFunction(name) : undefined;
    if (target) return this.data.typeAt(target.path);
    const b = lookupBuiltin(name);
    return b ? builtinType(b) : undefined;
  }

  private checkCall(env: TypeEnv, call: CallTerm): ExprError | undefined {
    const target = call.fn === undefined ? undefined : this.functions.targets[call.fn];
    const ftpe = target instanceof RuleNode ? this.data.typeAt(target.path) : target && builtinType(target);
    if (ftpe === undefined) {
      const error = new RegoError('rego_type_error', `undefined function ${call.name}`, call.loc);
      return { error, nilCause: false };
    }
    // A function whose rules have type errors: those errors say it all.
    if (ftpe.kind !== 'function') return undefined;
    const args = ftpe.result ? [...ftpe.args, ftpe.result] : ftpe.args;
    const want = funcArgsString(ftpe, true, true);
    const have = () => call.args.map((a) => this.typeOf(env, a));
    if (call.args.length > args.length && !ftpe.variadic) {
      const types = have();
      return { error: argError(call.loc, call.name, 'too many arguments', types, want), nilCause: types.some(isNil) };
    }
    if (call.args.length < ftpe.args.length) {
      const types = have();
      return { error: argError(call.loc, call.name, 'too few arguments', types, want), nilCause: types.some(isNil) };
    }
    for (let i = 0; i < call.args.length; i++) {
      if (!this.unify1(env, call.args[i]!, i < args.length ? args[i] : ftpe.variadic, false)) {
        const types = have();
        const error = argError(call.loc, call.name, 'invalid argument(s)', types, want);
        return { error, nilCause: types.some(isNil) };
      }
    }
    return undefined;
  }

  private checkEq(env: TypeEnv, a: Term, b: Term, loc: Term['loc']): ExprError | undefined {
    const ta = this.typeOf(env, a);
    const tb = this.typeOf(env, b);
    if (this.unify2(env, a, ta, b, tb)) return undefined;
    const error = new RegoError('rego_type_error', 'match error', loc, undefined, [
      `left  : ${typeToString(ta)}`,
      `right : ${typeToString(tb)}`,
    ]);
    return { error, nilCause: isNil(ta) || isNil(tb) };
  }

  // ---- unification of terms with types (OPA's unify1/unify2) ------------------------------

  private unify2(env: TypeEnv, a: Term, ta: RegoType | undefined, b: Term, tb: RegoType | undefined): boolean {
    const nilA = isNil(ta);
    const nilB = isNil(tb);
    if (nilA && !nilB) return this.unify1(env, a, tb, false);
    if (nilB && !nilA) return this.unify1(env, b, ta, false);
    if (!nilA && !nilB) return unifies(ta, tb);
    if (a.type === 'array') return this.unify2Array(env, a, b);
    if (a.type === 'object') return this.unify2Object(env, a, b);
    if (isLocalVar(a)) {
      if (isLocalVar(b)) return this.unify1(env, a, T.any, false) && this.unify1(env, b, this.typeOf(env, a), false);
      if (b.type === 'array') return this.unify2Array(env, b, a);
      if (b.type === 'object') return this.unify2Object(env, b, a);
    }
    return false;
  }

  private unify2Array(env: TypeEnv, a: Extract<Term, { type: 'array' }>, b: Term): boolean {
    if (b.type === 'array') {
      if (a.items.length !== b.items.length) return false;
      return a.items.every((x, i) => {
        const y = b.items[i]!;
        return this.unify2(env, x, this.typeOf(env, x), y, this.typeOf(env, y));
      });
    }
    if (isLocalVar(b)) return this.unify1(env, a, T.any, false) && this.unify1(env, b, this.typeOf(env, a), false);
    return false;
  }

  private unify2Object(env: TypeEnv, a: Extract<Term, { type: 'object' }>, b: Term): boolean {
    if (b.type === 'object') {
      if (a.entries.length !== b.entries.length) return false;
      const pairs: [Term, Term][] = [];
      for (const [k, v] of a.entries) {
        const kv = constKey(k);
        const other = kv === undefined ? undefined : b.entries.find(([bk]) => constKey(bk) === kv);
        if (!other) return false;
        pairs.push([v, other[1]]);
      }
      return pairs.every(([x, y]) => this.unify2(env, x, this.typeOf(env, x), y, this.typeOf(env, y)));
    }
    if (isLocalVar(b)) return this.unify1(env, a, T.any, false) && this.unify1(env, b, this.typeOf(env, a), false);
    return false;
  }

  /** Whether term `t` can have type `tpe`; unknown vars in `t` take their type from it. */
  unify1(env: TypeEnv, t: Term, tpe: RegoType | undefined, union: boolean): boolean {
    switch (t.type) {
      case 'array':
      case 'object':
      case 'set': {
        if (tpe?.kind === 'any') {
          if (!tpe.of || tpe.of.length === 0) {
            for (const x of termChildren(t)) this.unify1(env, x, T.any, true);
            return true;
          }
          let ok = false;
          for (const alt of tpe.of) ok = this.unify1(env, t, alt, true) || ok;
          return ok;
        }
        if (t.type === 'array' && tpe?.kind === 'array') {
          const n = tpe.static?.length ?? 0;
          if (t.items.length !== n && tpe.dynamic === undefined) return false;
          return t.items.every((x, i) => this.unify1(env, x, i < n ? tpe.static![i] : tpe.dynamic, union));
        }
        if (t.type === 'object' && tpe?.kind === 'object') {
          if (t.entries.length !== (tpe.static?.length ?? 0) && tpe.dynamic?.value === undefined) return false;
          for (const [k, v] of t.entries) {
            const kv = constKey(k);
            if (kv === undefined) {
              this.unify1(env, v, T.any, union);
              continue;
            }
            const child = select(tpe, kv);
            if (child === undefined || !this.unify1(env, v, child, union)) return false;
          }
          return true;
        }
        if (t.type === 'set' && tpe?.kind === 'set')
          return t.items.every((x) => this.unify1(env, x, valuesOf(tpe), union));
        return false;
      }
      case 'var': {
        if (!isLocalVar(t)) return unifies(this.typeOf(env, t), tpe);
        if (union) {
          env.setVar(t.name, or(env.varType(t.name), tpe));
          return true;
        }
        const exist = env.varType(t.name);
        if (exist !== undefined) return unifies(exist, tpe);
        env.setVar(t.name, tpe);
        return true;
      }
      default:
        return unifies(this.typeOf(env, t), tpe);
    }
  }

  // ---- types of terms (OPA's TypeEnv.Get) -------------------------------------------------

  typeOf(env: TypeEnv, t: Term): RegoType | undefined {
    switch (t.type) {
      case 'scalar':
        return typeOfValue(t.value);
      case 'var':
        if (t.name === 'data') return this.data.extent();
        if (t.name === 'input') return T.any;
        return env.varType(t.name);
      case 'ref': {
        const head = t.head;
        if (head.type === 'var' && head.name === 'data') return this.data.refType(t.path);
        if (head.type === 'var' && head.name === 'input') return T.any;
        return selectPath(this.typeOf(env, head), t.path);
      }
      case 'array':
        return t.items.length === 0 ? T.array() : { kind: 'array', static: t.items.map((x) => this.typeOf(env, x)!) };
      case 'object': {
        const props: StaticProperty[] = [];
        let dynamic: { key: RegoType | undefined; value: RegoType | undefined } | undefined;
        for (const [k, v] of t.entries) {
          const kv = constKey(k);
          if (kv !== undefined) props.push([kv, this.typeOf(env, v)]);
          else dynamic = { key: this.typeOf(env, k), value: this.typeOf(env, v) };
        }
        if (props.length === 0 && !dynamic) dynamic = { key: T.any, value: T.any };
        return objectType(props, dynamic);
      }
      case 'set': {
        let of: RegoType | undefined;
        for (const x of t.items) of = or(of, this.typeOf(env, x));
        return T.set(of ?? T.any);
      }
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp': {
        const { env: inner, errors } = this.checkBody(env, t.body);
        if (errors.length > 0) return undefined;
        if (t.type === 'arraycomp') return { kind: 'array', dynamic: this.typeOf(inner, t.term) };
        if (t.type === 'setcomp') return { kind: 'set', of: this.typeOf(inner, t.term) };
        return objectType([], { key: this.typeOf(inner, t.key), value: this.typeOf(inner, t.value) });
      }
      default:
        return undefined;
    }
  }
}

function treeKeyOf(t: Term): TreeKey {
  return t.type === 'scalar' ? t.value : new VarKey(termText(t));
}

const isLocalVar = (t: Term): t is Extract<Term, { type: 'var' }> =>
  t.type === 'var' && t.name !== 'data' && t.name !== 'input';

function termChildren(t: Extract<Term, { type: 'array' | 'object' | 'set' }>): Term[] {
  return t.type === 'object' ? t.entries.flat() : t.items;
}

function walkVars(t: Term, f: (name: string) => void): void {
  if (isLocalVar(t)) f(t.name);
  else if (t.type === 'array' || t.type === 'set') for (const x of t.items) walkVars(x, f);
  else if (t.type === 'object') for (const [, v] of t.entries) walkVars(v, f);
}

/** The comprehensions in terms, outside other comprehensions. */
function closuresOf(terms: readonly Term[]): Extract<Term, { body: Body }>[] {
  const out: Extract<Term, { body: Body }>[] = [];
  const visit = (t: Term): void => {
    switch (t.type) {
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp':
        out.push(t);
        return;
      case 'ref':
        visit(t.head);
        t.path.forEach(visit);
        return;
      case 'array':
      case 'set':
        t.items.forEach(visit);
        return;
      case 'object':
        for (const [k, v] of t.entries) visit(k), visit(v);
        return;
      case 'call':
        t.args.forEach(visit);
        return;
    }
  };
  terms.forEach(visit);
  return out;
}
