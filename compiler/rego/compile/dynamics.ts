// Stage RewriteDynamicTerms (OPA's rewriteDynamics): refs used as call arguments or as ref
// indices are bound to fresh vars by expressions placed before the expression that uses them:
//   not banned[input.user.name]   →   __dyn0__ = input.user.name; not banned[__dyn0__]
//   not startswith(input.x, "a")  →   __dyn0__ = input.x; not startswith(__dyn0__, "a")
// The generated expressions are not negated, so an undefined argument makes the body
// undefined instead of making `not` true. OPA rewrites every expression this way; outside a
// negation the rewrite changes no result (an undefined argument or index already makes the
// expression undefined), so only negated expressions are rewritten here, which spares the
// evaluator an extra binding per argument. Runs after safety: the body order is final.
import type { Body, Expr, Rule, Term, VarTerm } from '../ast/nodes.js';
import { headTerms, mapChildren } from './walk.js';

export class DynamicTerms {
  private n = 0;

  /** A rule: its body, and the bodies of comprehensions in its head (OPA moves those into
   * the body first, in RewriteRefsInHead). */
  rule(rule: Rule): void {
    rule.body = this.body(rule.body);
    for (const t of headTerms(rule)) this.closuresIn(t);
  }

  body(body: Body): Body {
    const out: Body = [];
    for (const e of body) {
      const x = e.expr;
      if (x.kind === 'every') x.body = this.body(x.body);
      this.closures(e);
      if (!e.negated) {
        out.push(e);
        continue;
      }
      const pre: Expr[] = [];
      const one = (t: Term) => this.one(t, e, pre);
      if (x.kind === 'term') {
        const t = x.term;
        x.term = t.type === 'call' ? { ...t, args: t.args.map(one) } : this.inTerm(t, e, pre);
      } else if (x.kind === 'unify' || x.kind === 'assign') {
        x.left = this.inTerm(x.left, e, pre);
        x.right = this.inTerm(x.right, e, pre);
      }
      out.push(...pre, e);
    }
    return out;
  }

  /** Comprehension bodies anywhere in the expression get the same rewrite. */
  private closures(e: Expr): void {
    const x = e.expr;
    if (x.kind === 'term') this.closuresIn(x.term);
    else if (x.kind === 'unify' || x.kind === 'assign') this.closuresIn(x.left), this.closuresIn(x.right);
    else if (x.kind === 'somein' || x.kind === 'every') this.closuresIn(x.domain);
  }

  private closuresIn(term: Term): void {
    const visit = (t: Term): void => {
      switch (t.type) {
        case 'arraycomp':
        case 'setcomp':
        case 'objectcomp':
          t.body = this.body(t.body);
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
    visit(term);
  }

  /** A whole term of the expression: a ref keeps its place, its dynamic indices are bound. */
  private inTerm(t: Term, e: Expr, pre: Expr[]): Term {
    if (t.type === 'ref') return { ...t, path: t.path.map((p) => this.one(p, e, pre)) };
    if (t.type === 'arraycomp' || t.type === 'setcomp' || t.type === 'objectcomp') return t;
    return this.one(t, e, pre);
  }

  /** An argument or index: refs and comprehensions become vars bound before the expression. */
  private one(t: Term, e: Expr, pre: Expr[]): Term {
    switch (t.type) {
      case 'ref':
        return this.bind({ ...t, path: t.path.map((p) => this.one(p, e, pre)) }, e, pre);
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp':
        return this.bind(t, e, pre);
      case 'array':
      case 'set':
      case 'object':
        return mapChildren(t, (x) => this.one(x, e, pre));
      default:
        return t;
    }
  }

  private bind(t: Term, e: Expr, pre: Expr[]): VarTerm {
    const v: VarTerm = { type: 'var', name: `__dyn${this.n++}__`, loc: t.loc };
    pre.push({
      expr: { kind: 'unify', left: v, right: t },
      negated: false,
      withs: e.withs,
      loc: t.loc,
      generated: true,
    });
    return v;
  }
}
