// Part of stage AllocateSlots: every term, expression and `with` of a compiled body is rebuilt
// with all the fields its family can have, in one order. The evaluator reads the same fields
// (`type`, `slot`, `path`...) of every node it meets; when all nodes share one hidden class,
// V8 keeps those reads monomorphic, which more than halves the cost of walking the tree. The
// stages before build nodes by spreading (`{...t, args}`), which gives each variant its own
// class. Shared nodes stay shared (a rule's head ref and its dynamic suffix are the same terms).
import type { Body, Expr, ExprKind, Term, With } from '../ast/nodes.js';

export class Shapes {
  private readonly memo = new Map<object, object>();

  term(t: Term): Term {
    const hit = this.memo.get(t);
    if (hit) return hit as Term;
    const x = t as Partial<Record<string, unknown>> & Term;
    const out = {
      type: x.type,
      value: undefined as unknown,
      name: x.name as string | undefined,
      slot: x.slot as number | undefined,
      head: undefined as Term | undefined,
      path: undefined as Term[] | undefined,
      keys: x.keys,
      constPath: x.constPath,
      pathKey: x.pathKey,
      items: undefined as Term[] | undefined,
      entries: undefined as [Term, Term][] | undefined,
      args: undefined as Term[] | undefined,
      fn: x.fn,
      arity: x.arity,
      withOutput: x.withOutput,
      argOrder: x.argOrder,
      infix: x.infix,
      term: undefined as Term | undefined,
      key: undefined as Term | undefined,
      body: undefined as Body | undefined,
      locals: x.locals,
      parts: undefined as (string | Expr)[] | undefined,
      loc: x.loc,
    };
    this.memo.set(t, out);
    switch (t.type) {
      case 'scalar':
        out.value = t.value;
        break;
      case 'ref':
        out.head = this.term(t.head);
        out.path = t.path.map((p) => this.term(p));
        break;
      case 'array':
      case 'set':
        out.value = t.value;
        out.items = t.items.map((i) => this.term(i));
        break;
      case 'object':
        out.value = t.value;
        out.entries = t.entries.map(([k, v]) => [this.term(k), this.term(v)]);
        break;
      case 'call':
        out.args = t.args.map((a) => this.term(a));
        break;
      case 'arraycomp':
      case 'setcomp':
        out.term = this.term(t.term);
        out.body = this.body(t.body);
        break;
      case 'objectcomp':
        out.key = this.term(t.key);
        out.value = this.term(t.value);
        out.body = this.body(t.body);
        break;
      case 'template':
        out.parts = t.parts.map((p) => (typeof p === 'string' ? p : this.expr(p)));
        break;
    }
    return out as unknown as Term;
  }

  body(b: Body): Body {
    return b.map((e) => this.expr(e));
  }

  private expr(e: Expr): Expr {
    const x = e.expr as Partial<Record<string, unknown>> & ExprKind;
    const t = (v: unknown) => (v === undefined ? undefined : this.term(v as Term));
    const kind = {
      kind: x.kind,
      term: t(x.term),
      left: t(x.left),
      right: t(x.right),
      vars: x.kind === 'some' ? x.vars.map((v) => this.term(v)) : undefined,
      key: t(x.key),
      value: t(x.value),
      domain: t(x.domain),
      body: x.kind === 'every' ? this.body(x.body) : undefined,
      locals: x.locals,
    };
    return {
      expr: kind as unknown as ExprKind,
      negated: e.negated,
      withs: e.withs.map((w) => this.with(w)),
      loc: e.loc,
      generated: e.generated,
      text: e.text,
      capture: e.capture,
    };
  }

  private with(w: With): With {
    return {
      target: this.term(w.target) as With['target'],
      value: this.term(w.value),
      loc: w.loc,
      kind: w.kind,
      path: w.path,
      func: w.func,
      replacement: w.replacement,
    };
  }
}
