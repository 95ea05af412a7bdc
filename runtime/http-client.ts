// A small HTTP client for the runtime's own calls (the feature server, the events sink): JSON
// bodies over keep-alive connections of one agent per peer, a hard time limit per call, and
// failures as values the caller maps to its own errors. node:http rather than fetch: on the
// request path fetch costs several times more per call.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

export type HttpFailure = { readonly kind: 'timeout' } | { readonly kind: 'unreachable'; readonly message: string };

export class HttpFailed extends Error {
  constructor(readonly failure: HttpFailure) {
    super(failure.kind === 'timeout' ? 'timed out' : failure.message);
  }
}

export class JsonClient {
  readonly #url: URL;
  readonly #agent: HttpAgent;
  readonly #request: typeof httpRequest;
  /** Resolved once per path: parsing a URL on every call costs more than the rest of the client. */
  readonly #targets = new Map<string, URL>();

  constructor(base: string, maxSockets: number) {
    this.#url = new URL(base);
    const https = this.#url.protocol === 'https:';
    this.#agent = https
      ? new HttpsAgent({ keepAlive: true, maxSockets })
      : new HttpAgent({ keepAlive: true, maxSockets });
    this.#request = https ? (httpsRequest as typeof httpRequest) : httpRequest;
  }

  /** POSTs `body` (already serialised) to `path`; rejects with HttpFailed on timeout or a network error. */
  post(path: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
    let url = this.#targets.get(path);
    if (!url) this.#targets.set(path, (url = new URL(path, this.#url)));
    const target = url;
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      const fail = (f: HttpFailure) => {
        if (settled) return;
        settled = true;
        reject(new HttpFailed(f));
      };
      const req = this.#request(
        target,
        {
          method: 'POST',
          agent: this.#agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => fail({ kind: 'unreachable', message: e.message }));
          res.on('end', () => {
            clearTimeout(timer);
            if (settled) return;
            settled = true;
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      const timer = setTimeout(() => {
        fail({ kind: 'timeout' });
        req.destroy();
      }, timeoutMs);
      req.on('error', (e) => {
        clearTimeout(timer);
        fail({ kind: 'unreachable', message: e.message });
      });
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
