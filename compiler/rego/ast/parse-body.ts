// Bodies and expressions: `[not] expr [with ...]`, `some`, `every`, separated by `;` or line
// breaks; the terms inside are TermParser's.
import type { Token } from './lexer.js';
import type { Body, Expr, ExprKind, Term, VarTerm, With } from './nodes.js';
import { MEMBER, MEMBER_WITH_KEY, TermParser } from './parse-terms.js';

export class BodyParser extends TermParser {
  /** `{ expr; expr \n expr }` */
  parseBraceBody(): Body {
    const open = this.expectOp('{');
    const body = this.parseBodyUntil('}');
    if (body.length === 0) throw this.error('found empty body', open.loc);
    this.expectOp('}');
    return body;
  }

  /** Expressions separated by `;` or line breaks, up to (not including) `close` or eof. */
  parseBodyUntil(close: string | 'eof'): Body {
    const body: Body = [];
    const atEnd = () => (close === 'eof' ? this.tok.kind === 'eof' : this.isOp(close));
    while (!atEnd()) {
      if (this.tok.kind === 'eof') throw this.unexpected(`\`${close}\``);
      body.push(this.parseLiteral());
      if (atEnd()) break;
      if (this.isOp(';')) {
        this.advance();
        continue;
      }
      if (!this.tok.nl) throw this.unexpected(close === 'eof' ? 'end of expression' : `\`;\`, newline or \`${close}\``);
    }
    return body;
  }

  /** One body expression: `[not] expr [with ...]`, `some ...`, `every ...`. */
  parseLiteral(): Expr {
    const start = this.tok;
    if (this.isKw('some')) return this.withModifiers(this.parseSome());
    if (this.isKw('every')) return this.withModifiers(this.parseEvery());
    let negated = false;
    if (this.isKw('not')) {
      this.advance();
      negated = true;
      if (this.isKw('some')) throw this.error("illegal negation of 'some'", start.loc);
      if (this.isKw('every')) throw this.error("illegal negation of 'every'", start.loc);
    }
    const expr = this.withModifiers({ expr: this.parseExprKind(), negated, withs: [], loc: start.loc });
    expr.text = this.sourceSince(start);
    return expr;
  }

  /** The source text from token `start` to the end of the last consumed token. */
  protected sourceSince(start: Token): string | undefined {
    const src = this.source;
    const last = this.tokens[this.i - 1];
    return src !== undefined && last ? src.slice(start.start, last.end) : undefined;
  }

  /** The text being parsed, when known (for expression texts). */
  source?: string;

  protected withModifiers(expr: Expr): Expr {
    while (this.isKw('with')) expr.withs.push(this.parseWith());
    return expr;
  }

  protected parseExprKind(): ExprKind {
    const left = this.parseTermIn(true);
    if (this.isOp('=') || this.isOp(':=')) {
      const op = this.advance().text;
      const right = this.parseTermIn(true);
      return op === '=' ? { kind: 'unify', left, right } : { kind: 'assign', left, right };
    }
    return { kind: 'term', term: left };
  }

  protected parseWith(): With {
    const at = this.advance().loc;
    const target = this.parseTermPostfix();
    if (target.type !== 'ref' && target.type !== 'var')
      throw this.error('expected a reference as the target of `with`', target.loc);
    if (!this.isKw('as')) throw this.unexpected('`as`');
    this.advance();
    const value = this.parseTermIn(false);
    return { target, value, loc: at };
  }

  protected parseSome(): Expr {
    const start = this.advance();
    const term = this.parseTermIn(true);
    if (term.type === 'call' && term.name === MEMBER) {
      return {
        expr: { kind: 'somein', value: term.args[0]!, domain: term.args[1]! },
        negated: false,
        withs: [],
        loc: start.loc,
      };
    }
    if (term.type === 'call' && term.name === MEMBER_WITH_KEY) {
      return {
        expr: { kind: 'somein', key: term.args[0]!, value: term.args[1]!, domain: term.args[2]! },
        negated: false,
        withs: [],
        loc: start.loc,
      };
    }
    const vars: VarTerm[] = [];
    let t: Term = term;
    for (;;) {
      if (t.type !== 'var') throw this.error('expected var or `x in xs` after `some`', t.loc);
      vars.push(t);
      if (!this.isOp(',')) break;
      this.advance();
      t = this.parseTermPostfix();
    }
    return { expr: { kind: 'some', vars }, negated: false, withs: [], loc: start.loc };
  }

  protected parseEvery(): Expr {
    const start = this.advance();
    const term = this.parseTermIn(true);
    let kind: ExprKind;
    if (term.type === 'call' && term.name === MEMBER) {
      kind = { kind: 'every', value: term.args[0]!, domain: term.args[1]!, body: [] };
    } else if (term.type === 'call' && term.name === MEMBER_WITH_KEY) {
      kind = { kind: 'every', key: term.args[0]!, value: term.args[1]!, domain: term.args[2]!, body: [] };
    } else {
      throw this.error('expected `x in xs` or `k, v in xs` after `every`', term.loc);
    }
    kind.body = this.parseBraceBody();
    return { expr: kind, negated: false, withs: [], loc: start.loc };
  }

  /** A template's embedded expression: a term, possibly with `with` modifiers. */
  parseTemplateExpr(): Expr {
    const expr = this.parseLiteral();
    if (expr.expr.kind !== 'term' || expr.negated) throw this.error('a template expression must be a term', expr.loc);
    if (this.tok.kind !== 'eof') throw this.unexpected('`}`');
    return expr;
  }

  protected parseTemplatePart(tokens: readonly Token[]): Expr {
    return new BodyParser(tokens, this.file, this.state).parseTemplateExpr();
  }
}
