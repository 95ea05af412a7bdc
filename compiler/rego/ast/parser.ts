// Entry points of the parser. A module's Rego version is always explicit: the caller says
// `regoVersion: 0 | 1` (default 1, OPA 1.x), nothing is guessed from the text. Within a v0
// module, `import rego.v1` switches to v1 syntax, as in OPA.
import { RegoError } from '../errors.js';
import { Lexer } from './lexer.js';
import type { Body, Module, RegoVersion, Term } from './nodes.js';
import { ModuleParser } from './parse-module.js';
import { BodyParser } from './parse-body.js';
import { FUTURE_KEYWORDS } from './parse-terms.js';

export interface ParseOptions {
  /** File name used in locations. */
  readonly file?: string;
  /** 1 (default) for OPA 1.x syntax, 0 for pre-1.0 syntax (`--v0-compatible`). */
  readonly regoVersion?: RegoVersion;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: RegoError[] };

function attempt<T>(f: () => T): ParseResult<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof RegoError) return { ok: false, errors: [e] };
    throw e;
  }
}

export function parseModule(source: string, options: ParseOptions = {}): ParseResult<Module> {
  const file = options.file ?? 'module.rego';
  return attempt(() => {
    const lexer = new Lexer(source, file);
    const tokens = lexer.tokenize();
    return new ModuleParser(tokens, file, options.regoVersion ?? 1, lexer.comments).parseModule();
  });
}

/** A query: expressions separated by `;` or newlines, with all v1 keywords. */
export function parseQuery(source: string, options: ParseOptions = {}): ParseResult<Body> {
  const file = options.file ?? 'query.rego';
  return attempt(() => {
    const tokens = new Lexer(source, file).tokenize();
    const keywords = new Set<string>(options.regoVersion === 0 ? [] : FUTURE_KEYWORDS);
    const parser = new BodyParser(tokens, file, { keywords, wildcards: 0 });
    parser.source = source;
    const body = parser.parseBodyUntil('eof');
    if (body.length === 0) throw new RegoError('rego_parse_error', 'empty query', { file, line: 1, column: 1 });
    return body;
  });
}

/** A single term, e.g. an `input_term` of a conformance case. */
export function parseTerm(source: string, options: ParseOptions = {}): ParseResult<Term> {
  const file = options.file ?? 'term.rego';
  return attempt(() => {
    const tokens = new Lexer(source, file).tokenize();
    return new BodyParser(tokens, file, { keywords: new Set(FUTURE_KEYWORDS), wildcards: 0 }).parseWholeTerm();
  });
}
