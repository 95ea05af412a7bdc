// regex.globs_match: whether two "glob-style" regular expressions (only `.`, `*`, `+`,
// `[...]`, `-` and `\` are special) have a non-empty intersection. Follows the algorithm of
// github.com/yashtewari/glob-intersection, which OPA uses, including its error messages.
import { BuiltinError } from './table.js';

type Flag = 'none' | 'plus' | 'star';
type Token =
  | { kind: 'char'; r: number; flag: Flag }
  | { kind: 'dot'; flag: Flag }
  | { kind: 'set'; runes: Set<number>; flag: Flag };

class GlobError extends BuiltinError {}

function invalid(input: number[], index: number, message: string): GlobError {
  return new GlobError(
    `input:${String.fromCodePoint(...input)}, pos:${index}, ${message}: the input provided is invalid`,
  );
}

interface Rune {
  next: number;
  r: number;
  escaped: boolean;
}

function nextRune(index: number, input: number[]): Rune | undefined {
  if (index >= input.length) return undefined;
  if (input[index] === 0x5c) {
    if (index === input.length - 1) throw invalid(input, index, 'input ends with a \\ (escape) character');
    return { next: index + 2, r: input[index + 1]!, escaped: true };
  }
  return { next: index + 1, r: input[index]!, escaped: false };
}

function tokenize(text: string): Token[] {
  const input = Array.from(text, (c) => c.codePointAt(0)!);
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    const rn = nextRune(i, input);
    if (rn === undefined) break;
    i = rn.next;
    let token: Token;
    const ch = String.fromCodePoint(rn.r);
    if (!rn.escaped && ch === '.') token = { kind: 'dot', flag: 'none' };
    else if (!rn.escaped && ch === ']') throw invalid(input, i, "set-close ']' with no preceding '['");
    else if (!rn.escaped && ch === '[') {
      // A trailing `[` ends the input silently, as in the library.
      if (i >= input.length) break;
      [i, token] = tokenizeSet(i, input);
    } else if (!rn.escaped && (ch === '+' || ch === '*'))
      throw invalid(input, i, `flag '${ch}' must be preceded by a non-flag`);
    else token = { kind: 'char', r: rn.r, flag: 'none' };
    const f = nextRune(i, input);
    if (f && !f.escaped && (f.r === 0x2b || f.r === 0x2a)) {
      token.flag = f.r === 0x2b ? 'plus' : 'star';
      i = f.next;
    }
    tokens.push(token);
  }
  return simplify(tokens);
}

function tokenizeSet(index: number, input: number[]): [number, Token] {
  const runes = new Set<number>();
  let prev = 0;
  let prevExists = false;
  let i = index;
  for (;;) {
    const rn = nextRune(i, input);
    // The library reports this at position 0 (its index is reset at the end of input).
    if (rn === undefined) throw invalid(input, 0, 'found [ without matching ]');
    i = rn.next;
    if (rn.escaped) {
      runes.add(rn.r);
      prev = rn.r;
      prevExists = true;
      continue;
    }
    if (rn.r === 0x5d) return [i, { kind: 'set', runes, flag: 'none' }];
    if (rn.r === 0x2d) {
      if (!prevExists) throw invalid(input, i, "range character '-' must be preceded by a Unicode character");
      if (i >= input.length - 1) throw invalid(input, i, "range character '-' must be followed by a Unicode character");
      const hi = nextRune(i, input)!;
      i = hi.next;
      if (!hi.escaped && (hi.r === 0x5d || hi.r === 0x2d))
        throw invalid(input, i, "range character '-' cannot be followed by a special symbol");
      if (hi.r < prev) {
        const [a, b] = [String.fromCodePoint(hi.r), String.fromCodePoint(prev)];
        throw invalid(input, i, `range is out of order: '${a}' comes before '${b}' in Unicode`);
      }
      for (let x = prev; x <= hi.r; x++) runes.add(x);
      prevExists = false;
      continue;
    }
    runes.add(rn.r);
    prev = rn.r;
    prevExists = true;
  }
}

function sameToken(a: Token, b: Token): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'char') return a.r === (b as typeof a).r;
  if (a.kind === 'set') {
    const o = (b as typeof a).runes;
    return a.runes.size === o.size && [...a.runes].every((r) => o.has(r));
  }
  return true;
}

/** Merges adjacent equal flagged tokens: `t*t+` is `t+`. */
function simplify(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (last && t.flag !== 'none' && last.flag !== 'none' && sameToken(t, last)) {
      last.flag = t.flag === 'plus' || last.flag === 'plus' ? 'plus' : 'star';
      continue;
    }
    out.push(t);
  }
  return out;
}

function match(a: Token, b: Token): boolean {
  if (a.kind === 'dot' || b.kind === 'dot') return true;
  if (a.kind === 'char' && b.kind === 'char') return a.r === b.r;
  if (a.kind === 'char') return (b as Extract<Token, { kind: 'set' }>).runes.has(a.r);
  if (b.kind === 'char') return a.runes.has(b.r);
  for (const r of a.runes) if (b.runes.has(r)) return true;
  return false;
}

/** Strips matching unflagged prefixes and suffixes (keeping one token of each). */
function trim(g1: Token[], g2: Token[]): [Token[], Token[]] | undefined {
  let l = 0;
  for (; l < g1.length && l < g2.length && g1[l]!.flag === 'none' && g2[l]!.flag === 'none'; l++) {
    if (!match(g1[l]!, g2[l]!)) return undefined;
  }
  if (l > 0) l--;
  let r1 = g1.length - 1;
  let r2 = g2.length - 1;
  for (; r1 >= 0 && r1 >= l && r2 >= 0 && r2 >= l && g1[r1]!.flag === 'none' && g2[r2]!.flag === 'none'; r1--, r2--) {
    if (!match(g1[r1]!, g2[r2]!)) return undefined;
  }
  if (r1 < g1.length - 1) {
    r1++;
    r2++;
  }
  return [g1.slice(l, r1 + 1), g2.slice(l, r2 + 1)];
}

function intersectNormal(g1: Token[], g2: Token[]): boolean {
  let i = 0;
  let j = 0;
  for (; i < g1.length && j < g2.length; i++, j++) {
    if (g1[i]!.flag === 'none' && g2[j]!.flag === 'none') {
      if (!match(g1[i]!, g2[j]!)) return false;
    } else return intersectSpecial(g1.slice(i), g2.slice(j));
  }
  return i === g1.length && j === g2.length;
}

function intersectSpecial(g1: Token[], g2: Token[]): boolean {
  if (g1[0]!.flag !== 'none') return g1[0]!.flag === 'plus' ? intersectPlus(g1, g2) : intersectStar(g1, g2);
  return g2[0]!.flag === 'plus' ? intersectPlus(g2, g1) : intersectStar(g2, g1);
}

function intersectPlus(plussed: Token[], other: Token[]): boolean {
  if (other.length === 0 || !match(plussed[0]!, other[0]!)) return false;
  if (intersectStar(plussed, other.slice(1))) return true;
  return other[0]!.flag !== 'none' && intersectNormal(plussed.slice(1), other);
}

function intersectStar(starred: Token[], other: Token[]): boolean {
  const star = starred[0]!;
  const next = starred[1];
  for (let i = 0; i < other.length; i++) {
    const t = other[i]!;
    if (next !== undefined && match(t, next)) {
      if (intersectNormal(starred.slice(1), other.slice(i))) return true;
      if (!match(t, star)) return false;
    } else if (!match(t, star)) return false;
  }
  return next === undefined;
}

/** True if some non-empty string matches both globs. */
export function globsIntersect(a: string, b: string): boolean {
  const g1 = tokenize(a);
  const g2 = tokenize(b);
  const trimmed = trim(g1, g2);
  return trimmed !== undefined && intersectNormal(trimmed[0], trimmed[1]);
}
