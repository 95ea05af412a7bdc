// How diagnostics show a value someone wrote. Values come from untrusted specs (and through
// Jsonnet, possibly from files), and diagnostics end up in CI logs: a value is shown cut short,
// on one line, with control characters escaped (no terminal escape sequences, no fake lines).

/** Characters of a value shown before it is cut short. */
export const QUOTE_LIMIT = 60;

// Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const escapeUnprintable = (s: string) =>
  s.replace(UNPRINTABLE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });

/** The text of a value as written: strings as they are, anything else as JSON. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

/** Cut to `limit` characters (never inside a surrogate pair) with a marker saying how long it was. */
export function cutShort(text: string, limit = QUOTE_LIMIT): string {
  const chars = [...text];
  if (chars.length <= limit) return escapeUnprintable(text);
  return `${escapeUnprintable(chars.slice(0, limit).join(''))}… (${chars.length} characters, cut short)`;
}

/** A value in backquotes, as messages show it: `` `replcas` ``. */
export function quote(value: unknown, limit = QUOTE_LIMIT): string {
  const chars = [...textOf(value)];
  if (chars.length <= limit) return `\`${escapeUnprintable(chars.join(''))}\``;
  return `\`${escapeUnprintable(chars.slice(0, limit).join(''))}…\` (${chars.length} characters, cut short)`;
}
