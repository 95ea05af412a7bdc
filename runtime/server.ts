// The HTTP face of the runtime (node:http). Hardening lives here: JSON errors (400 malformed,
// 403 override not allowed, 404 unknown model or path, 405, 408 too slow to send, 413 over the
// body or row limit, 503 while not ready, 504 on timeout), a cap on open connections, and a
// graceful drain: on shutdown readiness turns 503 while serving goes on (answers carry
// `Connection: close`) for the drain delay, so the pod leaves the Service's endpoints before
// anything is refused; then the listener closes, in-flight requests finish and only then are
// connections closed, at the latest after `shutdownTimeoutMs`.
//
// Slow clients: a request whose headers or body have not arrived `requestTimeoutMs` + 1 s after
// it began gets 408. Node checks its own header and request timeouts only every
// `connectionsCheckingInterval` (30 s by default, which let a slow body run to 11.9 s and slow
// headers to 29.8 s); it is checked every CHECK_INTERVAL_MS here, and the body has a time limit
// of its own.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SERVER_DEFAULTS } from './contract/constants.js';
import { DeadlineQueue } from './deadline-queue.js';
import type { Logger } from './log.js';
import { account, infer } from './pipeline.js';
import { modelMetadata } from './protocol/encode.js';
import { HttpError, badRequest, notFound } from './protocol/errors.js';
import { parseRoute, type Route } from './protocol/routes.js';
import type { Runtime } from './runtime.js';
import { endOfTurn } from './turn.js';

const CHECK_INTERVAL_MS = 250;
/** What a slow client gets beyond the model's time limit to send its request. */
const SEND_GRACE_MS = 1000;

export const SERVER_NAME = 'mlspec';
export const SERVER_VERSION = '0.1.0';
export const VARIANT_HEADER = 'x-mlspec-variant';
export const VERSION_HEADER = 'x-mlspec-model-version';

export class RuntimeServer {
  readonly http: Server;
  #inflight = 0;
  #draining = false;
  #drained: (() => void) | undefined;
  #sendLimitMs = SERVER_DEFAULTS.requestTimeoutMs + SEND_GRACE_MS;
  /** The body's time limit: one timer for all requests (deadline-queue.ts), not one each. */
  #bodyDeadlines = this.#bodyQueue();

  constructor(
    private readonly runtime: Runtime,
    private readonly logger: Logger,
  ) {
    const done = () => {
      if (--this.#inflight === 0) this.#drained?.();
    };
    this.http = createServer({ connectionsCheckingInterval: CHECK_INTERVAL_MS }, (req, res) => {
      this.#inflight++;
      this.#handle(req, res).then(done, (e) => {
        this.logger.error('request handler failed', {
          method: req.method,
          path: pathOf(req.url),
          error: String((e as Error)?.message ?? e),
        });
        if (!res.headersSent) this.#send(res, 500, { error: 'internal error', code: 'internal' });
        else res.destroy();
        done();
      });
    });
    this.http.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => this.#clientError(err, socket));
    this.http.on('drop', () => this.runtime.metrics.connectionsDropped.inc());
  }

  /**
   * `requestTimeoutMs` + 1 s bounds how long a client may take to send its request (408), and
   * `maxConnections` how many connections may be open at once (more are closed on arrival).
   */
  async listen(
    port: number,
    host: string | undefined,
    requestTimeoutMs: number,
    maxConnections: number = SERVER_DEFAULTS.maxConnections,
  ): Promise<AddressInfo> {
    this.#sendLimitMs = requestTimeoutMs + SEND_GRACE_MS;
    this.#bodyDeadlines.close();
    this.#bodyDeadlines = this.#bodyQueue();
    this.http.headersTimeout = this.#sendLimitMs;
    // Node's own limit on the whole request is a backstop behind the body timer (readJson).
    this.http.requestTimeout = this.#sendLimitMs + 2 * CHECK_INTERVAL_MS;
    this.http.maxConnections = maxConnections;
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    return this.http.address() as AddressInfo;
  }

  get inflight(): number {
    return this.#inflight;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Readiness fails from now on and answers ask clients to reconnect elsewhere; serving goes on. */
  startDraining(): void {
    this.#draining = true;
  }

  /** Stops accepting, lets in-flight requests finish (up to `timeoutMs`), then closes. */
  async shutdown(timeoutMs: number): Promise<{ drained: boolean }> {
    this.#draining = true;
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      new Promise<boolean>((resolve) => {
        if (this.#inflight === 0) resolve(true);
        else this.#drained = () => resolve(true);
      }),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    this.http.closeAllConnections();
    await closed;
    this.#bodyDeadlines.close();
    return { drained };
  }

  #bodyQueue(): DeadlineQueue {
    const ms = this.#sendLimitMs;
    return new DeadlineQueue(
      ms,
      () => new HttpError(408, 'request_timeout', `the request body was not received within ${ms} ms`),
    );
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let route: Route;
    try {
      route = parseRoute(req.method ?? 'GET', req.url ?? '/');
    } catch (e) {
      return this.#fail(res, e);
    }
    const ready = this.runtime.ready && !this.#draining;
    switch (route.kind) {
      case 'live':
        return this.runtime.healthy
          ? this.#send(res, 200, { live: true })
          : this.#send(res, 503, { live: false }, {}, true);
      case 'ready':
        return this.#send(res, ready ? 200 : 503, { ready });
      case 'server':
        return this.#send(res, 200, { name: SERVER_NAME, version: SERVER_VERSION, extensions: [] });
      case 'metrics': {
        const text = await this.runtime.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': this.runtime.metrics.registry.contentType, ...this.#connection() });
        res.end(text);
        return;
      }
    }
    try {
      if (!this.runtime.ready) throw new HttpError(503, 'not_ready', 'the model is not loaded yet');
      const gen = this.runtime.current;
      if (route.model !== gen.signature.modelName)
        throw notFound(`unknown model \`${route.model}\`; this server serves \`${gen.signature.modelName}\``);
      if (route.version !== undefined && !gen.config.config.variants.some((v) => v.version === route.version))
        throw notFound(`model \`${route.model}\` has no version ${route.version}`);
      if (route.kind === 'model') {
        const versions = route.version ?? [...new Set(gen.config.config.variants.map((v) => v.version))];
        return this.#send(res, 200, modelMetadata(gen.signature, [versions].flat()));
      }
      if (route.kind === 'modelReady') return this.#send(res, ready ? 200 : 503, { name: route.model, ready });
      const limits = gen.config.config.server;
      const body = await this.#bodyDeadlines.within(readJson(req, limits.bodyLimitBytes));
      const start = this.runtime.clock();
      // The generation is read after the body: a reload during a slow upload is already used.
      const current = this.runtime.current;
      current.acquire();
      try {
        const call = {
          body,
          header: (name: string) => rawHeader(req, name),
          address: req.socket.remoteAddress,
          version: route.version,
          start,
        };
        const deps = this.runtime.pipelineDeps(current.config.config.server.requestTimeoutMs);
        const outcome = await infer(current, call, deps);
        if (outcome.error) this.#fail(res, outcome.error, false);
        else {
          const text = JSON.stringify(outcome.answer);
          // Under concurrency, answers ready in the same turn are written together at its end (the
          // peer is woken less often): the floor written this way needed 5-14 % less CPU per request
          // at 8 and 32 connections. A lone request is written at once.
          if (this.#inflight > 1) await endOfTurn();
          res.writeHead(
            200,
            this.#draining
              ? [...inferHeaders(text, outcome.variant!), 'connection', 'close']
              : inferHeaders(text, outcome.variant!),
          );
          res.end(text);
        }
        account(current, call, outcome, deps);
      } finally {
        current.release();
      }
    } catch (e) {
      this.#fail(res, e);
    }
  }

  /** A request Node refused before it reached the handler (malformed, or too slow to send). */
  #clientError(err: NodeJS.ErrnoException, socket: Socket): void {
    const [status, code, message] =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', `the request was not received within ${this.#sendLimitMs} ms`]
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'headers_too_large', 'the request headers are too large']
          : [400, 'bad_request', 'the request is not valid HTTP'];
    this.runtime.metrics.answered(status);
    if (!socket.writable) return void socket.destroy();
    const text = JSON.stringify({ error: message, code });
    const reason =
      status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\n` +
        `Connection: close\r\n\r\n${text}`,
    );
  }

  /** Sends an error; `count` is false for inference outcomes, which `account` counts. */
  #fail(res: ServerResponse, e: unknown, count = true): void {
    if (!(e instanceof HttpError)) throw e;
    const extra: Record<string, string> = { ...e.headers };
    // After a 408 or 413 the rest of the body is not read: the connection cannot be reused.
    if (e.status === 413 || e.status === 408) extra.connection = 'close';
    this.#send(res, e.status, { error: e.message, code: e.code }, extra, count);
  }

  #connection(): Record<string, string> {
    return this.#draining ? { connection: 'close' } : {};
  }

  #send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, count = true): void {
    if (count && status >= 400) this.runtime.metrics.answered(status);
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...this.#connection(),
      ...headers,
    });
    res.end(res.req.method === 'HEAD' ? undefined : text);
  }
}

/** Headers of an answer as a flat list: no header object to build and copy per request. */
function inferHeaders(text: string, variant: { readonly name: string; readonly version: string }): string[] {
  return [
    'content-type',
    'application/json',
    'content-length',
    String(Buffer.byteLength(text)),
    VARIANT_HEADER,
    variant.name,
    VERSION_HEADER,
    variant.version,
  ];
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0]!;
}

/**
 * The first value of a header, found in `rawHeaders`: reading `req.headers` makes Node build a
 * header object for every request, a measurable cost on the hot path.
 */
function rawHeader(req: IncomingMessage, lowerName: string): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return raw[i + 1];
  }
  return undefined;
}

function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = () => new HttpError(413, 'body_too_large', `the body exceeds the limit of ${limit} bytes`);
  if (Number(rawHeader(req, 'content-length') ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume(); // discard the rest until the response closes the connection
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    // A client that goes away mid-body must not leave the request (and a drain) waiting forever:
    // Node destroys the request with an `aborted` error, emitted because there is a listener.
    req.on('error', () => reject(badRequest('aborted', 'the client closed the connection before the body ended')));
    req.on('end', () => {
      if (size > limit) return;
      try {
        // One chunk (the usual small body) is decoded where it lies: no copy, no pooled buffer.
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        resolve(JSON.parse(bytes.toString('utf8')));
      } catch (e) {
        reject(badRequest('malformed_json', `the body is not valid JSON: ${(e as Error).message}`));
      }
    });
  });
}
