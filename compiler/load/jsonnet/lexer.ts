// Jsonnet source text → tokens, each with its position. String literals (quoted, verbatim and
// text blocks) are decoded here, so the parser sees their values.
import { type Loc, staticError } from './errors.js';

export type TokenKind = 'id' | 'keyword' | 'number' | 'string' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The identifier, keyword, operator or number text; the decoded value of a string. */
  readonly value: string;
  readonly loc: Loc;
  /** How a string was written: text blocks cannot be imported. */
  readonly textBlock?: boolean;
}

const KEYWORDS = new Set([
  'assert',
  'else',
  'error',
  'false',
  'for',
  'function',
  'if',
  'import',
  'importstr',
  'importbin',
  'in',
  'local',
  'null',
  'tailstrict',
  'then',
  'self',
  'super',
  'true',
]);

/** Longest first, so that `:::` is not read as `::` then `:`. */
const OPERATORS = [
  ':::',
  '::',
  '==',
  '!=',
  '<=',
  '>=',
  '<<',
  '>>',
  '&&',
  '||',
  '{',
  '}',
  '[',
  ']',
  ',',
  '.',
  '(',
  ')',
  ';',
  '$',
  ':',
  '=',
  '!',
  '~',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '<',
  '>',
];

const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdChar = (c: string) => isIdStart(c) || isDigit(c);

export function lex(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (pos: number): Loc => ({ file, line, col: pos - lineStart + 1 });
  const newline = (pos: number) => {
    line++;
    lineStart = pos + 1;
  };
  // A shebang line is a comment.
  if (text.startsWith('#!')) while (i < text.length && text[i] !== '\n') i++;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      newline(i);
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const start = at(i);
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw staticError('multi-line comment has no terminating */.', start);
      for (let j = i; j < end; j++) if (text[j] === '\n') newline(j);
      i = end + 2;
      continue;
    }
    const loc = at(i);
    if (isDigit(c)) {
      const m = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400))!;
      const next = text[i + m[0].length];
      if (next === '.' || next === 'e' || next === 'E') {
        throw staticError(`couldn't lex number, junk after ${next === '.' ? 'decimal point' : 'E'}: ${next}`, loc);
      }
      tokens.push({ kind: 'number', value: m[0], loc });
      i += m[0].length;
      continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < text.length && isIdChar(text[j]!)) j++;
      const word = text.slice(i, j);
      tokens.push({ kind: KEYWORDS.has(word) ? 'keyword' : 'id', value: word, loc });
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      const r = quoted(text, i, c, loc);
      for (const nl of r.newlines) newline(nl);
      tokens.push({ kind: 'string', value: r.value, loc });
      i = r.end;
      continue;
    }
    if (c === '@' && (text[i + 1] === '"' || text[i + 1] === "'")) {
      const q = text[i + 1]!;
      let j = i + 2;
      let value = '';
      for (;;) {
        if (j >= text.length) throw staticError('unterminated string', loc);
        const d = text[j]!;
        if (d === q) {
          if (text[j + 1] === q) {
            value += q;
            j += 2;
            continue;
          }
          break;
        }
        if (d === '\n') newline(j);
        value += d;
        j++;
      }
      tokens.push({ kind: 'string', value, loc });
      i = j + 1;
      continue;
    }
    if (text.startsWith('|||', i)) {
      const r = textBlock(text, i, loc);
      for (const nl of r.newlines) newline(nl);
      tokens.push({ kind: 'string', value: r.value, loc, textBlock: true });
      i = r.end;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw staticError(`Could not lex the character ${JSON.stringify(c)}`, loc);
    tokens.push({ kind: 'op', value: op, loc });
    i += op.length;
  }
  tokens.push({ kind: 'eof', value: '', loc: at(i) });
  return tokens;
}

interface Scanned {
  readonly value: string;
  readonly end: number;
  /** Offsets of the newlines inside, to keep line numbers right. */
  readonly newlines: number[];
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
};

function quoted(text: string, start: number, q: string, loc: Loc): Scanned {
  // Find the end first: a string without one is unterminated, whatever its escapes.
  let end = start + 1;
  while (end < text.length && text[end] !== q) end += text[end] === '\\' ? 2 : 1;
  if (end >= text.length) throw staticError('unterminated string', loc);
  let j = start + 1;
  let value = '';
  const newlines: number[] = [];
  for (;;) {
    if (j >= text.length) throw staticError('unterminated string', loc);
    const d = text[j]!;
    if (d === q) break;
    if (d === '\n') newlines.push(j);
    if (d !== '\\') {
      value += d;
      j++;
      continue;
    }
    const e = text[j + 1];
    if (e === undefined) throw staticError('unterminated string', loc);
    if (e === 't') value += '\t';
    else if (e in ESCAPES) value += ESCAPES[e];
    else if (e === 'u') {
      const code = hex4(text, j + 2, loc);
      j += 6;
      // A surrogate pair written as two escapes is one code point, as in JSON.
      if (code >= 0xd800 && code < 0xdc00 && text[j] === '\\' && text[j + 1] === 'u') {
        const low = hex4(text, j + 2, loc);
        if (low >= 0xdc00 && low < 0xe000) {
          value += String.fromCharCode(code, low);
          j += 6;
          continue;
        }
      }
      value += String.fromCharCode(code);
      continue;
    } else if (e === '\n') {
      throw staticError(`Unknown escape sequence in string literal: '\\n'`, loc);
    } else throw staticError(`Unknown escape sequence in string literal: '${e}'`, loc);
    j += 2;
  }
  return { value, end: j + 1, newlines };
}

function hex4(text: string, at: number, loc: Loc): number {
  let code = 0;
  for (let k = 0; k < 4; k++) {
    const h = text[at + k];
    if (h === undefined) throw staticError('unterminated string', loc);
    const v = Number.parseInt(h, 16);
    if (Number.isNaN(v)) {
      if (h === '"' || h === "'") throw staticError('Truncated unicode escape sequence in string literal.', loc);
      throw staticError(`Malformed unicode escape character, should be hex: '${h}'`, loc);
    }
    code = code * 16 + v;
  }
  return code;
}

/**
 * `|||` (or `|||-`, which drops the final newline), a newline, then lines indented by the first
 * line's whitespace; ends at a less indented `|||`.
 */
function textBlock(text: string, start: number, loc: Loc): Scanned {
  const newlines: number[] = [];
  let j = start + 3;
  const chomp = text[j] === '-';
  if (chomp) j++;
  while (text[j] === ' ' || text[j] === '\t' || text[j] === '\r') j++;
  if (text[j] !== '\n') throw staticError('text block syntax requires new line after |||.', loc);
  newlines.push(j);
  j++;
  // Empty lines before the first line of content keep their newlines.
  let value = '';
  while (text[j] === '\n') {
    newlines.push(j);
    value += '\n';
    j++;
  }
  let k = j;
  while (text[k] === ' ' || text[k] === '\t') k++;
  const indent = text.slice(j, k);
  if (indent === '') throw staticError("text block's first line must start with whitespace.", loc);
  for (;;) {
    if (j >= text.length) throw staticError('text block not terminated with |||', loc);
    if (text.startsWith(indent, j)) {
      const eol = text.indexOf('\n', j);
      if (eol < 0) throw staticError('unexpected EOF', loc);
      value += `${text.slice(j + indent.length, eol)}\n`;
      newlines.push(eol);
      j = eol + 1;
      while (text[j] === '\n') {
        newlines.push(j);
        value += '\n';
        j++;
      }
      continue;
    }
    let w = j;
    while (text[w] === ' ' || text[w] === '\t') w++;
    if (!text.startsWith('|||', w)) throw staticError('text block not terminated with |||', loc);
    if (chomp) value = value.slice(0, -1);
    return { value, end: w + 3, newlines };
  }
}
