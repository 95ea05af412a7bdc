// Stage RewriteExprTerms: calls nested in terms are lifted into their own expressions before
// the one that used them, so the evaluator only meets calls at the top of an expression:
//   x := count(a) + 1   →   count(a, t1); plus(t1, 1, t2); x = t2
// (a unification with a call on one side becomes that call with an output argument). As in
// OPA, lifted expressions keep the `with` modifiers of their origin and are not negated: in
// `not f(x) == 1` an undefined `f(x)` makes the body undefined. Calls in a rule head or a
// comprehension head are lifted to the end of its body.
import type { Body, Expr, ExprKind, Rule, Term, VarTerm } from '../ast/nodes.js';
import { mapChildren } from './walk.js';

export class ExprTerms {
  private n = 0;

  private fresh(t: Term): VarTerm {
    return { type: 'var', name: `__local${this.n++}__`, loc: t.loc };
  }

  rule(rule: Rule): void {
    const locals = new Set<string>();
    const tail: Expr[] = [];
    const lift = (t: Term) => this.lift(t, tail, [], locals);
    // A computed argument (`f($"{x}")`) is checked after the body, against the bound argument.
    if (rule.args) rule.args = rule.args.map(lift);
    rule.ref = [rule.ref[0]!, ...rule.ref.slice(1).map(lift)];
    if (rule.key) rule.key = lift(rule.key);
    if (rule.value) rule.value = lift(rule.value);
    rule.body = [...this.body(rule.body, locals), ...tail];
  }

  /** Rewrites a body; vars generated for it are added to `locals` (its owner's vars). */
  body(body: Body, locals: Set<string>): Body {
    const out: Body = [];
    for (const e of body) out.push(...this.expr(e, locals));
    return out;
  }

  private expr(e: Expr, locals: Set<string>): Expr[] {
    const before: Expr[] = [];
    // With values are computed before the expression, without its modifiers.
    const withs = e.withs.map((w) => ({ ...w, value: this.lift(w.value, before, [], locals) }));
    const pre: Expr[] = [];
    const lift = (t: Term) => this.lift(t, pre, withs, locals);
    const x = e.expr;
    let expr: ExprKind;
    switch (x.kind) {
      case 'term':
        expr =
          x.term.type === 'call'
            ? { kind: 'term', term: { ...x.term, args: x.term.args.map(lift) } }
            : { kind: 'term', term: lift(x.term) };
        break;
      case 'unify':
      case 'assign': {
        const call =
          !e.negated && x.left.type === 'call' && x.right.type !== 'call'
            ? x.left
            : !e.negated && x.right.type === 'call' && x.left.type !== 'call'
              ? x.right
              : undefined;
        if (call) {
          const other = call === x.left ? x.right : x.left;
          const args = call.args.map(lift);
          expr = { kind: 'term', term: { ...call, args: [...args, lift(other)], withOutput: true } };
        } else {
          expr = { kind: x.kind, left: lift(x.left), right: lift(x.right) };
        }
        break;
      }
      case 'some':
        expr = x;
        break;
      case 'somein':
        expr = { kind: 'somein', key: x.key && lift(x.key), value: lift(x.value), domain: lift(x.domain) };
        break;
      case 'every': {
        const inner = x.locals ?? new Set<string>();
        expr = { ...x, domain: lift(x.domain), body: this.body(x.body, inner), locals: inner };
        break;
      }
    }
    return [...before, ...pre, { ...e, expr, withs }];
  }

  /** Replaces calls inside `t` by fresh vars, appending the lifted calls to `pre`. */
  private lift(t: Term, pre: Expr[], withs: Expr['withs'], locals: Set<string>): Term {
    const r = (x: Term) => this.lift(x, pre, withs, locals);
    switch (t.type) {
      case 'call': {
        const args = t.args.map(r);
        const out = this.fresh(t);
        locals.add(out.name);
        pre.push({
          expr: { kind: 'term', term: { ...t, args: [...args, out], withOutput: true } },
          negated: false,
          withs,
          loc: t.loc,
          generated: true,
        });
        return out;
      }
      case 'ref':
      case 'array':
      case 'set':
      case 'object':
        return mapChildren(t, r);
      case 'arraycomp':
      case 'setcomp': {
        const inner = t.locals ?? new Set<string>();
        const tail: Expr[] = [];
        const term = this.lift(t.term, tail, [], inner);
        return { ...t, term, body: [...this.body(t.body, inner), ...tail], locals: inner };
      }
      case 'objectcomp': {
        const inner = t.locals ?? new Set<string>();
        const tail: Expr[] = [];
        const key = this.lift(t.key, tail, [], inner);
        const value = this.lift(t.value, tail, [], inner);
        return { ...t, key, value, body: [...this.body(t.body, inner), ...tail], locals: inner };
      }
      default:
        return t;
    }
  }
}
