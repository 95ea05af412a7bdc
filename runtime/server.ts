// The HTTP face of the runtime (node:http). Hardening lives here: JSON errors (400 malformed,
// 404 unknown model or path, 405, 413 over the body limit, 503 while not ready, 504 on
// timeout), Node's own request timeouts against slow clients, and a graceful drain: on
// shutdown readiness turns 503, the listener closes, in-flight requests finish (answered with
// `Connection: close`) and only then are connections closed, at the latest after
// `shutdownTimeoutMs`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './log.js';
import { account, infer } from './pipeline.js';
import { modelMetadata } from './protocol/encode.js';
import { HttpError, badRequest, notFound } from './protocol/errors.js';
import { parseRoute, type Route } from './protocol/routes.js';
import type { Runtime } from './runtime.js';
import { endOfTurn } from './turn.js';

export const SERVER_NAME = 'mlspec';
export const SERVER_VERSION = '0.1.0';
export const VARIANT_HEADER = 'x-mlspec-variant';
export const VERSION_HEADER = 'x-mlspec-model-version';

export class RuntimeServer {
  readonly http: Server;
  #inflight = 0;
  #draining = false;
  #drained: (() => void) | undefined;

  constructor(
    private readonly runtime: Runtime,
    private readonly logger: Logger,
  ) {
    const done = () => {
      if (--this.#inflight === 0) this.#drained?.();
    };
    this.http = createServer((req, res) => {
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
    this.http.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  /** `requestTimeoutMs` also bounds how long Node waits for a slow client's headers and body (408). */
  async listen(port: number, host: string | undefined, requestTimeoutMs: number): Promise<AddressInfo> {
    this.http.requestTimeout = requestTimeoutMs + 1000;
    this.http.headersTimeout = Math.min(60_000, requestTimeoutMs + 1000);
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
    return { drained };
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
        return this.#send(res, 200, { live: true });
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
      if (route.kind === 'model')
        return this.#send(
          res,
          200,
          modelMetadata(gen.signature, [...new Set(gen.config.config.variants.map((v) => v.version))]),
        );
      if (route.kind === 'modelReady') return this.#send(res, ready ? 200 : 503, { name: route.model, ready });
      const limits = gen.config.config.server;
      const body = await readJson(req, limits.bodyLimitBytes);
      const start = this.runtime.clock();
      // The generation is read after the body: a reload during a slow upload is already used.
      const current = this.runtime.current;
      current.acquire();
      try {
        const call = { body, header: (name: string) => rawHeader(req, name), version: route.version, start };
        const deps = this.runtime.pipelineDeps(current.config.config.server.requestTimeoutMs);
        const outcome = await infer(current, call, deps);
        if (outcome.error) this.#fail(res, outcome.error);
        else {
          const text = JSON.stringify(outcome.answer);
          // Under concurrency, answers ready in the same turn are written together at its end (the
          // peer is woken less often): in the benchmark runs of 2026-11-26 the floor written this
          // way needed 5-14 % less CPU per request at 8 and 32 connections. A lone request is
          // written at once.
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

  #fail(res: ServerResponse, e: unknown): void {
    if (!(e instanceof HttpError)) throw e;
    const extra: Record<string, string> = { ...e.headers };
    // After a 413 the rest of the body is not read: the connection cannot be reused.
    if (e.status === 413) extra.connection = 'close';
    this.#send(res, e.status, { error: e.message, code: e.code }, extra);
  }

  #connection(): Record<string, string> {
    return this.#draining ? { connection: 'close' } : {};
  }

  #send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
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
