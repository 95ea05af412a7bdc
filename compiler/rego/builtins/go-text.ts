// Go's string semantics, for builtins that must agree with OPA byte for byte: Go strings are
// UTF-8 bytes and most functions work on runes (code points), while JS strings are UTF-16.

/** The runes of a string (code points, never half a surrogate pair). */
export function runes(s: string): string[] {
  return Array.from(s);
}

/** Bytes as Go's `string(b)` sees them: each byte of an invalid sequence becomes U+FFFD. */
export function decodeUTF8(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return lenientDecode(bytes);
  }
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function lenientDecode(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const [cp, size] = decodeRune(b, i, c);
    out += String.fromCodePoint(cp);
    i += size;
  }
  return out;
}

/** One rune at `i`, or (U+FFFD, 1) for an invalid or truncated sequence, as Go decodes. */
function decodeRune(b: Uint8Array, i: number, c: number): [number, number] {
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c < 0x80) return [c, 1];
  if (c >= 0xc2 && c <= 0xdf && cont(1)) return [((c & 0x1f) << 6) | (b[i + 1]! & 0x3f), 2];
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    if (cont(1, lo, hi) && cont(2)) return [((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f), 3];
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    if (cont(1, lo, hi) && cont(2) && cont(3)) {
      return [((c & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f), 4];
    }
  }
  return [0xfffd, 1];
}

export function utf8(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** Go's unicode.IsSpace. (Unlike JS's trim, U+FEFF is not a space.) */
export function isGoSpace(cp: number): boolean {
  switch (cp) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
  }
  return cp >= 0x2000 && cp <= 0x200a;
}

/** Go's unicode.ToLower/ToUpper per rune: simple (one-to-one) case mappings only, no context. */
export function mapCase(s: string, upper: boolean): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) ascii = false;
  if (ascii) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of s) out += mapRune(ch, upper);
  return out;
}

function mapRune(ch: string, upper: boolean): string {
  if (!upper && ch === '\u0130') return 'i'; // İ: the simple mapping; JS gives i + combining dot
  const m = upper ? ch.toUpperCase() : ch.toLowerCase();
  // A multi-rune result is a full (special-casing) mapping, which Go does not apply.
  return runes(m).length === 1 ? m : ch;
}

/** strconv.Quote: Go's double-quoted literal with escapes for non-printable runes. */
export function goQuote(s: string, ascii = false): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    out += quoteRune(ch, cp, '"', ascii);
  }
  return `${out}"`;
}

export function quoteRune(ch: string, cp: number, quote: string, ascii: boolean): string {
  if (ch === quote || ch === '\\') return `\\${ch}`;
  if (cp < 0x80 ? cp >= 0x20 && cp < 0x7f : !ascii && isPrintable(ch)) return ch;
  switch (cp) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

export function isPrintable(ch: string): boolean {
  return ch === ' ' || printable.test(ch);
}
