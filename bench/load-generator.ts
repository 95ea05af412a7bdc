// The load generator of the runtime benchmark, run in its own process: autocannon driven through
// its API so that every answer's latency is kept at full resolution. autocannon's own summary
// records whole milliseconds, too coarse to compare a p99 of 1.4 ms with one of 1.7 ms.
// Usage: node dist/bench/load-generator.js URL CONNECTIONS SECONDS BODY [--latencies]
//   prints one JSON line; --latencies adds every answer's latency (ms), so that runs can be merged.
import { createRequire } from 'node:module';
import { percentile } from './percentile.js';

interface Instance {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
  ): void;
  on(event: 'done', listener: (result: AutocannonResult) => void): void;
}
interface AutocannonResult {
  readonly requests: { readonly average: number; readonly total: number };
  /** Seconds actually run: autocannon stops on its next one-second tick. */
  readonly duration: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Instance;

interface LoadResult {
  /** Mean of autocannon's per-second request counts. */
  readonly rps: number;
  readonly total: number;
  readonly seconds: number;
  /** Latency percentiles of successful answers, in milliseconds (fractional). */
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly latencies?: number[];
}

function run(url: string, connections: number, seconds: number, body: string, keep: boolean): Promise<LoadResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  return new Promise((resolve) => {
    const instance = autocannon({
      url,
      connections,
      duration: seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status < 200 || status >= 300) return;
      if (n === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[n++] = ms;
    });
    instance.on('done', (r) => {
      const sorted = latencies.subarray(0, n).sort();
      const result = {
        rps: r.requests.average,
        total: r.requests.total,
        seconds: r.duration,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        errors: r.errors + r.non2xx + r.timeouts,
      };
      resolve(keep ? { ...result, latencies: Array.from(sorted) } : result);
    });
  });
}

const [url, connections, seconds, body, flag] = process.argv.slice(2);
process.stdout.write(
  `${JSON.stringify(await run(url!, Number(connections), Number(seconds), body!, flag === '--latencies'))}\n`,
);
