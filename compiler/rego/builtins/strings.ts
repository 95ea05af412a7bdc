// String builtins, with Go's semantics: positions and lengths count runes (code points),
// case mapping is per rune, and "white space" is Go's unicode.IsSpace.
import { toBigInt, type RegoNumber } from '../number.js';
import { SetValue, numbersEqual, type Value } from '../value.js';
import { numberArg, intArg, objectArg, stringArg, stringsArg } from './args.js';
import { isGoSpace, mapCase, runes } from './go-text.js';
import {
  type BuiltinArg,
  type BuiltinDecl,
  BuiltinError,
  declare,
  implement,
  operandError,
  operandTypeError,
} from './table.js';
import { T, type RegoType } from '../types.js';

const categories = ['strings'];

function str(name: string, description: string): BuiltinArg {
  return { name, type: T.string, description };
}

function builtin(
  name: string,
  args: BuiltinArg[],
  result: BuiltinArg,
  description: string,
  fn: (args: readonly Value[]) => Value | undefined,
  extra: Partial<BuiltinDecl> = {},
): void {
  implement(declare({ name, args, result, description, categories, ...extra }), fn);
}

/** Two string operands. */
function strings2(fn: (a: string, b: string) => Value) {
  return ([a, b]: readonly Value[]) => fn(stringArg(a, 1), stringArg(b, 2));
}

// --- searching -------------------------------------------------------------------------

builtin(
  'contains',
  [str('haystack', 'string to search in'), str('needle', 'substring to look for')],
  { name: 'result', type: T.boolean, description: 'result of the containment check' },
  'Returns `true` if the search string is included in the base string',
  strings2((s, sub) => s.includes(sub)),
);

builtin(
  'startswith',
  [str('search', 'search string'), str('base', 'base string')],
  { name: 'result', type: T.boolean, description: 'result of the prefix check' },
  'Returns true if the search string begins with the base string.',
  strings2((s, p) => s.startsWith(p)),
);

builtin(
  'endswith',
  [str('search', 'search string'), str('base', 'base string')],
  { name: 'result', type: T.boolean, description: 'result of the suffix check' },
  'Returns true if the search string ends with the base string.',
  strings2((s, p) => s.endsWith(p)),
);

/** Rune indexes at which `needle` starts in `haystack`. */
function runeIndexes(haystack: string, needle: string, first: boolean): number[] {
  if (needle === '') throw new BuiltinError('empty search character');
  const out: number[] = [];
  let runeIndex = 0;
  for (let i = 0; i < haystack.length; ) {
    if (haystack.startsWith(needle, i)) {
      out.push(runeIndex);
      if (first) break;
    }
    i += haystack.codePointAt(i)! > 0xffff ? 2 : 1;
    runeIndex++;
  }
  return out;
}

builtin(
  'indexof',
  [str('haystack', 'string to search in'), str('needle', 'substring to look for')],
  { name: 'output', type: T.number, description: 'index of first occurrence, `-1` if not found' },
  'Returns the index of a substring contained inside a string.',
  strings2((s, n) => runeIndexes(s, n, true)[0] ?? -1),
);

builtin(
  'indexof_n',
  [str('haystack', 'string to search in'), str('needle', 'substring to look for')],
  {
    name: 'output',
    type: T.array(T.number),
    description: 'all indices at which `needle` occurs in `haystack`, may be empty',
  },
  'Returns a list of all the indexes of a substring contained inside a string.',
  strings2((s, n) => runeIndexes(s, n, false)),
);

builtin(
  'strings.count',
  [str('search', 'string to search in'), str('substring', 'substring to look for')],
  { name: 'output', type: T.number, description: 'count of occurrences, `0` if not found' },
  'Returns the number of non-overlapping instances of a substring in a string.',
  strings2((s, sub) => {
    if (sub === '') return runes(s).length + 1;
    let n = 0;
    for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++;
    return n;
  }),
);

/** `strings.any_prefix_match` operands: a string, or an array/set of strings. */
function stringOrStrings(v: Value | undefined, pos: number): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) || v instanceof SetValue) return stringsArg(v, pos);
  throw operandTypeError(pos, v ?? null, 'string', 'set', 'array');
}

const stringsOrString: RegoType = T.anyOf(T.string, T.set(T.string), T.array(T.string));

builtin(
  'strings.any_prefix_match',
  [
    { name: 'search', type: stringsOrString, description: 'search string(s)' },
    { name: 'base', type: stringsOrString, description: 'base string(s)' },
  ],
  { name: 'result', type: T.boolean, description: 'result of the prefix check' },
  'Returns true if any of the search strings begins with any of the base strings.',
  ([a, b]) => {
    const strs = stringOrStrings(a, 1);
    const prefixes = stringOrStrings(b, 2);
    return strs.some((s) => prefixes.some((p) => s.startsWith(p)));
  },
);

builtin(
  'strings.any_suffix_match',
  [
    { name: 'search', type: stringsOrString, description: 'search string(s)' },
    { name: 'base', type: stringsOrString, description: 'base string(s)' },
  ],
  { name: 'result', type: T.boolean, description: 'result of the suffix check' },
  'Returns true if any of the search strings ends with any of the base strings.',
  ([a, b]) => {
    const strs = stringOrStrings(a, 1);
    const suffixes = stringOrStrings(b, 2);
    return strs.some((s) => suffixes.some((p) => s.endsWith(p)));
  },
);

// --- building --------------------------------------------------------------------------

builtin(
  'concat',
  [
    str('delimiter', 'string to use as a delimiter'),
    { name: 'collection', type: T.anyOf(T.set(T.string), T.array(T.string)), description: 'strings to join' },
  ],
  { name: 'output', type: T.string, description: 'the joined string' },
  'Joins a set or array of strings with a delimiter.',
  ([d, xs]) => {
    const delim = stringArg(d, 1);
    if (!Array.isArray(xs) && !(xs instanceof SetValue)) throw operandTypeError(2, xs ?? null, 'set', 'array');
    return stringsArg(xs, 2).join(delim);
  },
  { builds: true },
);

builtin(
  'substring',
  [
    str('value', 'string to extract substring from'),
    { name: 'offset', type: T.number, description: 'offset, must be positive' },
    { name: 'length', type: T.number, description: 'length of the substring starting from `offset`' },
  ],
  { name: 'output', type: T.string, description: 'substring of `value` from `offset`, of length `length`' },
  'Returns the  portion of a string for a given `offset` and a `length`.  If `length < 0`, `output` is the ' +
    'remainder of the string.',
  ([s, o, l]) => {
    const value = stringArg(s, 1);
    const offset = intArg(o, 2);
    const length = intArg(l, 3);
    if (offset < 0) throw new BuiltinError('negative offset');
    const rs = runes(value);
    if (offset >= rs.length) return '';
    return rs.slice(offset, length < 0 ? undefined : offset + length).join('');
  },
);

builtin(
  'lower',
  [str('x', 'string that is converted to lower-case')],
  str('y', 'lower-case of x'),
  'Returns the input string but with all characters in lower-case.',
  ([x]) => mapCase(stringArg(x, 1), false),
);

builtin(
  'upper',
  [str('x', 'string that is converted to upper-case')],
  str('y', 'upper-case of x'),
  'Returns the input string but with all characters in upper-case.',
  ([x]) => mapCase(stringArg(x, 1), true),
);

builtin(
  'split',
  [str('x', 'string that is split'), str('delimiter', 'delimiter used for splitting')],
  { name: 'ys', type: T.array(T.string), description: 'split parts' },
  'Split returns an array containing elements of the input string split on a delimiter.',
  strings2((s, d) => (d === '' ? runes(s) : s.split(d))),
);

/** Go's strings.NewReplacer(pairs...).Replace(s): at each position the first matching old
 * string (in argument order) wins; matches do not overlap; an empty old string matches
 * between runes. */
function replacePairs(s: string, pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 1 && pairs[0]![0] !== '') return s.split(pairs[0]![0]).join(pairs[0]![1]);
  let out = '';
  let i = 0;
  for (;;) {
    const hit = pairs.find(([old]) => s.startsWith(old, i));
    if (hit !== undefined) {
      out += hit[1];
      if (hit[0] !== '') {
        i += hit[0].length;
        continue;
      }
    }
    if (i >= s.length) break;
    const step = s.codePointAt(i)! > 0xffff ? 2 : 1;
    out += s.slice(i, i + step);
    i += step;
  }
  return out;
}

builtin(
  'replace',
  [str('x', 'string being processed'), str('old', 'substring to replace'), str('new', 'string to replace `old` with')],
  str('y', 'string with replaced substrings'),
  'Replace replaces all instances of a sub-string.',
  ([s, o, n]) => replacePairs(stringArg(s, 1), [[stringArg(o, 2), stringArg(n, 3)]]),
  { builds: true },
);

builtin(
  'strings.replace_n',
  [
    { name: 'patterns', type: T.object(T.string, T.string), description: 'replacement pairs' },
    str('value', 'string to replace substring matches in'),
  ],
  str('output', 'string with replaced substrings'),
  'Replaces a string from a list of old, new string pairs.\nReplacements are performed in the order they ' +
    'appear in the target string, without overlapping matches.\nThe old string comparisons are done in argument ' +
    'order.',
  ([p, s]) => {
    const patterns = objectArg(p, 1);
    const value = stringArg(s, 2);
    const pairs: [string, string][] = [];
    for (const [k, v] of patterns.entries()) {
      if (typeof k !== 'string') throw operandError(1, 'non-string key found in pattern object');
      if (typeof v !== 'string') throw operandError(1, 'non-string value found in pattern object');
      pairs.push([k, v]);
    }
    return pairs.length === 0 ? value : replacePairs(value, pairs);
  },
  { builds: true },
);

builtin(
  'strings.reverse',
  [str('x', 'string to reverse')],
  str('y', 'reversed string'),
  'Reverses a given string.',
  ([x]) => runes(stringArg(x, 1)).reverse().join(''),
);

builtin(
  'format_int',
  [
    { name: 'number', type: T.number, description: 'number to format' },
    { name: 'base', type: T.number, description: 'base of number representation to use' },
  ],
  str('output', 'formatted number'),
  'Returns the string representation of the number in the given base after rounding it down to an integer value.',
  ([n, b]) => {
    const input = numberArg(n, 1);
    const base = numberArg(b, 2);
    const radix = [2, 8, 10, 16].find((r) => numbersEqual(base, r));
    if (radix === undefined) throw operandError(2, 'must be one of {2, 8, 10, 16}');
    return truncate(input).toString(radix);
  },
);

/** Towards zero, as Go's big.Float.Int. */
function truncate(n: RegoNumber): bigint {
  const exact = toBigInt(n);
  if (exact !== undefined) return exact;
  const text = n.toString();
  const m = /^(-?)(\d*)(?:\.\d*)?(?:e([+-]?\d+))?$/i.exec(text);
  if (m && m[3] === undefined) return BigInt(m[1]! + (m[2] || '0'));
  return BigInt(Math.trunc(Number(text)));
}

// --- trimming --------------------------------------------------------------------------

function trimRunes(s: string, cutset: string, left: boolean, right: boolean): string {
  const cut = new Set(runes(cutset));
  const rs = runes(s);
  let start = 0;
  let end = rs.length;
  if (left) while (start < end && cut.has(rs[start]!)) start++;
  if (right) while (end > start && cut.has(rs[end - 1]!)) end--;
  return rs.slice(start, end).join('');
}

const trimArgs = (what: string): BuiltinArg[] => [
  str('value', 'string to trim'),
  str('cutset', `string of characters that are cut off${what}`),
];

builtin(
  'trim',
  trimArgs(''),
  str('output', 'string trimmed of `cutset` characters'),
  'Returns `value` with all leading or trailing instances of the `cutset` characters removed.',
  strings2((s, c) => trimRunes(s, c, true, true)),
);

builtin(
  'trim_left',
  trimArgs(' on the left'),
  str('output', 'string left-trimmed of `cutset` characters'),
  'Returns `value` with all leading instances of the `cutset` characters removed.',
  strings2((s, c) => trimRunes(s, c, true, false)),
);

builtin(
  'trim_right',
  trimArgs(' on the right'),
  str('output', 'string right-trimmed of `cutset` characters'),
  'Returns `value` with all trailing instances of the `cutset` characters removed.',
  strings2((s, c) => trimRunes(s, c, false, true)),
);

builtin(
  'trim_prefix',
  [str('value', 'string to trim'), str('prefix', 'prefix to cut off')],
  str('output', 'string with `prefix` cut off'),
  "Returns `value` without the prefix. If `value` doesn't start with `prefix`, it is returned unchanged.",
  strings2((s, p) => (s.startsWith(p) ? s.slice(p.length) : s)),
);

builtin(
  'trim_suffix',
  [str('value', 'string to trim'), str('suffix', 'suffix to cut off')],
  str('output', 'string with `suffix` cut off'),
  "Returns `value` without the suffix. If `value` doesn't end with `suffix`, it is returned unchanged.",
  strings2((s, p) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
);

builtin(
  'trim_space',
  [str('value', 'string to trim')],
  str('output', 'string leading and trailing white space cut off'),
  'Return the given string with all leading and trailing white space removed.',
  ([x]) => {
    const rs = runes(stringArg(x, 1));
    let start = 0;
    let end = rs.length;
    while (start < end && isGoSpace(rs[start]!.codePointAt(0)!)) start++;
    while (end > start && isGoSpace(rs[end - 1]!.codePointAt(0)!)) end--;
    return rs.slice(start, end).join('');
  },
);
