// A small HTTP/1.1 client for the runtime's own calls (the feature server, the events sink):
// JSON bodies over a pool of kept-alive connections per peer, a hard time limit per call, and
// failures as values the caller maps to its own errors. It writes each request in one piece and
// reads the answer with its own parser (http-response.ts): node:http's client spent about half of
// the runtime's time of a feature fetch round trip on building requests and agent bookkeeping.
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type SecureContextOptions } from 'node:tls';
import { type HttpAnswer, ResponseParser } from './http-response.js';

export type { HttpAnswer };

export type HttpFailure = { readonly kind: 'timeout' } | { readonly kind: 'unreachable'; readonly message: string };

export class HttpFailed extends Error {
  constructor(readonly failure: HttpFailure) {
    super(failure.kind === 'timeout' ? 'timed out' : failure.message);
  }
}

/** An answer larger than this is refused: a peer cannot make the runtime buffer without bound. */
export const MAX_ANSWER_BYTES = 8 << 20;

interface Call {
  readonly resolve: (a: HttpAnswer) => void;
  readonly fail: (f: HttpFailure) => void;
}

/** One connection: at most one call at a time (no pipelining). */
class Connection {
  readonly parser = new ResponseParser(MAX_ANSWER_BYTES);
  call: Call | undefined;
  /** Whether it served a call before: a reused connection the peer closed meanwhile is retried once. */
  used = false;
  /** Bytes of the current answer seen: a call is retried only when the peer sent none. */
  answered = false;
  /** Counted in the client's open connections (until it closes or is discarded). */
  open = true;
  constructor(readonly socket: Socket) {}
}

export interface JsonClientOptions {
  /** Trusted certificate authorities for https (the system's when absent). */
  readonly ca?: SecureContextOptions['ca'];
}

export class JsonClient {
  readonly #host: string;
  readonly #port: number;
  readonly #secure: boolean;
  readonly #hostHeader: string;
  readonly #basePath: string;
  readonly #maxSockets: number;
  readonly #ca: SecureContextOptions['ca'] | undefined;
  readonly #idle: Connection[] = [];
  readonly #waiting: (() => void)[] = [];
  #open = 0;
  #closed = false;

  constructor(base: string, maxSockets: number, options: JsonClientOptions = {}) {
    const url = new URL(base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not an http(s) URL: ${base}`);
    this.#secure = url.protocol === 'https:';
    this.#host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.#port = Number(url.port || (this.#secure ? 443 : 80));
    this.#hostHeader = url.host;
    this.#basePath = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    this.#maxSockets = Math.max(1, maxSockets);
    this.#ca = options.ca;
  }

  /** POSTs `body` (already serialised) to `path`; rejects with HttpFailed on timeout or a network error. */
  post(path: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
    const target = path.startsWith('/') ? path : this.#basePath + path;
    let head = `POST ${target} HTTP/1.1\r\nHost: ${this.#hostHeader}\r\nContent-Type: application/json\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    const request = Buffer.from(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      let connection: Connection | undefined;
      const timer = setTimeout(() => {
        finish();
        if (connection) this.#discard(connection);
        reject(new HttpFailed({ kind: 'timeout' }));
      }, timeoutMs);
      const finish = () => {
        settled = true;
        clearTimeout(timer);
      };
      const call: Call = {
        resolve: (a) => {
          if (settled) return;
          finish();
          resolve(a);
        },
        fail: (f) => {
          if (settled) return;
          finish();
          reject(new HttpFailed(f));
        },
      };
      const send = (retry: boolean) =>
        this.#acquire((c) => {
          if (settled) return this.#release(c);
          connection = c;
          c.call = {
            resolve: call.resolve,
            // A kept-alive connection the peer closed before this call reached it: once more, on a new one.
            fail: (f) => (retry && c.used && !c.answered ? send(false) : call.fail(f)),
          };
          c.answered = false;
          c.socket.ref();
          c.socket.write(request);
        }, call.fail);
      send(true);
    });
  }

  close(): void {
    this.#closed = true;
    for (const c of this.#idle.splice(0)) c.socket.destroy();
  }

  #acquire(use: (c: Connection) => void, fail: (f: HttpFailure) => void): void {
    if (this.#closed) return fail({ kind: 'unreachable', message: 'the client is closed' });
    const idle = this.#idle.pop();
    if (idle) return use(idle);
    if (this.#open >= this.#maxSockets) {
      this.#waiting.push(() => this.#acquire(use, fail));
      return;
    }
    this.#open++;
    const socket = this.#secure
      ? tlsConnect({ host: this.#host, port: this.#port, servername: this.#host, ca: this.#ca })
      : tcpConnect({ host: this.#host, port: this.#port });
    socket.setNoDelay(true);
    const c = new Connection(socket);
    socket.on('data', (chunk: Buffer) => this.#read(c, chunk));
    socket.on('error', () => undefined); // 'close' follows and reports it
    socket.on('close', () => {
      this.#forget(c);
      const call = c.call;
      c.call = undefined;
      const ended = call && c.parser.end();
      if (ended && 'answer' in ended) return call!.resolve(ended.answer);
      call?.fail({ kind: 'unreachable', message: ended?.error ?? 'the connection closed before an answer' });
    });
    use(c);
  }

  #read(c: Connection, chunk: Buffer): void {
    c.answered = true;
    const got = c.parser.push(chunk);
    if (!got) return;
    const call = c.call;
    c.call = undefined;
    if ('error' in got) {
      this.#discard(c);
      return call?.fail({ kind: 'unreachable', message: got.error });
    }
    if (got.keepAlive && call) this.#release(c);
    else this.#discard(c);
    call?.resolve(got.answer);
  }

  /** Back to the pool, or to a caller waiting for a connection. */
  #release(c: Connection): void {
    c.used = true;
    c.parser.reset();
    const next = this.#waiting.shift();
    if (next) {
      this.#idle.push(c);
      return next();
    }
    if (this.#closed) return this.#discard(c);
    c.socket.unref(); // an idle connection does not keep the process alive
    this.#idle.push(c);
  }

  #discard(c: Connection): void {
    c.call = undefined;
    this.#forget(c);
    c.socket.destroy();
  }

  #forget(c: Connection): void {
    if (!c.open) return;
    c.open = false;
    const i = this.#idle.indexOf(c);
    if (i >= 0) this.#idle.splice(i, 1);
    this.#open--;
    this.#waiting.shift()?.();
  }
}
