// Go's encoding/pem.Decode: the first PEM block in the text (junk before it is skipped),
// its bytes, and the text after its END line.
import { decodeBase64 } from './encoding.js';

export interface PemBlock {
  readonly type: string;
  readonly bytes: Buffer;
  /** The text after the block (after the END line's newline). */
  readonly rest: string;
}

/** A line without its newline (trailing spaces, tabs and CR trimmed) and the text after it. */
function getLine(s: string): [string, string] {
  const i = s.indexOf('\n');
  const line = i < 0 ? s : s.slice(0, i);
  return [line.replace(/[ \t\r]+$/, ''), i < 0 ? '' : s.slice(i + 1)];
}

export function pemDecode(data: string): PemBlock | undefined {
  let rest = data;
  for (;;) {
    if (rest.startsWith('-----BEGIN ')) rest = rest.slice(11);
    else {
      const at = rest.indexOf('\n-----BEGIN ');
      if (at < 0) return undefined;
      rest = rest.slice(at + 12);
    }
    let typeLine: string;
    [typeLine, rest] = getLine(rest);
    if (!typeLine.endsWith('-----')) continue;
    const type = typeLine.slice(0, -5);
    let headers = 0;
    for (;;) {
      if (rest.length === 0) return undefined;
      const [line, next] = getLine(rest);
      if (!line.includes(':')) break;
      headers++;
      rest = next;
    }
    let endIndex: number;
    let trailer: number;
    if (headers === 0 && rest.startsWith('-----END ')) {
      endIndex = 0;
      trailer = 9;
    } else {
      endIndex = rest.indexOf('\n-----END ');
      trailer = endIndex + 10;
    }
    if (endIndex < 0) continue;
    const end = rest.slice(trailer);
    const expected = `${type}-----`;
    if (end.length < expected.length || !end.startsWith(expected)) continue;
    if (getLine(end.slice(expected.length))[0] !== '') continue;
    let bytes: Buffer;
    try {
      bytes = decodeBase64(rest.slice(0, endIndex).replace(/[ \t]/g, ''), false);
    } catch {
      continue;
    }
    const after = getLine(rest.slice(endIndex + 9))[1];
    return { type, bytes, rest: after };
  }
}
