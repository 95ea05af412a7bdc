// glob.match with the semantics of github.com/gobwas/glob (which OPA uses): `*` matches any
// run of non-delimiter characters, `**` any run at all, `?` one non-delimiter character,
// `[abc]`/`[a-z]` (negated with `!`) one character, `{a,b}` alternatives, `\` escapes.
// The pattern is compiled to a regular expression for re2js, whose matching takes linear time:
// a backtracking engine (JS's own) can take exponential time on patterns like `*a*a*a*b`.
import { RE2JS } from 're2js';
import { typeName } from '../value.js';
import { runes } from './go-text.js';
import { stringArg } from './args.js';
import { BuiltinError, declare, implement, operandError, operandTypeError } from './table.js';
import { T } from '../types.js';

const cache = new Map<string, RE2JS>();
const CACHE_MAX = 100;

function escapeClassChar(ch: string): string {
  return /[\\\]^\-[]/.test(ch) ? `\\${ch}` : ch;
}

function escapeChar(ch: string): string {
  return /[\\^$.*+?()[\]{}|]/.test(ch) ? `\\${ch}` : ch;
}

/** Any character, newlines included. */
const ANY = '(?s:.)';

/** Translates a glob to a regular expression source (without anchors). */
function translate(pattern: string, delimiters: readonly string[]): string {
  const cs = runes(pattern);
  const notSep = delimiters.length === 0 ? ANY : `[^${delimiters.map(escapeClassChar).join('')}]`;
  let i = 0;

  const parse = (inTerms: boolean): string => {
    let out = '';
    while (i < cs.length) {
      const c = cs[i]!;
      if (inTerms && (c === ',' || c === '}')) return out;
      i++;
      switch (c) {
        case '\\':
          if (i >= cs.length) throw new BuiltinError('unexpected end of input after escape character');
          out += escapeChar(cs[i++]!);
          break;
        case '*':
          if (cs[i] === '*') {
            i++;
            out += `${ANY}*`;
          } else out += `${notSep}*`;
          break;
        case '?':
          out += notSep;
          break;
        case '[':
          out += parseClass();
          break;
        case '{': {
          const alts: string[] = [];
          for (;;) {
            alts.push(parse(true));
            if (i >= cs.length) throw new BuiltinError('unexpected end of input: unclosed {');
            if (cs[i++] === '}') break;
          }
          out += `(?:${alts.join('|')})`;
          break;
        }
        default:
          out += escapeChar(c);
      }
    }
    if (inTerms) throw new BuiltinError('unexpected end of input: unclosed {');
    return out;
  };

  const parseClass = (): string => {
    let negate = false;
    if (cs[i] === '!') {
      negate = true;
      i++;
    }
    let body = '';
    let closed = false;
    while (i < cs.length) {
      const c = cs[i++]!;
      if (c === ']') {
        closed = true;
        break;
      }
      if (c === '\\' && i < cs.length) body += escapeClassChar(cs[i++]!);
      else if (c === '-' && body !== '' && i < cs.length && cs[i] !== ']') body += '-';
      else body += escapeClassChar(c);
    }
    if (!closed || body === '') throw new BuiltinError('unexpected end of input: unclosed [');
    return negate ? `[^${body}]` : `[${body}]`;
  };

  return parse(false);
}

export function compileGlob(pattern: string, delimiters: readonly string[]): RE2JS {
  const key = `${pattern}\u0000${delimiters.join('')}`;
  let re = cache.get(key);
  if (re === undefined) {
    re = RE2JS.compile(translate(pattern, delimiters));
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, re);
  }
  return re;
}

const globMatch = declare({
  name: 'glob.match',
  args: [
    { name: 'pattern', type: T.string, description: 'glob pattern' },
    {
      name: 'delimiters',
      type: T.anyOf(T.array(T.string), T.null),
      description:
        'glob pattern delimiters, e.g. `[".", ":"]`, defaults to `["."]` if unset. If `delimiters` is `null`, ' +
        'glob match without delimiter.',
    },
    { name: 'match', type: T.string, description: 'string to match against `pattern`' },
  ],
  result: {
    name: 'result',
    type: T.boolean,
    description: 'true if `match` can be found in `pattern` which is separated by `delimiters`',
  },
  description: 'Parses and matches strings against the glob notation. Not to be confused with `regex.globs_match`.',
  categories: ['glob'],
});

implement(globMatch, ([p, d, m], ctx) => {
  const pattern = stringArg(p, 1);
  let delimiters: string[];
  if (d === null) delimiters = [];
  else if (Array.isArray(d)) {
    delimiters = d.map((x) => {
      if (typeof x !== 'string')
        throw operandError(2, `must be array of strings but got array containing ${typeName(x)}`);
      if (runes(x).length !== 1) throw operandError(2, 'must be array of runes but got array containing string');
      return x;
    });
    if (delimiters.length === 0) delimiters = ['.'];
  } else throw operandTypeError(2, d ?? null, 'array', 'null');
  const text = stringArg(m, 3);
  ctx.budget.checkDeadline();
  return compileGlob(pattern, delimiters).matches(text);
});

const quoteMeta = declare({
  name: 'glob.quote_meta',
  args: [{ name: 'pattern', type: T.string, description: 'glob pattern' }],
  result: { name: 'output', type: T.string, description: 'the escaped string of `pattern`' },
  description: 'Returns a string which represents a version of the pattern where all asterisks have been escaped.',
  categories: ['glob'],
});

// gobwas/glob's special characters: * ? \ [ ] { }
implement(quoteMeta, ([p]) => stringArg(p, 1).replace(/[*?\\[\]{}]/g, '\\$&'));
