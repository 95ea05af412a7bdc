// An HTTP peer that answers `POST /get-online-features` the way Feast's Python feature server
// does (request and answer shapes in test/runtime/fixtures/feast/README.md), from a table the
// test fills: values per feature view and entity key, with event times and a TTL. It is not a
// stand-in that echoes what a test expects: it refuses requests Feast would refuse, and a test
// checks that it answers Feast's documented example with the documented answer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredRow {
  /** Feature values of one entity in one view; null is a value that was written as null. */
  readonly values: Readonly<Record<string, unknown>>;
  /** When the row was written (its event timestamp), milliseconds. */
  readonly eventTime: number;
}

export interface FeastTable {
  /** view → entity key (as JSON text) → row */
  readonly views: Map<string, Map<string, StoredRow>>;
  /** view → time to live in seconds (Feast's `ttl`): older rows are OUTSIDE_MAX_AGE. */
  readonly ttlSeconds: Map<string, number>;
}

export interface FeastServer {
  readonly url: string;
  readonly table: FeastTable;
  /** Every request body received. */
  readonly requests: unknown[];
  /** Delays every answer (a slow store). */
  delayMs: number;
  /** Delays every answer by spinning rather than a timer: exact, for a benchmark's "answers in 1 ms". */
  spin: boolean;
  /** Answers every request with this status and a Feast-style error body instead. */
  failWith: number | undefined;
  now: () => number;
  close(): Promise<void>;
}

const EPOCH = '1970-01-01T00:00:00Z';

export async function startFeastServer(): Promise<FeastServer> {
  const table: FeastTable = { views: new Map(), ttlSeconds: new Map() };
  const state = {
    requests: [] as unknown[],
    delayMs: 0,
    spin: false,
    failWith: undefined as number | undefined,
    now: () => Date.now(),
  };
  const server: Server = createServer((req, res) => {
    const arrived = performance.now();
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', async () => {
      const [status, body] = reply(req.method, req.url, text);
      // The answer leaves `delayMs` after the request arrived: a server that answers in that time.
      if (state.delayMs > 0 && state.spin) while (performance.now() < arrived + state.delayMs);
      else if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
      const [finalStatus, finalBody] =
        state.failWith !== undefined && status === 200
          ? [state.failWith, { detail: 'the online store failed' }]
          : [status, body];
      res.writeHead(finalStatus, { 'content-type': 'application/json' });
      res.end(JSON.stringify(finalBody));
    });
  });
  const reply = (method: string | undefined, url: string | undefined, text: string): [number, unknown] => {
    if (method !== 'POST' || url !== '/get-online-features') return [404, { detail: 'Not Found' }];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [422, { detail: 'request body is not JSON' }];
    }
    state.requests.push(body);
    const problem = invalid(body);
    if (problem) return [422, { detail: problem }];
    return [200, onlineFeatures(table, body as Request, state.now())];
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    table,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}

interface Request {
  readonly entities: Record<string, unknown[]>;
  readonly features: string[];
  readonly full_feature_names?: boolean;
}

/** What Feast's request model (pydantic) refuses, as a 422 detail. */
function invalid(body: unknown): string | undefined {
  const b = body as Partial<Request> & { feature_service?: unknown };
  if (typeof b !== 'object' || b === null) return 'body must be an object';
  if (typeof b.entities !== 'object' || b.entities === null || Array.isArray(b.entities))
    return '`entities` must map join keys to lists';
  const lengths = new Set(Object.values(b.entities).map((v) => (Array.isArray(v) ? v.length : -1)));
  if (lengths.has(-1) || lengths.size !== 1) return 'every entity list must be a list, all of the same length';
  if (b.feature_service !== undefined) return 'this peer serves feature references only';
  if (!Array.isArray(b.features) || !b.features.every((f) => typeof f === 'string' && /^\w+:\w+$/.test(f)))
    return '`features` must be a list of `view:feature` references';
  if (b.full_feature_names !== undefined && typeof b.full_feature_names !== 'boolean')
    return '`full_feature_names` must be a boolean';
  return undefined;
}

function onlineFeatures(table: FeastTable, req: Request, now: number) {
  const keys = Object.keys(req.entities);
  const rows = req.entities[keys[0]!]!.length;
  const names: string[] = [...keys];
  const results = keys.map((k) => ({
    values: req.entities[k]!,
    statuses: req.entities[k]!.map(() => 'PRESENT'),
    event_timestamps: req.entities[k]!.map(() => EPOCH),
  }));
  for (const ref of req.features) {
    const [view, feature] = ref.split(':') as [string, string];
    names.push(req.full_feature_names ? `${view}__${feature}` : feature);
    const column = { values: [] as unknown[], statuses: [] as string[], event_timestamps: [] as string[] };
    for (let r = 0; r < rows; r++) {
      const key = JSON.stringify(keys.map((k) => req.entities[k]![r]));
      const row = table.views.get(view)?.get(key);
      const ttl = table.ttlSeconds.get(view);
      if (!row) {
        column.values.push(null);
        column.statuses.push('NOT_FOUND');
        column.event_timestamps.push(EPOCH);
        continue;
      }
      const stale = ttl !== undefined && now - row.eventTime > ttl * 1000;
      const value = row.values[feature] ?? null;
      column.values.push(stale ? null : value);
      column.statuses.push(stale ? 'OUTSIDE_MAX_AGE' : value === null ? 'NULL_VALUE' : 'PRESENT');
      column.event_timestamps.push(new Date(row.eventTime).toISOString().replace('.000Z', 'Z'));
    }
    results.push(column);
  }
  return { metadata: { feature_names: names }, results };
}

/** Key of an entity row in the table: its join-key values in request order, as JSON. */
export function entityKey(...values: unknown[]): string {
  return JSON.stringify(values);
}
