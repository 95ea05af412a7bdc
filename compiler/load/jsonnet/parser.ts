// Tokens → syntax tree, by precedence climbing. Sugar is removed here (see ast.ts); scope
// checks come after, in the analyzer.
import type { BinaryOp, Bind, CompSpec, Field, NamedArg, Node, ObjectAssert, Param, Visibility } from './ast.js';
import { type Loc, staticError } from './errors.js';
import { lex, type Token } from './lexer.js';

/** Binding strength of binary operators: higher binds tighter. */
const PRECEDENCE: Record<string, number> = {
  '*': 10,
  '/': 10,
  '%': 10,
  '+': 9,
  '-': 9,
  '<<': 8,
  '>>': 8,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  in: 7,
  '==': 6,
  '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

/** Deeper nesting than this is refused before it can exhaust the parser's own stack. */
const MAX_NESTING = 1000;

export function parse(text: string, file: string): Node {
  const parser = new Parser(lex(text, file));
  try {
    return parser.parseFile();
  } catch (e) {
    // A left-nested chain (`1+1+…`) has no parser recursion, but anything else nests frames.
    if (e instanceof RangeError) throw staticError('expression nested too deeply', parser.where());
    throw e;
  }
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseFile(): Node {
    const node = this.expr();
    const t = this.peek();
    if (t.kind !== 'eof') throw staticError(`did not expect: ${describe(t)}`, t.loc);
    return node;
  }

  where(): Loc {
    return this.peek().loc;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private isOp(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.value === value;
  }

  private isKeyword(value: string): boolean {
    const t = this.peek();
    return t.kind === 'keyword' && t.value === value;
  }

  private expectOp(value: string, context: string): Token {
    const t = this.next();
    if (t.kind !== 'op' || t.value !== value) {
      if (t.kind === 'eof') throw staticError('unexpected end of file.', t.loc);
      throw staticError(`expected token ${value} but got ${describe(t)}${context ? ` ${context}` : ''}`, t.loc);
    }
    return t;
  }

  private expectKeyword(value: string): Token {
    const t = this.next();
    if (t.kind !== 'keyword' || t.value !== value) {
      if (t.kind === 'eof') throw staticError('unexpected end of file.', t.loc);
      throw staticError(`expected token ${value} but got ${describe(t)}`, t.loc);
    }
    return t;
  }

  private identifier(): Token {
    const t = this.next();
    if (t.kind !== 'id') {
      if (t.kind === 'eof') throw staticError('unexpected end of file.', t.loc);
      throw staticError(`expected token IDENTIFIER but got ${describe(t)}`, t.loc);
    }
    return t;
  }

  /** An expression, including the ones that extend as far right as possible. */
  expr(minPrec = 0): Node {
    if (++this.depth > MAX_NESTING) {
      throw staticError(`expressions nested deeper than ${MAX_NESTING} levels`, this.peek().loc);
    }
    // An operation is located where its first operand starts, parenthesis included.
    const start = this.peek().loc;
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const op = t.kind === 'op' || (t.kind === 'keyword' && t.value === 'in') ? t.value : '';
      const prec = PRECEDENCE[op];
      if (prec === undefined || prec <= minPrec) break;
      this.next();
      if (op === 'in' && this.isKeyword('super')) {
        this.next();
        left = { k: 'inSuper', loc: start, name: left };
        continue;
      }
      const right = this.expr(prec);
      left = { k: 'binary', loc: start, op: op as BinaryOp, left, right };
    }
    this.depth--;
    return left;
  }

  private unary(): Node {
    const t = this.peek();
    if (t.kind === 'op' && (t.value === '-' || t.value === '+' || t.value === '!' || t.value === '~')) {
      this.next();
      if (++this.depth > MAX_NESTING) throw staticError(`expressions nested deeper than ${MAX_NESTING} levels`, t.loc);
      const operand = this.unary();
      this.depth--;
      return { k: 'unary', loc: t.loc, op: t.value, operand };
    }
    return this.postfix(this.primary(), t.loc);
  }

  private postfix(target: Node, loc: Loc): Node {
    let node = target;
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const id = this.identifier();
        node = { k: 'index', loc, target: node, index: lit(id.value, id.loc) };
      } else if (this.isOp('[')) {
        this.next();
        node = this.indexOrSlice(node, loc);
      } else if (this.isOp('(')) {
        this.next();
        const { args, named } = this.args();
        let tailstrict = false;
        if (this.isKeyword('tailstrict')) {
          this.next();
          tailstrict = true;
        }
        node = { k: 'apply', loc, fn: node, args, named, tailstrict };
      } else if (this.isOp('{')) {
        const brace = this.next();
        node = { k: 'binary', loc, op: '+', left: node, right: this.object(brace.loc) };
      } else return node;
    }
  }

  private indexOrSlice(target: Node, loc: Loc): Node {
    const parts: (Node | undefined)[] = [undefined];
    let colons = 0;
    if (this.isOp('::')) {
      this.next();
      parts.push(undefined, undefined);
      colons = 2;
    }
    for (;;) {
      if (this.isOp(']')) break;
      if (this.isOp(':') && colons < 2) {
        this.next();
        colons++;
        parts.push(undefined);
        continue;
      }
      if (this.isOp('::') && colons === 0) {
        this.next();
        colons = 2;
        parts.push(undefined, undefined);
        continue;
      }
      if (parts[parts.length - 1] !== undefined) {
        const t = this.peek();
        if (t.kind === 'eof') throw staticError('unexpected end of file.', t.loc);
        throw staticError(`expected token ] but got ${describe(t)}`, t.loc);
      }
      parts[parts.length - 1] = this.expr();
    }
    this.expectOp(']', '');
    if (colons === 0) {
      if (!parts[0]) throw staticError('index requires an expression', loc);
      return { k: 'index', loc, target, index: parts[0] };
    }
    return { k: 'slice', loc, target, start: parts[0], end: parts[1], step: parts[2] };
  }

  private args(): { args: Node[]; named: NamedArg[] } {
    const args: Node[] = [];
    const named: NamedArg[] = [];
    while (!this.isOp(')')) {
      if (this.peek().kind === 'id' && this.isOp('=', 1)) {
        const id = this.next();
        this.next();
        named.push({ name: id.value, value: this.expr() });
      } else {
        const start = this.peek().loc;
        const value = this.expr();
        if (named.length > 0) throw staticError('Positional argument after a named argument is not allowed', start);
        args.push(value);
      }
      if (this.isOp(',')) this.next();
      else if (!this.isOp(')')) this.expectOp(')', 'in function call');
    }
    this.next();
    return { args, named };
  }

  private params(): Param[] {
    this.expectOp('(', 'in parameter list');
    const params: Param[] = [];
    while (!this.isOp(')')) {
      const id = this.identifier();
      let def: Node | undefined;
      if (this.isOp('=')) {
        this.next();
        def = this.expr();
      }
      params.push(def ? { name: id.value, default: def } : { name: id.value });
      if (this.isOp(',')) this.next();
      else if (!this.isOp(')')) this.expectOp(')', 'in parameter list');
    }
    this.next();
    return params;
  }

  private bind(): Bind {
    const id = this.identifier();
    if (this.isOp('(')) {
      const params = this.params();
      this.expectOp('=', 'in local binding');
      const body = this.expr();
      return { name: id.value, loc: id.loc, body: { k: 'function', loc: id.loc, params, body, name: id.value } };
    }
    this.expectOp('=', 'in local binding');
    return { name: id.value, loc: id.loc, body: this.expr() };
  }

  private primary(): Node {
    const t = this.next();
    const loc = t.loc;
    switch (t.kind) {
      case 'number': {
        const n = Number(t.value);
        // A literal too large for a double is an error when evaluated, as in Jsonnet.
        if (!Number.isFinite(n)) return { k: 'error', loc, value: lit('overflow', loc) };
        return lit(n, loc);
      }
      case 'string':
        return lit(t.value, loc);
      case 'id':
        return { k: 'var', loc, name: t.value, hops: 0, index: 0 };
      case 'eof':
        throw staticError('unexpected end of file.', loc);
      case 'keyword':
        return this.keyword(t);
      case 'op':
        if (t.value === '{') return this.object(loc);
        if (t.value === '[') return this.array(loc);
        if (t.value === '(') {
          const inner = this.expr();
          this.expectOp(')', '');
          return inner;
        }
        if (t.value === '$') return { k: 'dollar', loc };
        throw staticError(`unexpected: ${describe(t)} while parsing terminal`, loc);
    }
  }

  private keyword(t: Token): Node {
    const loc = t.loc;
    switch (t.value) {
      case 'null':
        return lit(null, loc);
      case 'true':
        return lit(true, loc);
      case 'false':
        return lit(false, loc);
      case 'self':
        return { k: 'self', loc };
      case 'super': {
        if (this.isOp('.')) {
          this.next();
          const id = this.identifier();
          return { k: 'superIndex', loc, index: lit(id.value, id.loc) };
        }
        if (this.isOp('[')) {
          this.next();
          const index = this.expr();
          this.expectOp(']', '');
          return { k: 'superIndex', loc, index };
        }
        throw staticError('expected . or [ after super.', loc);
      }
      case 'local': {
        const binds = [this.bind()];
        while (this.isOp(',')) {
          this.next();
          binds.push(this.bind());
        }
        this.expectOp(';', 'in local binding');
        return { k: 'local', loc, binds, body: this.expr() };
      }
      case 'if': {
        const cond = this.expr();
        this.expectKeyword('then');
        const then = this.expr();
        if (this.isKeyword('else')) {
          this.next();
          return { k: 'if', loc, cond, then, else: this.expr() };
        }
        return { k: 'if', loc, cond, then };
      }
      case 'function': {
        const params = this.params();
        return { k: 'function', loc, params, body: this.expr() };
      }
      case 'assert': {
        const cond = this.expr();
        let message: Node | undefined;
        if (this.isOp(':')) {
          this.next();
          message = this.expr();
        }
        this.expectOp(';', 'in assert');
        const rest = this.expr();
        return message ? { k: 'assert', loc, cond, message, rest } : { k: 'assert', loc, cond, rest };
      }
      case 'error':
        return { k: 'error', loc, value: this.expr() };
      case 'import':
      case 'importstr':
      case 'importbin': {
        const first = this.peek();
        const path = this.expr();
        if (path.k !== 'literal' || typeof path.value !== 'string') {
          throw staticError('computed imports are not allowed.', path.loc);
        }
        if (first.textBlock) throw staticError('Cannot use text blocks in import statements.', path.loc);
        return { k: 'import', loc, kind: t.value, path: path.value };
      }
      default:
        throw staticError(`unexpected: ${describe(t)} while parsing terminal`, loc);
    }
  }

  private array(loc: Loc): Node {
    const items: Node[] = [];
    while (!this.isOp(']')) {
      items.push(this.expr());
      const comma = this.isOp(',');
      if (comma) this.next();
      if (this.isKeyword('for')) {
        if (items.length !== 1) throw staticError('array comprehension must have exactly one element', loc);
        const specs = this.compSpecs();
        this.expectOp(']', 'in array comprehension');
        return { k: 'arrayComp', loc, body: items[0]!, specs };
      }
      if (!comma && !this.isOp(']')) {
        const t = this.peek();
        if (t.kind === 'eof') throw staticError('unexpected end of file.', t.loc);
        throw staticError('expected a comma before next array element.', t.loc);
      }
    }
    this.next();
    return { k: 'array', loc, items };
  }

  private compSpecs(): CompSpec[] {
    const specs: CompSpec[] = [];
    while (this.isKeyword('for') || this.isKeyword('if')) {
      const t = this.next();
      if (t.value === 'for') {
        const id = this.identifier();
        this.expectKeyword('in');
        specs.push({ kind: 'for', name: id.value, source: this.expr() });
      } else specs.push({ kind: 'if', cond: this.expr() });
    }
    return specs;
  }

  private object(loc: Loc): Node {
    const fields: Field[] = [];
    const locals: Bind[] = [];
    const asserts: ObjectAssert[] = [];
    let sawField = false;
    while (!this.isOp('}')) {
      const t = this.peek();
      if (t.kind === 'keyword' && t.value === 'local') {
        this.next();
        const b = this.bind();
        if (locals.some((l) => l.name === b.name)) throw staticError(`duplicate local var: ${b.name}`, b.loc);
        locals.push(b);
      } else if (t.kind === 'keyword' && t.value === 'assert') {
        this.next();
        const cond = this.expr();
        let message: Node | undefined;
        if (this.isOp(':')) {
          this.next();
          message = this.expr();
        }
        asserts.push(message ? { cond, message, loc: t.loc } : { cond, loc: t.loc });
      } else {
        fields.push(this.field());
        sawField = true;
      }
      const comma = this.isOp(',');
      if (comma) this.next();
      if (this.isKeyword('for')) return this.objectComp(loc, fields, locals, asserts);
      if (!comma && !this.isOp('}')) {
        const n = this.peek();
        if (n.kind === 'eof') throw staticError('unexpected end of file.', n.loc);
        throw staticError(`expected a comma before next ${sawField ? 'field' : 'field'}.`, n.loc);
      }
    }
    this.next();
    return { k: 'object', loc, fields, locals, asserts };
  }

  private objectComp(loc: Loc, fields: Field[], locals: Bind[], asserts: ObjectAssert[]): Node {
    const field = fields[0];
    if (fields.length !== 1 || asserts.length > 0 || !field || typeof field.name === 'string') {
      throw staticError('object comprehension can only have one field, with a computed name', loc);
    }
    if (field.visibility !== 'inherit') throw staticError('object comprehensions cannot have hidden fields.', loc);
    const specs = this.compSpecs();
    this.expectOp('}', 'in object comprehension');
    return { k: 'objectComp', loc, key: field.name, plus: field.plus, value: field.body, locals, specs };
  }

  private field(): Field {
    const t = this.next();
    const loc = t.loc;
    let name: string | Node;
    if (t.kind === 'id' || t.kind === 'string') name = t.value;
    else if (t.kind === 'op' && t.value === '[') {
      name = this.expr();
      this.expectOp(']', '');
    } else if (t.kind === 'eof') throw staticError('unexpected end of file.', loc);
    else {
      const what = t.kind === 'keyword' ? t.value : describe(t);
      throw staticError(`unexpected: ${what} while parsing field definition`, loc);
    }
    let params: Param[] | undefined;
    if (this.isOp('(')) params = this.params();
    let plus = false;
    if (this.isOp('+')) {
      this.next();
      plus = true;
    }
    const sep = this.next();
    const visibility: Visibility | undefined =
      sep.kind !== 'op' ? undefined : ({ ':': 'inherit', '::': 'hidden', ':::': 'visible' } as const)[sep.value];
    if (!visibility) {
      if (sep.kind === 'eof') throw staticError('unexpected end of file.', sep.loc);
      throw staticError(`expected one of :, ::, :::, got: ${describe(sep)}`, sep.loc);
    }
    if (params && plus) {
      throw staticError(`cannot use +: syntax sugar in a method: ${typeof name === 'string' ? name : ''}`, loc);
    }
    let body = this.expr();
    if (params) body = { k: 'function', loc, params, body, ...(typeof name === 'string' ? { name } : {}) };
    return { name, visibility, plus, body, loc };
  }
}

function lit(value: null | boolean | number | string, loc: Loc): Node {
  return { k: 'literal', loc, value };
}

function describe(t: Token): string {
  if (t.kind === 'string') return `STRING ${JSON.stringify(t.value)}`;
  if (t.kind === 'eof') return 'end of file';
  if (t.kind === 'id') return `IDENTIFIER "${t.value}"`;
  return `"${t.value}"`;
}
