// A small DER reader for the X.509 builtins: enough of ASN.1 to walk certificates and
// certificate requests (tag, length, content; OIDs, integers, strings, times).

export interface Node {
  /** The identifier octet (class, constructed bit and tag number < 31). */
  readonly tag: number;
  /** The whole encoding (header and content). */
  readonly raw: Buffer;
  readonly content: Buffer;
}

export class ASN1Error extends Error {}

export function readNode(buf: Buffer, offset = 0): Node & { end: number } {
  if (offset + 2 > buf.length) throw new ASN1Error('data truncated');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new ASN1Error('high-tag-number form not supported');
  let len = buf[offset + 1]!;
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || pos + n > buf.length) throw new ASN1Error('invalid length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i]!;
    pos += n;
  }
  const end = pos + len;
  if (end > buf.length) throw new ASN1Error('data truncated');
  return { tag, raw: buf.subarray(offset, end), content: buf.subarray(pos, end), end };
}

/** The elements of a constructed node. */
export function children(n: Node): Node[] {
  const out: Node[] = [];
  for (let pos = 0; pos < n.content.length; ) {
    const c = readNode(n.content, pos);
    out.push(c);
    pos = c.end;
  }
  return out;
}

/** Parses exactly one DER element spanning the buffer. */
export function parseDER(buf: Buffer): Node {
  const n = readNode(buf, 0);
  if (n.end !== buf.length) throw new ASN1Error('trailing data');
  return n;
}

export function oid(n: Node): number[] {
  const b = n.content;
  if (b.length === 0) throw new ASN1Error('invalid OID');
  const out: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      if (out.length === 0) out.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else out.push(v);
      v = 0;
    }
  }
  return out;
}

export function integer(n: Node): bigint {
  const b = n.content;
  if (b.length === 0) return 0n;
  let v = BigInt(`0x${b.toString('hex')}`);
  if (b[0]! & 0x80) v -= 1n << BigInt(b.length * 8);
  return v;
}

/** Text of the string types (UTF8String, PrintableString, IA5String, BMPString...). */
export function text(n: Node): string {
  switch (n.tag) {
    case 0x1e: {
      let s = '';
      for (let i = 0; i + 1 < n.content.length; i += 2) s += String.fromCharCode(n.content.readUInt16BE(i));
      return s;
    }
    case 0x0c:
      return n.content.toString('utf8');
    default:
      return n.content.toString('latin1');
  }
}

/** UTCTime / GeneralizedTime as an RFC 3339 string, as Go's time.Time marshals. */
export function time(n: Node): string {
  const s = n.content.toString('latin1');
  const m =
    n.tag === 0x17
      ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s)
      : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d+))?Z$/.exec(s);
  if (!m) throw new ASN1Error('invalid time');
  let year = Number(m[1]);
  if (n.tag === 0x17) year += year < 50 ? 2000 : 1900;
  const frac = m[7] ? `.${m[7].replace(/0+$/, '')}` : '';
  return `${String(year).padStart(4, '0')}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${frac === '.' ? '' : frac}Z`;
}
