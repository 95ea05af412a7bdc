// Regular expressions with Go's RE2 syntax and semantics (via re2js): `(?i)`, `\pL`, no
// backreferences or lookaround, leftmost-first matching, Go's handling of empty matches.
import type { Value } from '../value.js';
import { intArg, stringArg } from './args.js';
import { compileRegexp, findAll, findAllSubmatch, isValidRegexp, quoteMeta, replaceAll, split } from './go-regexp.js';
import { goQuote } from './go-text.js';
import { globsIntersect } from './regex-globs.js';
import { type BuiltinArg, type BuiltinContext, type BuiltinDecl, BuiltinError, declare, implement } from './table.js';
import { T } from '../types.js';

const pattern: BuiltinArg = { name: 'pattern', type: T.string, description: 'regular expression' };
const value = (description: string): BuiltinArg => ({ name: 'value', type: T.string, description });

function regexMatch([p, v]: readonly Value[], ctx: BuiltinContext): Value {
  ctx.budget.checkDeadline();
  const re = compileRegexp(stringArg(p, 1));
  return re.test(stringArg(v, 2));
}

const match = declare({
  name: 'regex.match',
  args: [pattern, value('value to match against `pattern`')],
  result: { name: 'result', type: T.boolean, description: 'true if `value` matches `pattern`' },
  description: 'Matches a string against a regular expression.',
  categories: ['regex'],
});
implement(match, regexMatch);

const reMatch = declare({
  name: 're_match',
  args: [pattern, value('value to match against `pattern`')],
  result: { name: 'result', type: T.boolean },
  description: 'Matches a string against a regular expression (deprecated: use `regex.match`).',
  categories: ['regex'],
  deprecated: true,
});
implement(reMatch, regexMatch);

const isValid = declare({
  name: 'regex.is_valid',
  args: [pattern],
  result: { name: 'result', type: T.boolean, description: 'true if `pattern` is a valid regular expression' },
  description:
    'Checks if a string is a valid regular expression: the detailed syntax for patterns is defined by ' +
    'https://github.com/google/re2/wiki/Syntax.',
  categories: ['regex'],
});
// Any operand that is not a valid pattern, including a non-string, is simply `false`.
implement(isValid, ([p]) => typeof p === 'string' && isValidRegexp(p));

const regexSplit = declare({
  name: 'regex.split',
  args: [pattern, value('string to match')],
  result: { name: 'output', type: T.array(T.string), description: 'the parts obtained by splitting `value`' },
  description: 'Splits the input string by the occurrences of the given pattern.',
  categories: ['regex'],
});
implement(regexSplit, ([p, v], ctx) => {
  ctx.budget.checkDeadline();
  return split(compileRegexp(stringArg(p, 1)), stringArg(v, 2));
});

const findN = declare({
  name: 'regex.find_n',
  args: [
    pattern,
    value('string to match'),
    { name: 'number', type: T.number, description: 'number of matches to return, if `-1`, returns all matches' },
  ],
  result: { name: 'output', type: T.array(T.string), description: 'collected matches' },
  description: 'Returns the specified number of matches when matching the input against the pattern.',
  categories: ['regex'],
});
implement(findN, ([p, v, n], ctx) => {
  ctx.budget.checkDeadline();
  const re = compileRegexp(stringArg(p, 1));
  return findAll(re, stringArg(v, 2), intArg(n, 3));
});

const findAllStringSubmatch = declare({
  name: 'regex.find_all_string_submatch_n',
  args: [
    pattern,
    value('string to match'),
    { name: 'number', type: T.number, description: 'number of matches to return; `-1` means all matches' },
  ],
  result: { name: 'output', type: T.array(T.array(T.string)), description: 'array of all matches' },
  description: 'Returns all successive matches of the expression.',
  categories: ['regex'],
});
implement(findAllStringSubmatch, ([p, v, n], ctx) => {
  ctx.budget.checkDeadline();
  const re = compileRegexp(stringArg(p, 1));
  return findAllSubmatch(re, stringArg(v, 2), intArg(n, 3));
});

const replace = declare({
  name: 'regex.replace',
  args: [
    { name: 's', type: T.string, description: 'string being processed' },
    { name: 'pattern', type: T.string, description: 'regex pattern to be applied' },
    { name: 'value', type: T.string, description: 'regex value' },
  ],
  result: { name: 'output', type: T.string, description: 'string with replaced substrings' },
  description: 'Find and replaces the text using the regular expression pattern.',
  categories: ['regex'],
  builds: true,
});
implement(replace, ([s, p, v], ctx) => {
  ctx.budget.checkDeadline();
  const base = stringArg(s, 1);
  const re = compileRegexp(stringArg(p, 2));
  return replaceAll(re, base, stringArg(v, 3));
});

const templateMatch = declare({
  name: 'regex.template_match',
  args: [
    { name: 'template', type: T.string, description: 'template expression containing `0..n` regular expressions' },
    value('string to match'),
    { name: 'delimiter_start', type: T.string, description: 'start delimiter of the regular expression in `template`' },
    { name: 'delimiter_end', type: T.string, description: 'end delimiter of the regular expression in `template`' },
  ],
  result: { name: 'result', type: T.boolean, description: 'true if `value` matches the `template`' },
  description: 'Matches a string against a pattern, where there pattern may be glob-like',
  categories: ['regex'],
});
implement(templateMatch, ([t, v, s, e], ctx) => {
  ctx.budget.checkDeadline();
  const template = stringArg(t, 1);
  const text = stringArg(v, 2);
  const start = stringArg(s, 3);
  const end = stringArg(e, 4);
  const startLen = Buffer.byteLength(start);
  // OPA reports the start delimiter's length in both messages.
  if (startLen !== 1)
    throw new BuiltinError(`start delimiter has to be exactly one character long but is ${startLen} long`);
  if (Buffer.byteLength(end) !== 1)
    throw new BuiltinError(`end delimiter has to be exactly one character long but is ${startLen} long`);
  return compileTemplate(template, start, end).test(text);
});

/** A template like `urn:foo:{.*}`: literal text quoted, delimited parts taken as regexps. */
function compileTemplate(template: string, open: string, close: string) {
  const bounds: number[] = [];
  let level = 0;
  let begin = 0;
  for (let i = 0; i < template.length; i++) {
    if (template[i] === open) {
      if (++level === 1) begin = i;
    } else if (template[i] === close) {
      if (--level === 0) bounds.push(begin, i + 1);
      else if (level < 0) throw new BuiltinError(`unbalanced braces in ${goQuote(template)}`);
    }
  }
  if (level !== 0) throw new BuiltinError(`unbalanced braces in ${goQuote(template)}`);
  let source = '^';
  let end = 0;
  for (let i = 0; i < bounds.length; i += 2) {
    const raw = template.slice(end, bounds[i]);
    end = bounds[i + 1]!;
    const part = template.slice(bounds[i]! + 1, end - 1);
    compileRegexp(`^${part}$`); // each part must be valid on its own
    source += `${quoteMeta(raw)}(${part})`;
  }
  return compileRegexp(`${source + quoteMeta(template.slice(end))}$`);
}

const globsMatch: BuiltinDecl = declare({
  name: 'regex.globs_match',
  args: [
    { name: 'glob1', type: T.string, description: 'first glob-style regular expression' },
    { name: 'glob2', type: T.string, description: 'second glob-style regular expression' },
  ],
  result: {
    name: 'result',
    type: T.boolean,
    description: 'true if the intersection of `glob1` and `glob2` matches a non-empty set of non-empty strings',
  },
  description:
    'Checks if the intersection of two glob-style regular expressions matches a non-empty set of non-empty ' +
    'strings.\nThe set of regex symbols is limited for this builtin: only `.`, `*`, `+`, `[`, `-`, `]` and ' +
    '`\\` are treated as special symbols.',
  categories: ['regex'],
});
implement(globsMatch, ([a, b]) => globsIntersect(stringArg(a, 1), stringArg(b, 2)));
