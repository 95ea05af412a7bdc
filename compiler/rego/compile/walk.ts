// Generic traversals of terms and bodies, used by the compiler stages.
import type { Body, Expr, Rule, Term, VarTerm } from '../ast/nodes.js';

/** Visits every term (pre-order), descending into closures unless `closures` is false. */
export function walkTerm(t: Term, visit: (t: Term) => void, closures = true): void {
  visit(t);
  switch (t.type) {
    case 'ref':
      walkTerm(t.head, visit, closures);
      for (const p of t.path) walkTerm(p, visit, closures);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) walkTerm(x, visit, closures);
      return;
    case 'object':
      for (const [k, v] of t.entries) {
        walkTerm(k, visit, closures);
        walkTerm(v, visit, closures);
      }
      return;
    case 'call':
      for (const a of t.args) walkTerm(a, visit, closures);
      return;
    case 'arraycomp':
    case 'setcomp':
      if (!closures) return;
      walkTerm(t.term, visit, closures);
      walkBody(t.body, visit, closures);
      return;
    case 'objectcomp':
      if (!closures) return;
      walkTerm(t.key, visit, closures);
      walkTerm(t.value, visit, closures);
      walkBody(t.body, visit, closures);
      return;
    case 'template':
      for (const p of t.parts) if (typeof p !== 'string') walkExpr(p, visit, closures);
      return;
  }
}

export function exprTerms(e: Expr): Term[] {
  const x = e.expr;
  switch (x.kind) {
    case 'term':
      return [x.term];
    case 'unify':
    case 'assign':
      return [x.left, x.right];
    case 'some':
      return x.vars;
    case 'somein':
      return x.key ? [x.key, x.value, x.domain] : [x.value, x.domain];
    case 'every':
      return x.key ? [x.key, x.value, x.domain] : [x.value, x.domain];
  }
}

export function walkExpr(e: Expr, visit: (t: Term) => void, closures = true): void {
  for (const t of exprTerms(e)) walkTerm(t, visit, closures);
  if (e.expr.kind === 'every' && closures) walkBody(e.expr.body, visit, closures);
  for (const w of e.withs) {
    walkTerm(w.target, visit, closures);
    walkTerm(w.value, visit, closures);
  }
}

export function walkBody(b: Body, visit: (t: Term) => void, closures = true): void {
  for (const e of b) walkExpr(e, visit, closures);
}

export function headTerms(r: Rule): Term[] {
  const out: Term[] = [...r.ref.slice(1)];
  if (r.args) out.push(...r.args);
  if (r.key) out.push(r.key);
  if (r.value) out.push(r.value);
  return out;
}

/** Names of the vars in a term (closures included). */
export function varNames(t: Term | readonly Term[], closures = true): Set<string> {
  const out = new Set<string>();
  const visit = (x: Term) => {
    if (x.type === 'var') out.add(x.name);
  };
  for (const term of Array.isArray(t) ? t : [t as Term]) walkTerm(term, visit, closures);
  return out;
}

export function isVar(t: Term): t is VarTerm {
  return t.type === 'var';
}

type CollectionTerm = Extract<Term, { type: 'ref' | 'array' | 'set' | 'object' }>;

/** A ref, array, set or object with `m` applied to each direct child term. */
export function mapChildren(t: CollectionTerm, m: (t: Term) => Term): Term {
  switch (t.type) {
    case 'ref':
      return { ...t, head: m(t.head), path: t.path.map(m) };
    case 'array':
    case 'set':
      return { ...t, items: t.items.map(m) };
    case 'object':
      return { ...t, entries: t.entries.map(([k, v]) => [m(k), m(v)] as [Term, Term]) };
  }
}

/** Rewrites terms bottom-up: `f` returns a replacement or undefined to keep the node. */
export function mapTerm(t: Term, f: (t: Term) => Term | undefined): Term {
  let out: Term;
  switch (t.type) {
    case 'ref':
    case 'array':
    case 'set':
    case 'object':
      out = mapChildren(t, (x) => mapTerm(x, f));
      break;
    case 'call':
      out = { ...t, args: t.args.map((a) => mapTerm(a, f)) };
      break;
    case 'arraycomp':
    case 'setcomp':
      out = { ...t, term: mapTerm(t.term, f), body: mapBody(t.body, f) };
      break;
    case 'objectcomp':
      out = { ...t, key: mapTerm(t.key, f), value: mapTerm(t.value, f), body: mapBody(t.body, f) };
      break;
    case 'template':
      out = { ...t, parts: t.parts.map((p) => (typeof p === 'string' ? p : mapExpr(p, f))) };
      break;
    default:
      out = t;
  }
  return f(out) ?? out;
}

export function mapExpr(e: Expr, f: (t: Term) => Term | undefined): Expr {
  const x = e.expr;
  const m = (t: Term) => mapTerm(t, f);
  let expr: Expr['expr'];
  switch (x.kind) {
    case 'term':
      expr = { kind: 'term', term: m(x.term) };
      break;
    case 'unify':
    case 'assign':
      expr = { kind: x.kind, left: m(x.left), right: m(x.right) };
      break;
    case 'some':
      expr = { kind: 'some', vars: x.vars.map((v) => m(v) as VarTerm) };
      break;
    case 'somein':
      expr = { kind: 'somein', key: x.key && m(x.key), value: m(x.value), domain: m(x.domain) };
      break;
    case 'every':
      expr = {
        kind: 'every',
        key: x.key && m(x.key),
        value: m(x.value),
        domain: m(x.domain),
        body: mapBody(x.body, f),
      };
      break;
  }
  return {
    ...e,
    expr,
    withs: e.withs.map((w) => ({ ...w, target: m(w.target) as typeof w.target, value: m(w.value) })),
  };
}

export function mapBody(b: Body, f: (t: Term) => Term | undefined): Body {
  return b.map((e) => mapExpr(e, f));
}
