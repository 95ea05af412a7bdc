// Stage RewriteLocalVars: every variable gets a name unique within its rule, so later stages
// and the evaluator need no scopes. Scoping follows OPA:
//  - `:=`, `some x`, `some x in xs`, `every x in xs` and function arguments declare a var in
//    their body; a declaration in a closure (comprehension, every) shadows outer vars;
//  - an undeclared var belongs to the outermost body that uses it, so a comprehension shares
//    it with the enclosing body when both use it, and owns it otherwise.
// Declaring a name twice in one body is an error ("var x assigned above").
// The first var of a name keeps it (so query result vars keep their names); later ones are
// renamed `x__1`, `x__2`...
import type { Body, Expr, ExprKind, Rule, Term } from '../ast/nodes.js';
import { RegoError, type Location } from '../errors.js';
import { exprTerms, varNames } from './walk.js';

type Env = ReadonlyMap<string, string>;

const ROOTS = new Set(['input', 'data']);

export class LocalVars {
  private readonly used = new Set<string>();

  constructor(private readonly errors: RegoError[]) {}

  private fresh(name: string): string {
    let out = name;
    for (let i = 1; this.used.has(out); i++) out = `${name}__${i}`;
    this.used.add(out);
    return out;
  }

  rule(rule: Rule): void {
    const env = new Map<string, string>();
    const declared = new Set<string>();
    for (const name of varNames(rule.args ?? [])) {
      env.set(name, this.fresh(name));
      declared.add(name);
    }
    const head = [...rule.ref.slice(1), ...(rule.key ? [rule.key] : []), ...(rule.value ? [rule.value] : [])];
    const { body, extra } = this.scope(rule.body, [...(rule.args ?? []), ...head], env, declared);
    rule.body = body;
    let i = 0;
    if (rule.args) rule.args = extra.slice(0, (i = rule.args.length));
    rule.ref = [rule.ref[0]!, ...extra.slice(i, (i += rule.ref.length - 1))];
    if (rule.key) rule.key = extra[i++];
    if (rule.value) rule.value = extra[i++];
  }

  /** A query keeps its var names (they are the result's bindings). */
  query(body: Body): Body {
    return this.scope(body, [], new Map(), new Set()).body;
  }

  /**
   * Renames one body and the terms that belong to its scope (rule head, comprehension head),
   * given the enclosing scope's names. Returns the rewritten body/terms and the vars it owns.
   */
  private scope(body: Body, extra: Term[], parent: Env, predeclared: ReadonlySet<string>): { body: Body; extra: Term[]; locals: Set<string> } {
    const declared = new Map<string, Location>();
    for (const e of body) {
      for (const [name, loc] of declarations(e.expr)) {
        if (declared.has(name) || predeclared.has(name)) {
          this.errors.push(new RegoError('rego_compile_error', `var ${name} assigned above`, loc));
          continue;
        }
        declared.set(name, loc);
      }
    }
    const env = new Map(parent);
    const locals = new Set<string>();
    for (const name of declared.keys()) {
      const u = this.fresh(name);
      env.set(name, u);
      locals.add(u);
    }
    const usedHere = new Set<string>();
    for (const e of body) for (const t of exprTerms(e)) for (const n of varNames(t, false)) usedHere.add(n);
    for (const e of body) for (const w of e.withs) for (const n of varNames(w.value, false)) usedHere.add(n);
    for (const t of extra) for (const n of varNames(t, false)) usedHere.add(n);
    for (const name of usedHere) {
      if (ROOTS.has(name) || env.has(name)) continue;
      const u = this.fresh(name);
      env.set(name, u);
      locals.add(u);
    }
    return { body: body.map((e) => this.expr(e, env)), extra: extra.map((t) => this.term(t, env)), locals };
  }

  private expr(e: Expr, env: Env): Expr {
    const x = e.expr;
    const t = (term: Term) => this.term(term, env);
    let expr: ExprKind;
    switch (x.kind) {
      case 'term':
        expr = { kind: 'term', term: t(x.term) };
        break;
      case 'unify':
      case 'assign':
        expr = { kind: x.kind, left: t(x.left), right: t(x.right) };
        break;
      case 'some':
        expr = { kind: 'some', vars: x.vars.map((v) => ({ ...v, name: env.get(v.name) ?? v.name })) };
        break;
      case 'somein':
        expr = { kind: 'somein', key: x.key && t(x.key), value: t(x.value), domain: t(x.domain) };
        break;
      case 'every': {
        // Key and value are declared by the every, in a scope around its body.
        const kv = [...(x.key ? [x.key] : []), x.value];
        const names = varNames(kv);
        const inner = this.scope(x.body, kv, env, new Set());
        void names;
        const [key, value] = x.key ? inner.extra : [undefined, inner.extra[0]!];
        expr = { kind: 'every', key, value: value!, domain: t(x.domain), body: inner.body, locals: inner.locals };
        break;
      }
    }
    return { ...e, expr, withs: e.withs.map((w) => ({ ...w, value: t(w.value) })) };
  }

  private term(t: Term, env: Env): Term {
    const r = (x: Term) => this.term(x, env);
    switch (t.type) {
      case 'var':
        return ROOTS.has(t.name) ? t : { ...t, name: env.get(t.name) ?? t.name };
      case 'ref':
        return { ...t, head: r(t.head), path: t.path.map(r) };
      case 'array':
      case 'set':
        return { ...t, items: t.items.map(r) };
      case 'object':
        return { ...t, entries: t.entries.map(([k, v]) => [r(k), r(v)] as [Term, Term]) };
      case 'call':
        return { ...t, args: t.args.map(r) };
      case 'arraycomp':
      case 'setcomp': {
        const inner = this.scope(t.body, [t.term], env, new Set());
        return { ...t, term: inner.extra[0]!, body: inner.body, locals: inner.locals };
      }
      case 'objectcomp': {
        const inner = this.scope(t.body, [t.key, t.value], env, new Set());
        return { ...t, key: inner.extra[0]!, value: inner.extra[1]!, body: inner.body, locals: inner.locals };
      }
      case 'template':
        return { ...t, parts: t.parts.map((p) => (typeof p === 'string' ? p : this.expr(p, env))) };
      default:
        return t;
    }
  }
}

/** The vars an expression declares, with where. */
function declarations(x: ExprKind): [string, Location][] {
  const out: [string, Location][] = [];
  const add = (t: Term) => {
    for (const n of varNames(t, false)) if (!n.startsWith('$')) out.push([n, t.loc]);
  };
  switch (x.kind) {
    case 'assign':
      add(x.left);
      break;
    case 'some':
      for (const v of x.vars) out.push([v.name, v.loc]);
      break;
    case 'somein':
      if (x.key) add(x.key);
      add(x.value);
      break;
  }
  // Wildcards are declared where they appear (each `_` is its own var).
  const wild = (t: Term) => {
    for (const n of varNames(t, false)) if (n.startsWith('$')) out.push([n, t.loc]);
  };
  if (x.kind === 'assign') wild(x.left);
  if (x.kind === 'somein') {
    if (x.key) wild(x.key);
    wild(x.value);
  }
  return out;
}
