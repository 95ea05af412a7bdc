// Reads one HTTP/1.1 answer from the bytes of a connection (RFC 9112): the status line, the
// headers, then a body framed by Content-Length, by chunked transfer coding (extensions and
// trailers passed over), or by the end of the connection. Informational answers (1xx) before the
// final one are passed over. Everything is bounded: the head by MAX_HEAD_BYTES, the body by the
// parser's limit.

const MAX_HEAD_BYTES = 64 << 10;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

export type Parsed = { readonly answer: HttpAnswer; readonly keepAlive: boolean } | { readonly error: string };

type Framing = { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };

export class ResponseParser {
  #pending: Buffer = Buffer.alloc(0);
  #status = 0;
  #keepAlive = true;
  #framing: Framing | undefined;
  #body: Buffer[] = [];
  #bodyBytes = 0;
  /** In chunked framing: reading the trailers after the last chunk. */
  #trailers = false;

  constructor(private readonly maxBodyBytes: number) {}

  reset(): void {
    this.#pending = Buffer.alloc(0);
    this.#status = 0;
    this.#keepAlive = true;
    this.#framing = undefined;
    this.#body = [];
    this.#bodyBytes = 0;
    this.#trailers = false;
  }

  /** Feeds bytes: the answer once it is complete, an error, or undefined while more are needed. */
  push(chunk: Buffer): Parsed | undefined {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    if (!this.#framing) {
      const head = this.#head();
      if (head !== 'more') return head;
      if (!this.#framing) return undefined;
    }
    return this.#readBody();
  }

  /** The connection ended: the answer when its body runs to the end, else why it is incomplete. */
  end(): { answer: HttpAnswer } | { error: string } {
    if (this.#framing?.kind === 'close') return { answer: this.#answer() };
    return { error: this.#framing ? 'the connection closed in the middle of an answer' : 'no answer' };
  }

  /** Parses the head when complete; 'more' when it set the framing or needs more bytes. */
  #head(): Parsed | 'more' {
    for (;;) {
      const end = this.#pending.indexOf(HEAD_END);
      if (end < 0) return this.#pending.length > MAX_HEAD_BYTES ? { error: 'the answer’s head is too large' } : 'more';
      const lines = this.#pending.subarray(0, end).toString('latin1').split('\r\n');
      this.#pending = this.#pending.subarray(end + 4);
      const status = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]!);
      if (!status) return { error: `not an HTTP/1.x answer: ${JSON.stringify(lines[0]!.slice(0, 60))}` };
      const code = Number(status[2]);
      if (code >= 100 && code < 200) continue; // informational: the final answer follows
      const headers = new Map<string, string[]>();
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon <= 0) return { error: `a malformed header line in the answer: ${JSON.stringify(line.slice(0, 60))}` };
        const name = line.slice(0, colon).trim().toLowerCase();
        headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
      }
      const connection = (headers.get('connection') ?? []).join(',').toLowerCase();
      this.#status = code;
      this.#keepAlive = status[1] === '1' ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
      const coding = (headers.get('transfer-encoding') ?? []).join(',').toLowerCase();
      const lengths = new Set(headers.get('content-length') ?? []);
      if (code === 204 || code === 304) this.#framing = { kind: 'length', left: 0 };
      else if (coding.split(',').some((c) => c.trim() === 'chunked')) this.#framing = { kind: 'chunked' };
      else if (lengths.size > 1) return { error: 'the answer has conflicting Content-Length headers' };
      else if (lengths.size === 1) {
        const n = [...lengths][0]!;
        if (!/^\d{1,15}$/.test(n)) return { error: `the answer’s Content-Length is not a number: ${n.slice(0, 20)}` };
        if (Number(n) > this.maxBodyBytes) return { error: `the answer is larger than ${this.maxBodyBytes} bytes` };
        this.#framing = { kind: 'length', left: Number(n) };
      } else {
        this.#framing = { kind: 'close' };
        this.#keepAlive = false;
      }
      return 'more';
    }
  }

  #readBody(): Parsed | undefined {
    const framing = this.#framing!;
    if (framing.kind === 'close') return this.#take(this.#pending.length) ?? undefined;
    if (framing.kind === 'length') {
      const n = Math.min(framing.left, this.#pending.length);
      this.#take(n);
      framing.left -= n;
      return framing.left === 0 ? this.#complete() : undefined;
    }
    for (;;) {
      const eol = this.#pending.indexOf(CRLF);
      if (eol < 0) return this.#pending.length > MAX_HEAD_BYTES ? { error: 'a chunk header is too large' } : undefined;
      const line = this.#pending.subarray(0, eol).toString('latin1');
      if (this.#trailers) {
        this.#pending = this.#pending.subarray(eol + 2);
        if (line === '') return this.#complete();
        continue;
      }
      const size = /^([0-9a-fA-F]{1,8})[ \t]*(;.*)?$/.exec(line);
      if (!size) return { error: `a malformed chunk size in the answer: ${JSON.stringify(line.slice(0, 20))}` };
      const n = Number.parseInt(size[1]!, 16);
      if (n === 0) {
        this.#pending = this.#pending.subarray(eol + 2);
        this.#trailers = true;
        continue;
      }
      if (this.#pending.length < eol + 2 + n + 2) return undefined;
      if (!this.#pending.subarray(eol + 2 + n, eol + 4 + n).equals(CRLF))
        return { error: 'a chunk of the answer does not end where its size says' };
      this.#pending = this.#pending.subarray(eol + 2);
      const tooLarge = this.#take(n);
      if (tooLarge) return tooLarge;
      this.#pending = this.#pending.subarray(2);
    }
  }

  /** Moves n pending bytes into the body; an error when the body would pass the limit. */
  #take(n: number): Parsed | undefined {
    if (n === 0) return undefined;
    this.#bodyBytes += n;
    if (this.#bodyBytes > this.maxBodyBytes) return { error: `the answer is larger than ${this.maxBodyBytes} bytes` };
    this.#body.push(this.#pending.subarray(0, n));
    this.#pending = this.#pending.subarray(n);
    return undefined;
  }

  #complete(): Parsed {
    // Bytes after a complete answer (nothing was asked for): the connection is not reused.
    return { answer: this.#answer(), keepAlive: this.#keepAlive && this.#pending.length === 0 };
  }

  #answer(): HttpAnswer {
    const text = this.#body.length === 1 ? this.#body[0]!.toString('utf8') : Buffer.concat(this.#body).toString('utf8');
    return { status: this.#status, text };
  }
}
