// A runtime and its HTTP server on a loopback port, for end-to-end tests.
import type { RuntimeConfig } from '../../../runtime/contract/config.js';
import { jsonLogger, type Logger } from '../../../runtime/log.js';
import { SessionPool } from '../../../runtime/model/pool.js';
import { loadModelSession, type ModelSession, type SessionSpec } from '../../../runtime/model/session.js';
import { Runtime, type ReloadResult, type RuntimeOptions } from '../../../runtime/runtime.js';
import { RuntimeServer } from '../../../runtime/server.js';
import type { Fixture } from './fixture.js';

export interface Harness {
  readonly url: string;
  readonly runtime: Runtime;
  readonly server: RuntimeServer;
  readonly logs: Record<string, unknown>[];
  readonly logger: Logger;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  metrics(): Promise<string>;
  /** Resolves with the next reload's result. */
  nextReload(): Promise<ReloadResult>;
  stop(): Promise<void>;
}

export async function startHarness(
  fx: Fixture,
  config: RuntimeConfig,
  options: Partial<RuntimeOptions> = {},
): Promise<Harness> {
  fx.publish(config);
  const logs: Record<string, unknown>[] = [];
  const logger = jsonLogger((line) => logs.push(JSON.parse(line)), 'debug');
  const runtime = new Runtime({
    configPath: fx.configPath,
    logger,
    watch: { debounceMs: 20, pollMs: 0 },
    processMetrics: false,
    ...options,
  });
  await runtime.start();
  const server = new RuntimeServer(runtime, logger);
  const address = await server.listen(0, '127.0.0.1', config.server.requestTimeoutMs, config.server.maxConnections);
  const url = `http://127.0.0.1:${address.port}`;
  const waiting: ((r: ReloadResult) => void)[] = [];
  runtime.onReload((r) => {
    if (r.result !== 'unchanged') waiting.splice(0).forEach((w) => w(r));
  });
  return {
    url,
    runtime,
    server,
    logs,
    logger,
    post: (path, body, headers = {}) =>
      fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
    nextReload: () => new Promise((resolve) => waiting.push(resolve)),
    async stop() {
      await server.shutdown(2000);
      await runtime.close();
    },
  };
}

/** A pool whose sessions wait for `open()` before each run: a request stays in flight as long as a test needs. */
export function gatedPool(): { pool: SessionPool; open: () => void; runs: () => number } {
  let release: () => void = () => {};
  let gate = new Promise<void>((r) => (release = r));
  let runs = 0;
  const pool = new SessionPool(async (spec: SessionSpec): Promise<ModelSession> => {
    const real = await loadModelSession(spec);
    return {
      run: async (feeds, options) => {
        runs++;
        await gate;
        return real.run(feeds, options);
      },
      release: () => real.release(),
    };
  });
  return {
    pool,
    open: () => {
      release();
      gate = Promise.resolve();
    },
    runs: () => runs,
  };
}

/** A response body as JSON, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}

/** The value of one sample line of the Prometheus text format, or undefined. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).split(' ')[0]!;
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`)))
      return Number(line.split(' ').pop());
  }
  return undefined;
}

/** Waits until `condition` holds, checking every few milliseconds (no fixed sleeps in assertions). */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
