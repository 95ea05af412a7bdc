// How diagnostics show a value someone wrote. Values come from untrusted specs (and through
// Jsonnet, possibly from files), and diagnostics end up in CI logs: a value is shown cut short,
// on one line, with control characters escaped (no terminal escape sequences, no fake lines).

/** Characters of a value shown before it is cut short. */
export const QUOTE_LIMIT = 60;

// Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

const printable = (s: string) =>
  s.replace(UNPRINTABLE, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The text of a value as written: strings as they are, anything else as JSON. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

/** At most `limit` characters (never half a surrogate pair), printable; `length` when cut. */
function cut(text: string, limit: number): { shown: string; length?: number } {
  const chars = [...text];
  if (chars.length <= limit) return { shown: printable(text) };
  return { shown: printable(chars.slice(0, limit).join('')), length: chars.length };
}

const marker = (length: number) => ` (${length} characters, cut short)`;

/** Text on one line, cut to `limit` characters with a marker saying how long it was. */
export function cutShort(text: string, limit = QUOTE_LIMIT): string {
  const { shown, length } = cut(text, limit);
  return length === undefined ? shown : `${shown}…${marker(length)}`;
}

/** A value in backquotes, as messages show it: `` `replcas` ``. */
export function quote(value: unknown, limit = QUOTE_LIMIT): string {
  const { shown, length } = cut(textOf(value), limit);
  return length === undefined ? `\`${shown}\`` : `\`${shown}…\`${marker(length)}`;
}
