// The runtime's HTTP client (feature server, events sink): answers framed every way HTTP/1.1
// allows, kept-alive connections reused and bounded, a peer that closes an idle connection, time
// limits, and peers that misbehave. Peers are node:http servers, or raw TCP servers writing
// exact bytes where the framing itself is under test.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpFailed, JsonClient, MAX_ANSWER_BYTES } from '../../runtime/http-client.js';
import { tempDir } from '../helpers/cli.js';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const base = (s: Server | TcpServer, scheme = 'http') => `${scheme}://127.0.0.1:${(s.address() as AddressInfo).port}/`;

async function listen<T extends Server | TcpServer>(server: T): Promise<T> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        (server as Server).closeAllConnections?.();
        server.close(() => r());
      }),
  );
  return server;
}

function client(url: string, maxSockets = 2, options = {}): JsonClient {
  const c = new JsonClient(url, maxSockets, options);
  closers.push(() => c.close());
  return c;
}

/** A node:http peer answering the JSON it got, counting connections. */
async function echoServer(): Promise<{ server: Server; connections: () => number; requests: string[] }> {
  let connections = 0;
  const requests: string[] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${req.headers['content-type']} ${req.headers['x-trace']} ${body}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ got: JSON.parse(body) }));
    });
  });
  server.on('connection', () => connections++);
  return { server: await listen(server), connections: () => connections, requests };
}

/** A raw peer: `answer` writes the answer to each request it reads (numbered overall and on its connection). */
async function rawServer(answer: (socket: Socket, request: number, onConnection: number) => void): Promise<TcpServer> {
  let n = 0;
  const server = createTcpServer((socket) => {
    let seen = '';
    let here = 0;
    socket.on('data', (d) => {
      seen += d.toString('latin1');
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(seen)?.[1] ?? 0);
      if (seen.length < end + 4 + length) return;
      seen = seen.slice(end + 4 + length);
      answer(socket, n++, here++);
    });
    socket.on('error', () => undefined);
  });
  return listen(server);
}

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(HttpFailed);
  return (e as HttpFailed).failure;
};

describe('JsonClient', () => {
  it('posts JSON with its headers to a path under the base URL, and reuses one connection', async () => {
    const peer = await echoServer();
    const c = client(`${base(peer.server)}feast/`);
    for (let i = 0; i < 5; i++) {
      const a = await c.post('get-online-features', JSON.stringify({ i, word: 'héllo' }), { 'x-trace': 't1' }, 1000);
      expect(a).toEqual({ status: 200, text: JSON.stringify({ got: { i, word: 'héllo' } }) });
    }
    expect(peer.requests[0]).toBe('POST /feast/get-online-features application/json t1 {"i":0,"word":"héllo"}');
    expect(peer.connections()).toBe(1);
  });

  it('opens at most maxSockets connections; more calls wait for one', async () => {
    let inFlight = 0;
    let most = 0;
    let connections = 0;
    const server = createHttpServer((req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      req.resume();
      setTimeout(() => {
        inFlight--;
        res.end('{}');
      }, 20);
    });
    server.on('connection', () => connections++);
    await listen(server);
    const c = client(base(server), 3);
    const answers = await Promise.all(Array.from({ length: 12 }, () => c.post('x', '{}', {}, 2000)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(most).toBe(3);
    expect(connections).toBe(3);
  });

  it('reads chunked answers with extensions and trailers, split anywhere', async () => {
    const body = '{"values":[1,2,3],"name":"é"}';
    const bytes = Buffer.from(
      'HTTP/1.1 100 Continue\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' +
        `5;ext=1\r\n${body.slice(0, 5)}\r\n` +
        `${Buffer.byteLength(body.slice(5)).toString(16)}\r\n${body.slice(5)}\r\n` +
        '0\r\nX-Trailer: yes\r\n\r\n',
    );
    const server = await rawServer((socket) => {
      // One byte at a time: every state of the parser sees a boundary.
      let i = 0;
      const next = () => {
        if (i < bytes.length) socket.write(bytes.subarray(i, ++i), () => setImmediate(next));
      };
      next();
    });
    const c = client(base(server));
    expect(await c.post('x', '{}', {}, 5000)).toEqual({ status: 200, text: body });
    // The connection is kept: a second answer on it.
    expect(await c.post('x', '{}', {}, 5000)).toEqual({ status: 200, text: body });
  });

  it('reads an answer that ends with the connection, and a 204 without a body', async () => {
    const server = await rawServer((socket, n) => {
      if (n === 0) socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"until":"close"}');
      else socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const c = client(base(server));
    expect(await c.post('x', '{}', {}, 1000)).toEqual({ status: 200, text: '{"until":"close"}' });
    expect(await c.post('x', '{}', {}, 1000)).toEqual({ status: 204, text: '' });
  });

  it('a kept-alive connection the peer closed while idle is replaced, and the call succeeds', async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      res.end('{"ok":true}');
    });
    server.keepAliveTimeout = 50;
    const c = client(base(await listen(server)));
    expect((await c.post('x', '{}', {}, 1000)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200)); // the peer closes the idle connection
    expect((await c.post('x', '{}', {}, 1000)).status).toBe(200);
  });

  it('a kept-alive connection that dies with the call on it is retried on a new connection', async () => {
    // The peer drops every connection at its second request, as one closing an idle connection
    // at the moment the request arrives would.
    const server = await rawServer((socket, _, onConnection) => {
      if (onConnection === 1) return socket.destroy();
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
    });
    const c = client(base(server), 1);
    for (let i = 0; i < 4; i++) expect(await c.post('x', '{}', {}, 1000)).toEqual({ status: 200, text: '{}' });
  });

  it('a connection reset before any answer byte is retried once on a new connection, not more', async () => {
    const server = await rawServer((socket) => socket.resetAndDestroy());
    const c = client(base(server));
    expect(await failure(c.post('x', '{}', {}, 1000))).toMatchObject({ kind: 'unreachable' });
  });

  it('a call past its time limit fails as a timeout, and the late answer is never seen', async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      setTimeout(() => res.end('{"late":true}'), 300);
    });
    const c = client(base(await listen(server)), 1);
    const started = performance.now();
    expect(await failure(c.post('x', '{}', {}, 50))).toEqual({ kind: 'timeout' });
    expect(performance.now() - started).toBeLessThan(250);
    // The connection of the late call was dropped: the next call gets its own answer.
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      req.resume();
      res.end('{"fresh":true}');
    });
    expect(await c.post('x', '{}', {}, 1000)).toEqual({ status: 200, text: '{"fresh":true}' });
  });

  it('an unreachable peer fails as unreachable', async () => {
    const server = await listen(createTcpServer());
    const url = base(server);
    await new Promise<void>((r) => server.close(() => r()));
    expect(await failure(client(url).post('x', '{}', {}, 1000))).toMatchObject({ kind: 'unreachable' });
  });

  it('refuses answers that are not HTTP, malformed, contradictory or too large', async () => {
    const answers = [
      'SSH-2.0-OpenSSH\r\n\r\n',
      'HTTP/1.1 200 OK\r\nbroken header\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
      `HTTP/1.1 200 OK\r\nContent-Length: ${MAX_ANSWER_BYTES + 1}\r\n\r\n`,
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}',
    ];
    const server = await rawServer((socket, n) => {
      const a = answers[n % answers.length]!;
      if (n === answers.length - 1) socket.end(a);
      else socket.write(a);
    });
    const c = client(base(server), 1);
    const messages = [];
    for (let i = 0; i < answers.length; i++) {
      const f = await failure(c.post('x', '{}', {}, 1000));
      expect(f.kind).toBe('unreachable');
      messages.push(f.kind === 'unreachable' ? f.message : '');
    }
    expect(messages).toEqual([
      expect.stringMatching(/^not an HTTP\/1.x answer/),
      expect.stringMatching(/^a malformed header line/),
      'the answer has conflicting Content-Length headers',
      `the answer is larger than ${MAX_ANSWER_BYTES} bytes`,
      expect.stringMatching(/^a malformed chunk size/),
      'the connection closed in the middle of an answer',
    ]);
  });

  it('speaks https, checking the peer’s certificate', async () => {
    const dir = tempDir('mlspec-tls-');
    closers.push(dir.cleanup);
    const key = join(dir.dir, 'key.pem');
    const cert = join(dir.dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      req.resume();
      res.end('{"tls":true}');
    });
    await listen(server as unknown as Server);
    const url = base(server as unknown as Server, 'https');
    expect(await client(url, 1, { ca: readFileSync(cert) }).post('x', '{}', {}, 2000)).toEqual({
      status: 200,
      text: '{"tls":true}',
    });
    // Without its authority the certificate is not trusted.
    expect(await failure(client(url, 1).post('x', '{}', {}, 2000))).toMatchObject({ kind: 'unreachable' });
  });
});
