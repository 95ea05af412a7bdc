// Query stage RewriteToCaptureValue (as OPA's rego package does for `opa eval`): the value of
// each top-level expression is captured into a var so it can be reported, and a false value
// is a result rather than no result when the query is a single expression:
//   data.k8s.allow   →   data.k8s.allow = __capture0__
//   1 == 2           →   equal(1, 2, __capture0__)
// When the query has several expressions or iterates, a check that the captured value is not
// false is appended, so the query means what it says.
import type { Body, Expr, Term } from '../ast/nodes.js';
import type { ArityOf } from './safety.js';
import { walkTerm } from './walk.js';

function iterates(body: Body): boolean {
  let found = false;
  for (const e of body) {
    const terms =
      e.expr.kind === 'term'
        ? [e.expr.term]
        : e.expr.kind === 'unify' || e.expr.kind === 'assign'
          ? [e.expr.left, e.expr.right]
          : [];
    for (const t of terms)
      walkTerm(
        t,
        (x) => {
          if (x.type === 'ref' && x.path.some((p) => p.type === 'var')) found = true;
        },
        false,
      );
  }
  return found;
}

export function captureValues(body: Body, arity: ArityOf): Body {
  const check = iterates(body) || body.length > 1;
  const out: Body = [];
  const checks: Body = [];
  body.forEach((e, i) => {
    if (e.negated || e.expr.kind !== 'term') {
      out.push(e);
      return;
    }
    const name = `__capture${i}__`;
    const v: Term = { type: 'var', name, loc: e.loc };
    const t = e.expr.term;
    let rewritten: Expr;
    if (t.type === 'call') {
      if (arity(t.name) !== t.args.length) {
        out.push(e);
        return;
      }
      rewritten = { ...e, expr: { kind: 'term', term: { ...t, args: [...t.args, v] } }, capture: name };
    } else {
      rewritten = { ...e, expr: { kind: 'unify', left: t, right: v }, capture: name };
    }
    out.push(rewritten);
    if (check) checks.push({ expr: { kind: 'term', term: v }, negated: false, withs: [], loc: e.loc, generated: true });
  });
  return [...out, ...checks];
}
