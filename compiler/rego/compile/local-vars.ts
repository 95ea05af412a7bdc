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
import { calleeName } from '../ast/parse-terms.js';
import { lookupBuiltin } from '../builtins/table.js';
import { RegoError, type Location } from '../errors.js';
import { exprTerms, mapChildren, varNames, walkExpr } from './walk.js';

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
    const head = [...rule.ref.slice(1), ...(rule.key ? [rule.key] : []), ...(rule.value ? [rule.value] : [])];
    const { body, extra } = this.scope(
      rule.body,
      [...(rule.args ?? []), ...head],
      new Map(),
      varNames(rule.args ?? [], false),
    );
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
  private scope(
    body: Body,
    extra: Term[],
    parent: Env,
    predeclared: ReadonlySet<string>,
  ): { body: Body; extra: Term[]; locals: Set<string> } {
    // `predeclared`: vars declared on entry (function arguments, every's key and value).
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
    // Undeclared vars used at this level belong here (unless an enclosing scope has them).
    const env = new Map(parent);
    const locals = new Set<string>();
    const usedHere = new Set<string>();
    for (const e of body) {
      // An every's key and value belong to its own scope; only the domain is used here.
      const terms = e.expr.kind === 'every' ? [e.expr.domain] : exprTerms(e);
      for (const t of terms) for (const n of varNames(t, false)) usedHere.add(n);
      for (const w of e.withs) if (!namesBuiltin(w.value)) for (const n of varNames(w.value, false)) usedHere.add(n);
    }
    for (const t of extra) for (const n of varNames(t, false)) usedHere.add(n);
    for (const name of predeclared) this.declare(name, env, locals);
    for (const name of usedHere) {
      if (ROOTS.has(name) || env.has(name) || declared.has(name) || predeclared.has(name)) continue;
      this.declare(name, env, locals);
    }
    // Declarations take effect where they are written: a closure before `x := ...` does not
    // see that x (OPA renames declared vars as it reaches them).
    const out: Body = [];
    for (const e of body) {
      const decl = declarations(e.expr).map(([n]) => n);
      let done = false;
      out.push(
        this.expr(e, env, () => {
          if (done) return;
          done = true;
          for (const n of decl) this.declare(n, env, locals);
        }),
      );
    }
    const renamedExtra = extra.map((t) => this.term(t, env));
    this.checkSomeUsed(out, renamedExtra);
    return { body: out, extra: renamedExtra, locals };
  }

  /** As in OPA, a var declared with `some x` and used nowhere (body, closures, head) is an error. */
  private checkSomeUsed(body: Body, extra: readonly Term[]): void {
    for (const e of body) {
      if (e.expr.kind !== 'some') continue;
      const used = varNames(extra);
      for (const other of body) {
        if (other === e) continue;
        walkExpr(other, (t) => t.type === 'var' && used.add(t.name));
      }
      for (const v of e.expr.vars) {
        if (!used.has(v.name))
          this.errors.push(new RegoError('rego_compile_error', `declared var ${sourceName(v.name)} unused`, e.loc));
      }
    }
  }

  private declare(name: string, env: Map<string, string>, locals: Set<string>): void {
    const u = this.fresh(name);
    env.set(name, u);
    locals.add(u);
  }

  /** Renames one expression; `declare` (idempotent) adds its declarations to `env` at the right moment. */
  private expr(e: Expr, env: Env, declare: () => void = () => {}): Expr {
    const x = e.expr;
    const t = (term: Term) => this.term(term, env);
    const withs = e.withs.map((w) => (namesBuiltin(w.value) ? w : { ...w, value: t(w.value) }));
    let expr: ExprKind;
    switch (x.kind) {
      case 'term':
        expr = { kind: 'term', term: t(x.term) };
        break;
      case 'unify':
        expr = { kind: x.kind, left: t(x.left), right: t(x.right) };
        break;
      case 'assign': {
        const right = t(x.right);
        declare();
        expr = { kind: x.kind, left: t(x.left), right };
        break;
      }
      case 'some':
        declare();
        expr = { kind: 'some', vars: x.vars.map((v) => ({ ...v, name: env.get(v.name) ?? v.name })) };
        break;
      case 'somein': {
        const domain = t(x.domain);
        declare();
        expr = { kind: 'somein', key: x.key && t(x.key), value: t(x.value), domain };
        break;
      }
      case 'every': {
        // Key and value are declared by the every, in a scope around its body.
        const kv = [...(x.key ? [x.key] : []), x.value];
        const inner = this.scope(x.body, kv, env, varNames(kv));
        const [key, value] = x.key ? inner.extra : [undefined, inner.extra[0]!];
        expr = { kind: 'every', key, value: value!, domain: t(x.domain), body: inner.body, locals: inner.locals };
        break;
      }
    }
    declare();
    return { ...e, expr, withs };
  }

  private term(t: Term, env: Env): Term {
    const r = (x: Term) => this.term(x, env);
    switch (t.type) {
      case 'var':
        return ROOTS.has(t.name) ? t : { ...t, name: env.get(t.name) ?? t.name };
      case 'ref':
      case 'array':
      case 'set':
      case 'object':
        return mapChildren(t, r);
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

/** `with f as count`: a value naming a builtin is that function, not a var. */
function namesBuiltin(t: Term): boolean {
  const name = calleeName(t);
  return name !== undefined && lookupBuiltin(name) !== undefined;
}

/** The name a var had in the source: `x__2` → `x`, wildcards (`$3`) → `_`. */
export function sourceName(n: string): string {
  return n.startsWith('$') ? '_' : n.replace(/__\d+$/, '');
}
