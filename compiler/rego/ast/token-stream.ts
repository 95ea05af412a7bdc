// Cursor over tokens, with the "expected X, found Y" errors every parser stage reports.
import { RegoError, type Location } from '../errors.js';
import type { Token } from './lexer.js';

export class TokenStream {
  protected i = 0;

  constructor(
    protected readonly tokens: readonly Token[],
    protected readonly file: string,
  ) {}

  protected get tok(): Token {
    return this.tokens[this.i]!;
  }

  protected peek(n = 1): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)]!;
  }

  protected advance(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  protected isOp(text: string, t: Token = this.tok): boolean {
    return t.kind === 'op' && t.text === text;
  }

  protected isIdent(text: string, t: Token = this.tok): boolean {
    return t.kind === 'ident' && t.text === text;
  }

  /** The current token starts right where the previous one ended (no blank between). */
  protected adjacent(): boolean {
    return this.i > 0 && this.tokens[this.i - 1]!.end === this.tok.start;
  }

  protected describe(t: Token): string {
    switch (t.kind) {
      case 'eof':
        return 'eof token';
      case 'ident':
        return `ident token "${t.text}"`;
      case 'number':
        return `number token ${t.text}`;
      case 'string':
      case 'rawstring':
        return 'string token';
      case 'template':
        return 'template string token';
      default:
        return `${t.text} token`;
    }
  }

  protected error(message: string, at: Location = this.tok.loc): RegoError {
    return new RegoError('rego_parse_error', message, at);
  }

  /** `unexpected X token: expected Y`, OPA's wording. */
  protected unexpected(expected: string, t: Token = this.tok): RegoError {
    return this.error(`unexpected ${this.describe(t)}: expected ${expected}`, t.loc);
  }

  protected expectOp(text: string): Token {
    if (!this.isOp(text)) throw this.unexpected(`\`${text}\``);
    return this.advance();
  }

  protected save(): number {
    return this.i;
  }

  protected restore(i: number): void {
    this.i = i;
  }
}
