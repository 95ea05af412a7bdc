// The event stream: key-based sampling keeps whole user histories, redaction removes personal
// data, every record is a CloudEvent of the versioned schema, and every sink is bounded (the
// file rotates at its size cap, the HTTP sink drops what its buffer cannot hold).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaAjv } from '../../../core/schema/ajv.js';
import { AssignmentEvent } from '../../../runtime/contract/events.js';
import { type AssignmentFacts, EventWriter, type EventWriterOptions } from '../../../runtime/telemetry/events.js';
import { until } from '../helpers/harness.js';
import { seeded } from '../helpers/random.js';

const dir = mkdtempSync(join(tmpdir(), 'mlspec-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const facts = (key?: string): AssignmentFacts => ({
  requestId: 'req-1',
  model: 'm',
  variant: 'a',
  version: '1',
  reason: key ? 'sticky' : 'split',
  key,
  status: 200,
  latencySeconds: 0.001,
  features: { email: 'x@example.com', Age: 31 },
  outputs: { p: 0.5 },
});
const TIME = new Date('2024-01-01T00:00:00.000Z');

function writer(config: Partial<EventWriterOptions['config']>, extra: Partial<EventWriterOptions> = {}) {
  const lines: string[] = [];
  const counts: string[] = [];
  const w = new EventWriter({
    config: { sampleRate: 1, redactFields: [], ...config },
    sticky: undefined,
    source: '/mlspec/churn/test/cpu',
    stdout: (l) => lines.push(l),
    count: (sink, outcome) => counts.push(`${sink}:${outcome}`),
    ...extra,
  });
  return { w, lines, counts };
}

describe('EventWriter', () => {
  it('samples keyed requests by hash: a key is always in or always out, at about the rate', async () => {
    const { w } = writer({ stdout: true, sampleRate: 0.2 }, { sticky: { header: 'x-user' }, random: seeded(1) });
    const keys = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);
    const first = keys.map((k) => w.sampled(k));
    expect(keys.map((k) => w.sampled(k))).toEqual(first);
    const rate = first.filter(Boolean).length / keys.length;
    expect(Math.abs(rate - 0.2)).toBeLessThan(4.5 * Math.sqrt((0.2 * 0.8) / keys.length));
    await w.close();
  });

  it('samples key-less requests at random, and never at rate 0', async () => {
    const { w } = writer({ stdout: true, sampleRate: 0.5 }, { random: seeded(2) });
    const kept = Array.from({ length: 10_000 }, () => w.sampled(undefined)).filter(Boolean).length;
    expect(Math.abs(kept - 5000)).toBeLessThan(250);
    const { w: none } = writer({ stdout: true, sampleRate: 0 });
    expect(none.sampled('k')).toBe(false);
  });

  it('writes CloudEvents of the versioned schema as JSON lines', () => {
    const { w, lines, counts } = writer({ stdout: true });
    w.write(facts('s-9'), TIME);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const event = JSON.parse(lines[0]!);
    const validate = schemaAjv().compile(AssignmentEvent);
    expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'io.mlspec.assignment.v1',
      source: '/mlspec/churn/test/cpu',
      time: '2024-01-01T00:00:00.000Z',
      datacontenttype: 'application/json',
      data: { requestId: 'req-1', model: 'm', variant: 'a', reason: 'sticky', status: 200, outputs: { p: 0.5 } },
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(counts).toEqual(['stdout:written']);
  });

  it('redacts features in any case, hashes the key, and leaves the raw key out when its header is redacted', () => {
    const { w, lines } = writer(
      { stdout: true, redactFields: ['EMAIL', 'x-user-id'] },
      { sticky: { header: 'X-User-Id' } },
    );
    w.write(facts('u-1'), TIME);
    const { data } = JSON.parse(lines[0]!);
    expect(data.features).toEqual({ Age: 31 });
    expect(data.key).toBeUndefined();
    expect(data.keyHash).toBe(createHash('sha256').update('u-1').digest('hex'));
    expect(lines[0]).not.toContain('u-1');
    expect(lines[0]).not.toContain('example.com');
  });

  it('keeps the raw key when its source is not personal data', () => {
    const { w, lines } = writer({ stdout: true, redactFields: ['email'] }, { sticky: { header: 'x-session' } });
    w.write(facts('s-9'), TIME);
    expect(JSON.parse(lines[0]!).data.key).toBe('s-9');
  });

  it('rotates the file at its size cap and keeps maxFiles old files', async () => {
    const path = join(dir, 'rotating.jsonl');
    const { w, counts } = writer({ path, maxFileBytes: 4096, maxFiles: 2 }, { path });
    for (let i = 0; i < 200; i++) w.write({ ...facts(`user-${i}`), requestId: `r-${i}` }, TIME);
    await w.close();
    const files = readdirSync(dir)
      .filter((f) => f.startsWith('rotating.jsonl'))
      .sort();
    expect(files).toEqual(['rotating.jsonl', 'rotating.jsonl.1', 'rotating.jsonl.2']);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(4096);
    expect(existsSync(`${path}.3`)).toBe(false);
    // The newest event is in the live file, older ones moved down the line.
    const last = readFileSync(path, 'utf8').trim().split('\n').pop()!;
    expect(JSON.parse(last).data.requestId).toBe('r-199');
    const rotated = readFileSync(`${path}.1`, 'utf8').trim().split('\n');
    expect(Number(JSON.parse(rotated.pop()!).data.requestId.slice(2))).toBeLessThan(199);
    expect(counts.filter((c) => c === 'file:written')).toHaveLength(200);
  });
});

describe('CloudEvents HTTP sink', () => {
  async function receiver(answer: boolean) {
    const got: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        if (answer) res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    return { got, url, close: () => new Promise<void>((r) => server.close(() => r())), server };
  }

  it('posts each event in binary mode: ce-* headers and the record as the body', async () => {
    const r = await receiver(true);
    const { w, counts } = writer({ sink: { url: r.url } });
    w.write(facts('s-1'), TIME);
    w.write(facts('s-2'), TIME);
    await w.close();
    expect(r.got).toHaveLength(2);
    const first = r.got[0]!;
    expect(first.headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-type': 'io.mlspec.assignment.v1',
      'ce-source': '/mlspec/churn/test/cpu',
      'content-type': 'application/json',
    });
    expect(first.headers['ce-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(first.body)).toMatchObject({ requestId: 'req-1', key: 's-1', variant: 'a' });
    expect(counts).toEqual(['http:written', 'http:written']);
    await r.close();
  });

  it('holds at most maxBuffered events behind a stuck receiver and counts the rest as dropped', async () => {
    const r = await receiver(false); // never answers
    const { w, counts } = writer({ sink: { url: r.url, maxBuffered: 5, maxConcurrent: 1, timeoutMs: 300 } });
    for (let i = 0; i < 10; i++) w.write(facts(`k-${i}`), TIME);
    // One in flight, five waiting, four dropped at once.
    expect(counts.filter((c) => c === 'http:dropped')).toHaveLength(4);
    await until(() => counts.filter((c) => c === 'http:failed').length === 6, 'the six held events to time out');
    await w.close();
    r.server.closeAllConnections();
    await r.close();
  });
});
