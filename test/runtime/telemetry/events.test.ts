// The event stream: key-based sampling keeps whole user histories, redaction removes personal data.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventWriter, type AssignmentEvent } from '../../../runtime/telemetry/events.js';
import { seeded } from '../helpers/random.js';

const dir = mkdtempSync(join(tmpdir(), 'mlspec-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event = (key?: string): AssignmentEvent => ({
  time: '2024-01-01T00:00:00.000Z',
  model: 'm',
  variant: 'a',
  version: '1',
  reason: key ? 'sticky' : 'split',
  ...(key ? { key } : {}),
  status: 200,
  latencySeconds: 0.001,
  features: { email: 'x@example.com', age: 31 },
  outputs: { p: 0.5 },
});

describe('EventWriter', () => {
  it('samples keyed requests by hash: a key is always in or always out, at about the rate', () => {
    const w = new EventWriter(
      { path: join(dir, 'a.jsonl'), sampleRate: 0.2, redactFields: [] },
      { header: 'x-user' },
      () => {},
      seeded(1),
    );
    const keys = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);
    const first = keys.map((k) => w.sampled(k));
    expect(keys.map((k) => w.sampled(k))).toEqual(first);
    const rate = first.filter(Boolean).length / keys.length;
    expect(Math.abs(rate - 0.2)).toBeLessThan(4.5 * Math.sqrt((0.2 * 0.8) / keys.length));
    return w.close();
  });

  it('samples key-less requests at random, and never at rate 0', async () => {
    const w = new EventWriter(
      { path: join(dir, 'b.jsonl'), sampleRate: 0.5, redactFields: [] },
      undefined,
      () => {},
      seeded(2),
    );
    const kept = Array.from({ length: 10_000 }, () => w.sampled(undefined)).filter(Boolean).length;
    expect(Math.abs(kept - 5000)).toBeLessThan(250);
    const none = new EventWriter({ path: join(dir, 'c.jsonl'), sampleRate: 0, redactFields: [] }, undefined, () => {});
    expect(none.sampled('k')).toBe(false);
    await Promise.all([w.close(), none.close()]);
  });

  it('removes redacted features, and the key when its source is redacted', async () => {
    const path = join(dir, 'd.jsonl');
    const counts: string[] = [];
    const w = new EventWriter({ path, sampleRate: 1, redactFields: ['email', 'user_id'] }, { field: 'user_id' }, (o) =>
      counts.push(o),
    );
    w.write(event('u-1'));
    await w.close();
    const line = JSON.parse(readFileSync(path, 'utf8'));
    expect(line.features).toEqual({ age: 31 });
    expect(line.key).toBeUndefined();
    expect(line.outputs).toEqual({ p: 0.5 });
    expect(counts).toEqual(['written']);
  });

  it('keeps the key when its source is not personal data', async () => {
    const path = join(dir, 'e.jsonl');
    const w = new EventWriter({ path, sampleRate: 1, redactFields: ['email'] }, { header: 'x-session' }, () => {});
    w.write(event('s-9'));
    await w.close();
    expect(JSON.parse(readFileSync(path, 'utf8')).key).toBe('s-9');
  });
});
