// Rego tokens. Newlines separate body expressions, so every token records whether a line
// break precedes it. Comments are kept aside (METADATA blocks are read from them).
import { RegoError, type Location } from '../errors.js';

export type TokenKind = 'ident' | 'number' | 'string' | 'rawstring' | 'template' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, operator text, number text, or the decoded string. */
  readonly text: string;
  readonly loc: Location;
  /** A line break (or the start of input) comes before this token. */
  readonly nl: boolean;
  /** Offset of the token's first character in the source. */
  readonly start: number;
  readonly end: number;
  /** For templates: literal parts and embedded expression sources. */
  readonly parts?: TemplatePart[];
}

export type TemplatePart =
  | { readonly literal: string }
  | { readonly source: string; readonly line: number; readonly column: number };

export interface Comment {
  readonly text: string;
  readonly loc: Location;
}

const OPERATORS = [
  ':=',
  '==',
  '!=',
  '<=',
  '>=',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '.',
  ',',
  ';',
  ':',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
];

export class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  readonly comments: Comment[] = [];

  constructor(
    private readonly src: string,
    private readonly file: string,
    /** Where `src` starts in its file (template expressions are lexed separately). */
    private readonly origin: { line: number; column: number } = { line: 1, column: 1 },
  ) {}

  private loc(offset = this.pos): Location {
    // Only valid for offsets on the current line, which is how it is used.
    const line = this.line + this.origin.line - 1;
    const column = offset - this.lineStart + (this.line === 1 ? this.origin.column : 1);
    return { file: this.file, line, column };
  }

  error(message: string, at?: Location): RegoError {
    return new RegoError('rego_parse_error', message, at ?? this.loc());
  }

  tokenize(): Token[] {
    const tokens: Token[] = [];
    let nl = true;
    for (;;) {
      nl = this.skipSpace() || nl;
      if (this.pos >= this.src.length) {
        tokens.push({ kind: 'eof', text: '', loc: this.loc(), nl: true, start: this.pos, end: this.pos });
        return tokens;
      }
      tokens.push(this.next(nl));
      nl = false;
    }
  }

  /** Skips blanks and comments; true if a newline was passed. */
  private skipSpace(): boolean {
    let nl = false;
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '\n') {
        nl = true;
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        this.pos++;
      } else if (c === '#') {
        const start = this.pos;
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
        this.comments.push({ text: s.slice(start + 1, this.pos).replace(/\r$/, ''), loc: this.loc(start) });
      } else {
        break;
      }
    }
    return nl;
  }

  private next(nl: boolean): Token {
    const s = this.src;
    const start = this.pos;
    const loc = this.loc();
    const c = s[start]!;
    const tok = (kind: TokenKind, text: string, extra: Partial<Token> = {}): Token => ({
      kind,
      text,
      loc,
      nl,
      start,
      end: this.pos,
      ...extra,
    });

    if (/[A-Za-z_]/.test(c)) {
      let end = start + 1;
      while (end < s.length && /[A-Za-z0-9_]/.test(s[end]!)) end++;
      this.pos = end;
      return tok('ident', s.slice(start, end));
    }
    if (c === '$' && (s[start + 1] === '"' || s[start + 1] === '`')) return this.template(nl);
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[start + 1] ?? ''))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(s.slice(start));
      this.pos = start + m![0].length;
      if (/[A-Za-z_]/.test(s[this.pos] ?? ''))
        throw this.error(`invalid number literal ${s.slice(start, this.pos + 1)}`, loc);
      return tok('number', m![0]);
    }
    if (c === '"') {
      this.pos++;
      return tok('string', this.quoted(loc));
    }
    if (c === '`') {
      const end = s.indexOf('`', start + 1);
      if (end < 0) throw this.error('non-terminated raw string', loc);
      this.advanceTo(end + 1);
      return tok('rawstring', s.slice(start + 1, end));
    }
    for (const op of OPERATORS) {
      if (s.startsWith(op, start)) {
        this.pos = start + op.length;
        return tok('op', op);
      }
    }
    throw this.error(`illegal token ${JSON.stringify(c)}`, loc);
  }

  /** Moves to `end`, keeping line/column right across newlines. */
  private advanceTo(end: number): void {
    for (let i = this.pos; i < end; i++) {
      if (this.src[i] === '\n') {
        this.line++;
        this.lineStart = i + 1;
      }
    }
    this.pos = end;
  }

  /** Reads a JSON-escaped string body after the opening quote. */
  private quoted(loc: Location): string {
    const s = this.src;
    let out = '';
    for (;;) {
      if (this.pos >= s.length || s[this.pos] === '\n') throw this.error('non-terminated string', loc);
      const c = s[this.pos]!;
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const e = s[this.pos + 1];
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          this.pos += 2;
          continue;
        }
        if (e === 'u') {
          const hex = s.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error(`invalid escape sequence \\u${hex}`, this.loc());
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 6;
          continue;
        }
        throw this.error(`invalid escape sequence \\${e ?? ''}`, this.loc());
      }
      out += c;
      this.pos++;
    }
  }

  /**
   * `$"text {expr} text"` or `` $`text {expr}` ``. Expressions are kept as source text with their
   * offset and parsed by the parser; `\{` escapes a brace in the quoted form.
   */
  private template(nl: boolean): Token {
    const s = this.src;
    const start = this.pos;
    const loc = this.loc();
    const raw = s[start + 1] === '`';
    this.pos += 2;
    const parts: TemplatePart[] = [];
    let literal = '';
    for (;;) {
      if (this.pos >= s.length) throw this.error('non-terminated template string', loc);
      const c = s[this.pos]!;
      if (raw && c === '`') {
        this.pos++;
        break;
      }
      if (!raw && c === '"') {
        this.pos++;
        break;
      }
      if (c === '{') {
        if (literal) parts.push({ literal });
        literal = '';
        const exprStart = this.pos + 1;
        const exprEnd = this.matchBrace(exprStart, loc);
        const at = this.loc(exprStart);
        parts.push({ source: s.slice(exprStart, exprEnd), line: at.line, column: at.column });
        this.advanceTo(exprEnd + 1);
        continue;
      }
      if (raw) {
        if (c === '\\' && (s[this.pos + 1] === '{' || s[this.pos + 1] === '}')) {
          literal += s[this.pos + 1];
          this.pos += 2;
          continue;
        }
        literal += c;
        this.advanceTo(this.pos + 1);
        continue;
      }
      if (c === '\n') throw this.error('non-terminated template string', loc);
      // Reuse the string escapes, stopping before an unescaped brace or the closing quote.
      const before = this.pos;
      literal += this.quotedChunk(loc);
      if (this.pos === before) break;
    }
    if (literal) parts.push({ literal });
    return { kind: 'template', text: s.slice(start, this.pos), loc, nl, start, end: this.pos, parts };
  }

  /** One run of escaped characters up to `{` or `"` (the quote is not consumed). */
  private quotedChunk(loc: Location): string {
    const s = this.src;
    let out = '';
    while (this.pos < s.length && s[this.pos] !== '"' && s[this.pos] !== '{') {
      if (s[this.pos] === '\\') {
        const e = s[this.pos + 1];
        if (e === '{' || e === '}') {
          out += e;
          this.pos += 2;
          continue;
        }
        out += this.decodeEscape(this.pos, loc);
        continue;
      }
      if (s[this.pos] === '\n') throw this.error('non-terminated template string', loc);
      out += s[this.pos];
      this.pos++;
    }
    return out;
  }

  private decodeEscape(at: number, loc: Location): string {
    const s = this.src;
    const e = s[at + 1];
    const simple: Record<string, string> = {
      '"': '"',
      '\\': '\\',
      '/': '/',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
    };
    if (e !== undefined && simple[e] !== undefined) {
      this.pos = at + 2;
      return simple[e]!;
    }
    if (e === 'u') {
      const hex = s.slice(at + 2, at + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error(`invalid escape sequence \\u${hex}`, loc);
      this.pos = at + 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    throw this.error(`invalid escape sequence \\${e ?? ''}`, loc);
  }

  /** The offset of the `}` closing an embedded expression that starts at `from`. */
  private matchBrace(from: number, loc: Location): number {
    const s = this.src;
    let depth = 0;
    let i = from;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '"') {
        i = skipQuoted(s, i + 1);
        continue;
      }
      if (c === '`') {
        const end = s.indexOf('`', i + 1);
        if (end < 0) break;
        i = end + 1;
        continue;
      }
      if (c === '$' && (s[i + 1] === '"' || s[i + 1] === '`')) {
        i = skipTemplate(s, i + 1);
        continue;
      }
      if (c === '{') depth++;
      if (c === '}') {
        if (depth === 0) return i;
        depth--;
      }
      i++;
    }
    throw this.error('non-terminated template expression', loc);
  }
}

function skipQuoted(s: string, i: number): number {
  while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Skips a nested template starting at its quote character. */
function skipTemplate(s: string, i: number): number {
  const close = s[i]!;
  i++;
  while (i < s.length && s[i] !== close) {
    if (close === '"' && s[i] === '\\') {
      i += 2;
      continue;
    }
    if (s[i] === '{') {
      let depth = 0;
      i++;
      while (i < s.length) {
        const c = s[i]!;
        if (c === '"') i = skipQuoted(s, i + 1);
        else if (c === '$' && (s[i + 1] === '"' || s[i + 1] === '`')) i = skipTemplate(s, i + 1);
        else if (c === '{') {
          depth++;
          i++;
        } else if (c === '}') {
          if (depth === 0) break;
          depth--;
          i++;
        } else i++;
      }
      i++;
      continue;
    }
    i++;
  }
  return i + 1;
}
