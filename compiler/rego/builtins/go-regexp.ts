// Go's regexp package on top of re2js (a port of RE2 with Go's syntax and matching rules):
// compilation with a small cache, FindAll/Split/ReplaceAll with Go's treatment of empty
// matches, and Expand for `$1`/`${name}` templates.
import { RE2JS } from 're2js';
import { BuiltinError } from './table.js';

const cache = new Map<string, RE2JS>();
const CACHE_MAX = 100;

/** Compiles a Go regular expression; a syntax error is a builtin error with Go's message. */
export function compileRegexp(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      throw new BuiltinError(e instanceof Error ? e.message : String(e));
    }
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(pattern, re);
  }
  return re;
}

export function isValidRegexp(pattern: string): boolean {
  try {
    compileRegexp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Go's Regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Submatch index arrays ([start, end] pairs, -1 when a group did not take part) of up to n
 * successive matches (n < 0: all). */
export function findAllIndex(re: RE2JS, s: string, n: number): number[][] {
  if (n === 0) return [];
  const all = re.re2().findAllSubmatchIndex(s, n < 0 ? -1 : n) as number[][] | null;
  return all ?? [];
}

export function findAll(re: RE2JS, s: string, n: number): string[] {
  return findAllIndex(re, s, n).map((m) => s.slice(m[0], m[1]));
}

export function findAllSubmatch(re: RE2JS, s: string, n: number): string[][] {
  return findAllIndex(re, s, n).map((m) => {
    const groups: string[] = [];
    for (let i = 0; i < m.length; i += 2) groups.push(m[i]! >= 0 ? s.slice(m[i], m[i + 1]) : '');
    return groups;
  });
}

/** Go's Regexp.Split(s, -1). */
export function split(re: RE2JS, s: string): string[] {
  if (re.pattern().length > 0 && s.length === 0) return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of findAllIndex(re, s, -1)) {
    end = m[0]!;
    if (m[1] !== 0) out.push(s.slice(beg, end));
    beg = m[1]!;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's Regexp.ReplaceAllString: `$1`, `${1}`, `${name}` and `$$` in the replacement. */
export function replaceAll(re: RE2JS, s: string, template: string): string {
  let out = '';
  let last = 0;
  const names = re.namedGroups();
  for (const m of findAllIndex(re, s, -1)) {
    out += s.slice(last, m[0]) + expand(template, s, m, names);
    last = m[1]!;
  }
  return out + s.slice(last);
}

function expand(template: string, s: string, m: number[], names: Record<string, number>): string {
  let out = '';
  let t = template;
  for (;;) {
    const i = t.indexOf('$');
    if (i < 0) break;
    out += t.slice(0, i);
    t = t.slice(i + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const ref = /^(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/.exec(t);
    if (!ref) {
      out += '$'; // malformed: the `$` is literal text
      continue;
    }
    t = t.slice(ref[0].length);
    const name = ref[1] ?? ref[2]!;
    const group = /^\d+$/.test(name) ? Number(name) : names[name];
    if (group !== undefined && 2 * group + 1 < m.length && m[2 * group]! >= 0)
      out += s.slice(m[2 * group], m[2 * group + 1]);
  }
  return out + t;
}
