// Terms. Operator precedence follows OPA's grammar, loosest first:
//   `=` `:=` (expression level) < `in` < `==` `!=` `<` `<=` `>` `>=` < `|` < `&` < `+` `-` < `*` `/` `%`
// all left-associative. Refs and calls bind tightest and must touch their operand
// (`x[0]`, `f(x)`): a `[` after a blank starts a new term, which is how a line beginning with
// an array is not read as indexing the line before.
import type { Location } from '../errors.js';
import { parseNumber } from '../number.js';
import { Lexer, type Token } from './lexer.js';
import type { Body, Expr, Term } from './nodes.js';
import { TokenStream } from './token-stream.js';

const INFIX: Record<string, string> = {
  '==': 'equal',
  '!=': 'neq',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
  '|': 'or',
  '&': 'and',
  '+': 'plus',
  '-': 'minus',
  '*': 'mul',
  '/': 'div',
  '%': 'rem',
};

export const MEMBER = 'internal.member_2';
export const MEMBER_WITH_KEY = 'internal.member_3';

/** Keywords that v0 modules only get through `import future.keywords...` (or rego.v1). */
export const FUTURE_KEYWORDS = ['in', 'every', 'if', 'contains'] as const;
const ALWAYS_KEYWORDS = new Set([
  'package',
  'import',
  'as',
  'default',
  'else',
  'not',
  'some',
  'with',
  'true',
  'false',
  'null',
]);

export interface ParseState {
  /** Future keywords in force. */
  readonly keywords: Set<string>;
  /** Counter for `_` wildcards, shared by sub-parsers so names stay unique per module. */
  wildcards: number;
}

export abstract class TermParser extends TokenStream {
  /** Expressions separated by `;` or line breaks (comprehension bodies). */
  abstract parseBodyUntil(close: string | 'eof'): Body;
  /** A template's embedded expression, parsed by a fresh parser over its tokens. */
  protected abstract parseTemplatePart(tokens: readonly Token[]): Expr;

  constructor(
    tokens: readonly Token[],
    file: string,
    protected readonly state: ParseState,
  ) {
    super(tokens, file);
  }

  protected isKeyword(word: string): boolean {
    return ALWAYS_KEYWORDS.has(word) || this.state.keywords.has(word);
  }

  /** The current token is keyword `word` used as a keyword: a keyword directly followed by
   * `.` or `(` is a name instead (`else.foo`, `contains(s, "x")`), as OPA allows. */
  protected isKw(word: string): boolean {
    const t = this.tok;
    return t.kind === 'ident' && t.text === word && this.isKeyword(word) && !this.namesRef();
  }

  /** The current token is followed, without a blank, by `.` or `(`. */
  protected namesRef(): boolean {
    const n = this.peek();
    return n.kind === 'op' && (n.text === '.' || n.text === '(') && n.start === this.tok.end;
  }

  // ---- terms with operators ------------------------------------------------------------

  /** `a in b`, and with `keyVal` also `k, v in b` (in `some`, `every` and expressions). */
  parseTermIn(keyVal: boolean): Term {
    let lhs = this.parseRelation();
    for (;;) {
      if (keyVal && this.isOp(',') && this.state.keywords.has('in')) {
        const saved = this.save();
        this.advance();
        const mhs = this.tryParse(() => this.parseRelation());
        if (mhs && this.isKw('in')) {
          this.advance();
          const rhs = this.parseRelation();
          lhs = { type: 'call', name: MEMBER_WITH_KEY, args: [lhs, mhs, rhs], loc: lhs.loc, infix: 'in' };
          continue;
        }
        this.restore(saved);
      }
      if (this.isKw('in')) {
        this.advance();
        const rhs = this.parseRelation();
        lhs = { type: 'call', name: MEMBER, args: [lhs, rhs], loc: lhs.loc, infix: 'in' };
        continue;
      }
      return lhs;
    }
  }

  protected tryParse<T>(f: () => T): T | undefined {
    const saved = this.save();
    try {
      return f();
    } catch {
      this.restore(saved);
      return undefined;
    }
  }

  private binary(ops: readonly string[], next: () => Term): Term {
    let lhs = next();
    while (this.tok.kind === 'op' && ops.includes(this.tok.text)) {
      const op = this.advance().text;
      const rhs = next();
      lhs = { type: 'call', name: INFIX[op]!, args: [lhs, rhs], loc: lhs.loc, infix: op };
    }
    return lhs;
  }

  private noOr = false;

  private parseRelation = (): Term => this.binary(['==', '!=', '<', '<=', '>', '>='], this.parseOr);
  private parseOr = (): Term => (this.noOr ? this.parseAnd() : this.binary(['|'], this.parseAnd));
  private parseAnd = (): Term => this.binary(['&'], this.parseArith);
  private parseArith = (): Term => this.binary(['+', '-'], this.parseFactor);
  private parseFactor = (): Term => this.binary(['*', '/', '%'], () => this.parseTermPostfix());

  /** A term that may start a comprehension: `|` is left for the comprehension. */
  private parseHeadTerm(): Term {
    const saved = this.noOr;
    this.noOr = true;
    try {
      return this.parseTermIn(false);
    } finally {
      this.noOr = saved;
    }
  }

  /** A full term inside brackets/parens/braces, where `|` is the union operator again. */
  protected parseInner(keyVal = false): Term {
    const saved = this.noOr;
    this.noOr = false;
    try {
      return this.parseTermIn(keyVal);
    } finally {
      this.noOr = saved;
    }
  }

  // ---- primary terms, refs and calls -----------------------------------------------------

  parseTermPostfix(): Term {
    let term = this.parsePrimary();
    for (;;) {
      if (!this.adjacent()) return term;
      if (this.isOp('.')) {
        this.advance();
        const key = this.tok;
        if (key.kind !== 'ident' || !this.adjacent()) throw this.unexpected('ident');
        this.advance();
        term = this.appendRef(term, { type: 'scalar', value: key.text, loc: key.loc });
      } else if (this.isOp('[')) {
        this.advance();
        const key = this.parseInner();
        this.expectOp(']');
        term = this.appendRef(term, key);
      } else if (this.isOp('(')) {
        term = this.parseCall(term);
      } else {
        return term;
      }
    }
  }

  private appendRef(term: Term, key: Term): Term {
    if (term.type === 'ref') return { ...term, path: [...term.path, key] };
    if (
      term.type === 'var' ||
      term.type === 'call' ||
      term.type === 'array' ||
      term.type === 'object' ||
      term.type === 'set' ||
      term.type.endsWith('comp') ||
      term.type === 'scalar'
    ) {
      if (term.type === 'scalar' && typeof term.value !== 'string')
        throw this.error('illegal ref (head cannot be a number, boolean or null)', term.loc);
      return { type: 'ref', head: term, path: [key], loc: term.loc };
    }
    throw this.error('illegal ref', term.loc);
  }

  /** `name(args)`: the callee is a var or a ref of string keys. */
  private parseCall(callee: Term): Term {
    const name = calleeName(callee);
    if (name === undefined) throw this.error('illegal call: the function must be named by a var or ref', callee.loc);
    this.advance();
    const args: Term[] = [];
    while (!this.isOp(')')) {
      args.push(this.parseInner());
      if (this.isOp(',')) this.advance();
      else if (!this.isOp(')')) throw this.unexpected('`,` or `)`');
    }
    this.advance();
    // `set()` is the empty set literal, not a call.
    if (name === 'set' && args.length === 0) return { type: 'set', items: [], loc: callee.loc };
    return { type: 'call', name, args, loc: callee.loc };
  }

  protected parsePrimary(): Term {
    const t = this.tok;
    const loc = t.loc;
    switch (t.kind) {
      case 'number': {
        this.advance();
        return { type: 'scalar', value: this.number(t.text, loc), loc };
      }
      case 'string':
      case 'rawstring':
        this.advance();
        return { type: 'scalar', value: t.text, loc };
      case 'template':
        this.advance();
        return this.template(t);
      case 'ident':
        return this.identTerm();
      case 'eof':
        throw this.unexpected('term');
    }
    switch (t.text) {
      case '-': {
        const n = this.peek();
        if (n.kind === 'number' && n.start === t.end) {
          this.advance();
          this.advance();
          return { type: 'scalar', value: this.number(`-${n.text}`, loc), loc };
        }
        throw this.unexpected('term');
      }
      case '(': {
        this.advance();
        const inner = this.parseInner(true);
        this.expectOp(')');
        return inner;
      }
      case '[':
        return this.parseArray();
      case '{':
        return this.parseBraces();
    }
    throw this.unexpected('term');
  }

  private number(text: string, loc: Location) {
    const n = parseNumber(text);
    if (n === undefined) throw this.error(`invalid number ${text}`, loc);
    return n;
  }

  private identTerm(): Term {
    const named = this.namesRef();
    const t = this.advance();
    const loc = t.loc;
    if (named) return { type: 'var', name: t.text, loc };
    if (this.isKeyword(t.text) && !['true', 'false', 'null'].includes(t.text)) throw this.unexpected('term', t);
    switch (t.text) {
      case 'true':
        return { type: 'scalar', value: true, loc };
      case 'false':
        return { type: 'scalar', value: false, loc };
      case 'null':
        return { type: 'scalar', value: null, loc };
    }
    if (t.text === '_') return { type: 'var', name: `$${this.state.wildcards++}`, loc };
    return { type: 'var', name: t.text, loc };
  }

  private parseArray(): Term {
    const open = this.advance();
    if (this.isOp(']')) {
      this.advance();
      return { type: 'array', items: [], loc: open.loc };
    }
    const saved = this.save();
    const head = this.parseHeadTerm();
    if (this.isOp('|')) {
      this.advance();
      const body = this.parseBodyUntil(']');
      this.expectOp(']');
      return { type: 'arraycomp', term: head, body, loc: open.loc };
    }
    this.restore(saved);
    return { type: 'array', items: this.parseList(']'), loc: open.loc };
  }

  private parseList(close: string, first?: Term): Term[] {
    const items: Term[] = first ? [first] : [];
    if (first) {
      if (this.isOp(',')) this.advance();
      else if (!this.isOp(close)) throw this.unexpected(`\`,\` or \`${close}\``);
    }
    while (!this.isOp(close)) {
      items.push(this.parseInner());
      if (this.isOp(',')) this.advance();
      else if (!this.isOp(close)) throw this.unexpected(`\`,\` or \`${close}\``);
    }
    this.advance();
    return items;
  }

  /** `{}` object, `{a: b}` object, `{a}` set, `{x | ...}` / `{k: v | ...}` comprehensions. */
  private parseBraces(): Term {
    const open = this.advance();
    const loc = open.loc;
    if (this.isOp('}')) {
      this.advance();
      return { type: 'object', entries: [], loc };
    }
    const saved = this.save();
    const head = this.parseHeadTerm();
    if (this.isOp('|')) {
      this.advance();
      const body = this.parseBodyUntil('}');
      this.expectOp('}');
      return { type: 'setcomp', term: head, body, loc };
    }
    if (this.isOp(':')) {
      this.advance();
      const valueStart = this.save();
      const value = this.parseHeadTerm();
      if (this.isOp('|')) {
        this.advance();
        const body = this.parseBodyUntil('}');
        this.expectOp('}');
        return { type: 'objectcomp', key: head, value, body, loc };
      }
      this.restore(valueStart);
      return this.parseObjectRest(this.reparseKey(saved), loc);
    }
    this.restore(saved);
    const first = this.parseInner();
    if (this.isOp(':')) {
      this.advance();
      return this.parseObjectRest(first, loc);
    }
    return { type: 'set', items: this.parseList('}', first), loc };
  }

  /** Re-reads an object key with `|` allowed, ending at the `:` (already consumed again). */
  private reparseKey(at: number): Term {
    this.restore(at);
    const key = this.parseInner();
    this.expectOp(':');
    return key;
  }

  private parseObjectRest(firstKey: Term, loc: Location): Term {
    const entries: [Term, Term][] = [];
    let key: Term | undefined = firstKey;
    for (;;) {
      const value = this.parseInner();
      entries.push([key, value]);
      if (this.isOp(',')) {
        this.advance();
        if (this.isOp('}')) break;
        key = this.parseInner();
        this.expectOp(':');
        continue;
      }
      if (!this.isOp('}')) throw this.unexpected('`,` or `}`');
      break;
    }
    this.advance();
    return { type: 'object', entries, loc };
  }

  /** Parses the embedded expressions of a template string with a sub-lexer at their position. */
  private template(t: Token): Term {
    const parts: (string | Expr)[] = [];
    for (const p of t.parts ?? []) {
      if ('literal' in p) {
        parts.push(p.literal);
        continue;
      }
      const lexer = new Lexer(p.source, this.file, { line: p.line, column: p.column });
      parts.push(this.parseTemplatePart(lexer.tokenize()));
    }
    return { type: 'template', parts, loc: t.loc };
  }

  /** A term that must span all tokens (`parseTerm`). */
  parseWholeTerm(): Term {
    const term = this.parseInner();
    if (this.tok.kind !== 'eof') throw this.unexpected('end of term');
    return term;
  }
}

/** `f` → "f", `a.b.f` → "a.b.f", `a["b"].f` → "a.b.f"; undefined if not a plain name. */
export function calleeName(t: Term): string | undefined {
  if (t.type === 'var') return t.name;
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
  const parts = [t.head.name];
  for (const p of t.path) {
    if (p.type !== 'scalar' || typeof p.value !== 'string') return undefined;
    parts.push(p.value);
  }
  return parts.join('.');
}
