// Stages RewritePrintCalls and RewriteTemplateStrings: both turn each operand into a set
// comprehension `{v | v = operand}`, so an undefined operand yields an empty set (printed as
// `<undefined>`) instead of making the whole expression undefined.
//   print(a, b)      → internal.print([{v1 | v1 = a}, {v2 | v2 = b}])
//   $"x {a} y"       → internal.template_string(["x ", {v | v = a}, " y"])
import type { Body, Expr, SetComprehension, Term } from '../ast/nodes.js';
import type { Location } from '../errors.js';
import { mapBody } from './walk.js';

export class Sugar {
  private n = 0;

  private fresh(): string {
    return `__sugar${this.n++}__`;
  }

  /** `{v | v = term}` carrying the with-modifiers of the expression the term came from. */
  private capture(term: Term, withs: Expr['withs'], loc: Location): SetComprehension {
    const name = this.fresh();
    const v: Term = { type: 'var', name, loc };
    const body: Body = [{ expr: { kind: 'unify', left: v, right: term }, negated: false, withs, loc, generated: true }];
    return { type: 'setcomp', term: v, body, loc, locals: new Set([name]) };
  }

  body(b: Body): Body {
    return mapBody(b, (t) => this.term(t));
  }

  term(t: Term): Term | undefined {
    if (t.type === 'call' && t.name === 'print') {
      const items = t.args.map((a) => this.capture(a, [], a.loc));
      return { type: 'call', name: 'internal.print', args: [{ type: 'array', items, loc: t.loc }], loc: t.loc };
    }
    if (t.type === 'template') {
      const items: Term[] = t.parts.map((p) => {
        if (typeof p === 'string') return { type: 'scalar', value: p, loc: t.loc };
        const term = p.expr.kind === 'term' ? p.expr.term : undefined;
        if (!term) throw new Error('template parts are term expressions');
        return this.capture(term, p.withs, p.loc);
      });
      return {
        type: 'call',
        name: 'internal.template_string',
        args: [{ type: 'array', items, loc: t.loc }],
        loc: t.loc,
      };
    }
    return undefined;
  }
}
