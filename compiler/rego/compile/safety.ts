// Stage CheckSafety: reorders each body so that every expression finds its inputs bound, and
// reports the vars that no order can bind (rego_unsafe_var_error), as OPA's
// reorderBodyForSafety does: repeated passes over the body, each appending, in source order,
// the expressions whose inputs are bound by then. Closure bodies (comprehensions, every) are
// reordered afterwards with the vars bound where the closure appears.
import type { Body, Expr, Term } from '../ast/nodes.js';
import { RegoError } from '../errors.js';
import { sourceName } from './local-vars.js';
import { exprTerms, walkTerm } from './walk.js';

/** Number of input arguments of a function or builtin; undefined if unknown. */
export type ArityOf = (name: string) => number | undefined;

const ROOTS = new Set(['input', 'data']);

/** Vars whose values evaluating `t` requires, and vars it binds by iterating refs. */
function evalVars(t: Term, needs: Set<string>, outs: Set<string>): void {
  switch (t.type) {
    case 'var':
      if (!ROOTS.has(t.name)) needs.add(t.name);
      return;
    case 'ref':
      evalVars(t.head, needs, outs);
      for (const p of t.path) {
        if (p.type === 'var') outs.add(p.name);
        else if (p.type === 'array' || p.type === 'object') patternVars(p, outs);
        else evalVars(p, needs, outs);
      }
      return;
    case 'array':
    case 'set':
      for (const x of t.items) evalVars(x, needs, outs);
      return;
    case 'object':
      for (const [k, v] of t.entries) {
        evalVars(k, needs, outs);
        evalVars(v, needs, outs);
      }
      return;
    case 'call':
      for (const a of t.args) evalVars(a, needs, outs);
      return;
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp':
      for (const n of freeVars(t)) needs.add(n);
      return;
  }
}

function patternVars(t: Term, out: Set<string>): void {
  walkTerm(
    t,
    (x) => {
      if (x.type === 'var' && !ROOTS.has(x.name)) out.add(x.name);
    },
    false,
  );
}

/** Vars a closure uses from enclosing scopes: everything it mentions minus what it owns. */
export function freeVars(t: Term | Expr): Set<string> {
  const out = new Set<string>();
  const owned = new Set<string>();
  if ('expr' in t) collectExpr(t, out, owned);
  else collectTerm(t, out, owned);
  for (const n of owned) out.delete(n);
  return out;
}

function collectTerm(t: Term, out: Set<string>, owned: Set<string>): void {
  walkTerm(t, (x) => {
    if (x.type === 'var' && !ROOTS.has(x.name)) out.add(x.name);
    if (x.type === 'arraycomp' || x.type === 'setcomp' || x.type === 'objectcomp') {
      for (const n of x.locals ?? []) owned.add(n);
      for (const e of x.body) if (e.expr.kind === 'every') collectExpr(e, out, owned);
    }
  });
}

function collectExpr(e: Expr, out: Set<string>, owned: Set<string>): void {
  for (const t of exprTerms(e)) collectTerm(t, out, owned);
  for (const w of e.withs) collectTerm(w.value, out, owned);
  if (e.expr.kind === 'every') {
    for (const n of e.expr.locals ?? []) owned.add(n);
    for (const inner of e.expr.body) collectExpr(inner, out, owned);
  }
}

function evaluable(t: Term, bound: ReadonlySet<string>): { ok: boolean; outs: Set<string>; missing: Set<string> } {
  const needs = new Set<string>();
  const outs = new Set<string>();
  evalVars(t, needs, outs);
  const missing = new Set([...needs].filter((n) => !bound.has(n)));
  return { ok: missing.size === 0, outs, missing };
}

type Analysis = { ok: true; outs: Set<string> } | { ok: false; missing: Set<string> };

/** Whether `a = b` can run with `bound`, and what it binds. */
function unifyVars(a: Term, b: Term, bound: ReadonlySet<string>): Analysis {
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    const ex = evaluable(x, bound);
    if (ex.ok) {
      const after = new Set([...bound, ...ex.outs]);
      const py = patternAnalysis(y, after);
      if (py.ok) return { ok: true, outs: new Set([...ex.outs, ...py.outs]) };
    }
  }
  // Element-wise: [x, 1] = [2, y].
  if (a.type === 'array' && b.type === 'array' && a.items.length === b.items.length) {
    return pairwise(
      a.items.map((x, i) => [x, b.items[i]!] as [Term, Term]),
      bound,
    );
  }
  if (a.type === 'object' && b.type === 'object' && a.entries.length === b.entries.length) {
    return pairwise(
      a.entries.map(([, v], i) => [v, b.entries[i]![1]] as [Term, Term]),
      bound,
    );
  }
  const missing = new Set<string>();
  for (const t of [a, b]) {
    const needs = new Set<string>();
    evalVars(t, needs, new Set());
    for (const n of needs) if (!bound.has(n)) missing.add(n);
  }
  return { ok: false, missing };
}

function pairwise(pairs: [Term, Term][], bound: ReadonlySet<string>): Analysis {
  const current = new Set(bound);
  const outs = new Set<string>();
  let pending = pairs;
  while (pending.length > 0) {
    const next: [Term, Term][] = [];
    for (const [x, y] of pending) {
      const r = unifyVars(x, y, current);
      if (r.ok) for (const n of r.outs) current.add(n), outs.add(n);
      else next.push([x, y]);
    }
    if (next.length === pending.length) return unifyVars(next[0]![0], next[0]![1], current);
    pending = next;
  }
  return { ok: true, outs };
}

/** A unification target: plain vars get bound; anything else must be evaluable. */
function patternAnalysis(t: Term, bound: ReadonlySet<string>): Analysis {
  switch (t.type) {
    case 'var':
      return { ok: true, outs: ROOTS.has(t.name) || bound.has(t.name) ? new Set() : new Set([t.name]) };
    case 'scalar':
      return { ok: true, outs: new Set() };
    case 'array':
      return pairwisePatterns(t.items, bound);
    case 'object': {
      for (const [k] of t.entries) {
        const ek = evaluable(k, bound);
        if (!ek.ok) return { ok: false, missing: ek.missing };
      }
      return pairwisePatterns(
        t.entries.map(([, v]) => v),
        bound,
      );
    }
    default: {
      const e = evaluable(t, bound);
      return e.ok ? { ok: true, outs: e.outs } : { ok: false, missing: e.missing };
    }
  }
}

function pairwisePatterns(items: Term[], bound: ReadonlySet<string>): Analysis {
  const current = new Set(bound);
  const outs = new Set<string>();
  for (const x of items) {
    const r = patternAnalysis(x, current);
    if (!r.ok) return r;
    for (const n of r.outs) current.add(n), outs.add(n);
  }
  return { ok: true, outs };
}

export class Safety {
  constructor(
    private readonly arity: ArityOf,
    private readonly errors: RegoError[],
  ) {}

  private analyze(e: Expr, bound: ReadonlySet<string>): Analysis {
    const missing = new Set<string>();
    for (const w of e.withs) {
      if (w.replacement !== undefined) continue; // a function name, not a value
      const ev = evaluable(w.value, bound);
      for (const n of ev.missing) missing.add(n);
    }
    if (missing.size > 0) return { ok: false, missing };
    const r = this.analyzeKind(e, bound);
    if (!r.ok || !e.negated) return r;
    // A negated expression binds nothing: every var in it must be bound before (OPA's
    // outputVarsForExpr). So `not a[_] == 1` is unsafe, as in OPA: `_` would be iterated
    // inside the negation, and what it means ("no element" or "some element") is ambiguous.
    const unbound = [...r.outs].filter((n) => !bound.has(n));
    return unbound.length > 0 ? { ok: false, missing: new Set(unbound) } : { ok: true, outs: new Set() };
  }

  private analyzeKind(e: Expr, bound: ReadonlySet<string>): Analysis {
    const x = e.expr;
    switch (x.kind) {
      case 'some':
        return { ok: true, outs: new Set() };
      case 'unify':
      case 'assign':
        return unifyVars(x.left, x.right, bound);
      case 'somein': {
        const d = evaluable(x.domain, bound);
        if (!d.ok) return { ok: false, missing: d.missing };
        const after = new Set([...bound, ...d.outs]);
        const p = pairwisePatterns(x.key ? [x.key, x.value] : [x.value], after);
        return p.ok ? { ok: true, outs: new Set([...d.outs, ...p.outs]) } : p;
      }
      case 'every': {
        const d = evaluable(x.domain, bound);
        const missing = new Set([...d.missing, ...[...freeVars(e)].filter((n) => !bound.has(n) && !d.outs.has(n))]);
        // The every's own key/value are owned by it; the domain's vars are accounted above.
        for (const n of x.locals ?? []) missing.delete(n);
        return missing.size === 0 ? { ok: true, outs: d.outs } : { ok: false, missing };
      }
      case 'term': {
        const t = x.term;
        if (t.type !== 'call') {
          const ev = evaluable(t, bound);
          return ev.ok ? { ok: true, outs: ev.outs } : { ok: false, missing: ev.missing };
        }
        const n = this.arity(t.name);
        const inputs = n !== undefined && t.args.length === n + 1 ? t.args.slice(0, n) : t.args;
        const output = inputs.length < t.args.length ? t.args[t.args.length - 1] : undefined;
        // Arguments are evaluated in an order where each finds its vars bound, so in
        // `x == a[x]` the ref (which binds x) goes first.
        const outs = new Set<string>();
        const order: number[] = [];
        let pending = inputs.map((_, i) => i);
        while (pending.length > 0) {
          const after = new Set([...bound, ...outs]);
          const ready = pending.filter((i) => evaluable(inputs[i]!, after).ok);
          if (ready.length === 0) break;
          const first = ready[0]!;
          order.push(first);
          for (const o of evaluable(inputs[first]!, after).outs) outs.add(o);
          pending = pending.filter((i) => i !== first);
        }
        if (pending.length > 0) {
          const after = new Set([...bound, ...outs]);
          const missing = new Set<string>();
          for (const i of pending) for (const m of evaluable(inputs[i]!, after).missing) missing.add(m);
          return { ok: false, missing };
        }
        if (order.some((v, i) => v !== i)) t.argOrder = order;
        if (output) {
          const p = patternAnalysis(output, new Set([...bound, ...outs]));
          if (!p.ok) return p;
          for (const o of p.outs) outs.add(o);
        }
        return { ok: true, outs };
      }
    }
  }

  /**
   * Reorders `body` given the vars bound on entry; returns the new order and the vars bound
   * at its end. Reports unsafe vars once per expression that cannot be placed.
   */
  reorder(body: Body, entry: ReadonlySet<string>): { body: Body; bound: Set<string> } {
    localizeClosureVars(body, entry);
    const bound = new Set(entry);
    const out: Body = [];
    let pending = body;
    while (pending.length > 0) {
      const next: Body = [];
      for (const e of pending) {
        const r = this.analyze(e, bound);
        if (r.ok) {
          out.push(e);
          for (const n of r.outs) bound.add(n);
        } else next.push(e);
      }
      if (next.length === pending.length) {
        for (const e of next) {
          const r = this.analyze(e, bound);
          if (!r.ok)
            for (const n of [...r.missing].sort())
              this.errors.push(new RegoError('rego_unsafe_var_error', `var ${sourceName(n)} is unsafe`, e.loc));
        }
        out.push(...next);
        break;
      }
      pending = next;
    }
    // Closures see the vars bound where they appear.
    const seen = new Set(entry);
    for (const e of out) {
      this.closures(e, seen);
      const r = this.analyze(e, seen);
      if (r.ok) for (const n of r.outs) seen.add(n);
    }
    return { body: out, bound };
  }

  private closures(e: Expr, bound: ReadonlySet<string>): void {
    const visit = (t: Term) => {
      if (t.type === 'arraycomp' || t.type === 'setcomp' || t.type === 'objectcomp') {
        const { body, bound: inner } = this.reorder(t.body, bound);
        t.body = body;
        const head = t.type === 'objectcomp' ? [t.key, t.value] : [t.term];
        this.checkHead(head, inner, t.loc);
      }
    };
    for (const t of exprTerms(e)) walkTerm(t, visit, false);
    for (const w of e.withs) walkTerm(w.value, visit, false);
    if (e.expr.kind === 'every') {
      const kv = new Set(bound);
      for (const n of e.expr.locals ?? []) if (this.isEveryKeyValue(e, n)) kv.add(n);
      e.expr.body = this.reorder(e.expr.body, kv).body;
    }
  }

  private isEveryKeyValue(e: Expr, name: string): boolean {
    if (e.expr.kind !== 'every') return false;
    const names = new Set<string>();
    for (const t of e.expr.key ? [e.expr.key, e.expr.value] : [e.expr.value]) patternVars(t, names);
    return names.has(name);
  }

  /** Head terms must be computable from the body's bindings. */
  checkHead(terms: readonly Term[], bound: ReadonlySet<string>, loc: Expr['loc']): void {
    const missing = new Set<string>();
    for (const t of terms) for (const n of evaluable(t, bound).missing) missing.add(n);
    for (const n of [...missing].sort())
      this.errors.push(new RegoError('rego_unsafe_var_error', `var ${sourceName(n)} is unsafe`, loc));
  }
}

/**
 * A closure closes over a var only if the enclosing body uses it outside closures (or it is
 * bound on entry); otherwise the var is the closure's own, even when the body declared it
 * with `some` (OPA's reorderBodyForClosures intersects a closure's vars with the body's, and
 * `some x` leaves nothing in the body). So in `some i; n := {x | x := a[i]}` the
 * comprehension iterates i itself.
 */
function localizeClosureVars(body: Body, entry: ReadonlySet<string>): void {
  const outside = new Set<string>();
  const closures: { source: Term | Expr; owner: { locals?: Set<string> } }[] = [];
  const visit = (t: Term) => {
    if (t.type === 'var') outside.add(t.name);
    else if (t.type === 'arraycomp' || t.type === 'setcomp' || t.type === 'objectcomp')
      closures.push({ source: t, owner: t });
  };
  for (const e of body) {
    const x = e.expr;
    if (x.kind === 'some') continue;
    if (x.kind === 'every') {
      walkTerm(x.domain, visit, false);
      closures.push({ source: e, owner: x });
    } else for (const t of exprTerms(e)) walkTerm(t, visit, false);
    for (const w of e.withs) walkTerm(w.value, visit, false);
  }
  for (const { source, owner } of closures) {
    for (const n of freeVars(source)) {
      if (entry.has(n) || outside.has(n)) continue;
      (owner.locals ??= new Set()).add(n);
    }
  }
}
