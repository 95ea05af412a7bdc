// Two cells of the runtime benchmark beside the throughput table:
// - health probes while the model is busy: the sidecar serving a model whose call takes about
//   50 ms, two connections keeping it busy, and a kubelet-like probe of /v2/health/live every
//   20 ms; calls on the inference workers against every call on the event loop (what the
//   runtime did before workers). Target: probe p99 < 50 ms.
// - online retrieval: the same record answered with 8 of its 32 features fetched from a feature
//   server answering in 1 ms (the Feast peer of the tests, on the load generator's CPU), against
//   the record sent whole. Target: added p50 <= 1.5 ms.
import { JsonClient } from '../runtime/http-client.js';
import { percentile } from './percentile.js';
import { recordBody, slowBody, writeOnlineConfig, writeSlowFixture } from './runtime-fixture.js';
import {
  type LoadRun,
  loadCommand,
  loadSync,
  onCpu,
  runJson,
  type Server,
  start,
  stopAll,
} from './runtime-processes.js';
import { median } from './percentile.js';

export interface ProbeResult {
  readonly probeP50: number;
  readonly probeP99: number;
  readonly probeMax: number;
  readonly callP50: number;
  readonly calls: number;
}

export interface ProbeCell {
  readonly rows: number;
  readonly workers: ProbeResult;
  readonly inline: ProbeResult;
}

/** Probe latencies while two connections keep a ~50 ms model busy; median over `runs` fresh servers. */
export async function probeCell(dir: string, runs: number, seconds: number): Promise<ProbeCell> {
  const slow = await writeSlowFixture(dir, 50);
  const body = slowBody(slow.rows);
  const results: Record<'workers' | 'inline', ProbeResult[]> = { workers: [], inline: [] };
  for (let run = 0; run < runs; run++) {
    for (const kind of run % 2 === 0 ? (['workers', 'inline'] as const) : (['inline', 'workers'] as const)) {
      const server = await start(`slow-${kind}`, 'runtime-sidecar.js', [slow[kind]]);
      try {
        const url = `${server.base}/v2/models/bench/infer`;
        loadSync(url, 1, 1, body); // warm-up
        const [load, probes] = await Promise.all([
          runJson<LoadRun>(loadCommand(url, 2, seconds, body)),
          runJson<{ latencies: number[] }>(onCpu(1, 'runtime-probe.js', [server.base, String(seconds), '20'])),
        ]);
        const p = Float64Array.from(probes.latencies).sort();
        const c = Float64Array.from(load.latencies).sort();
        results[kind].push({
          probeP50: percentile(p, 50),
          probeP99: percentile(p, 99),
          probeMax: p[p.length - 1] ?? Number.NaN,
          callP50: percentile(c, 50),
          calls: load.total,
        });
      } finally {
        await stopAll([server]);
      }
    }
  }
  const med = (rs: ProbeResult[]): ProbeResult => ({
    probeP50: median(rs.map((r) => r.probeP50)),
    probeP99: median(rs.map((r) => r.probeP99)),
    probeMax: median(rs.map((r) => r.probeMax)),
    callP50: median(rs.map((r) => r.callP50)),
    calls: median(rs.map((r) => r.calls)),
  });
  return { rows: slow.rows, workers: med(results.workers), inline: med(results.inline) };
}

export interface RetrievalCell {
  readonly wholeP50: number;
  readonly onlineP50: number;
  /** Median over runs of the paired difference of p50s, milliseconds. */
  readonly addedP50: number;
  readonly storeP50: number;
}

/** p50 of one-connection record requests with and without retrieval; `runs` pairs of fresh servers. */
export async function retrievalCell(
  dir: string,
  configPath: string,
  runs: number,
  seconds: number,
): Promise<RetrievalCell> {
  const feast = await start('feature-server', 'runtime-feast.js', ['1'], 1);
  const servers: Server[] = [];
  try {
    const onlineConfig = writeOnlineConfig(dir, feast.base);
    const pairs: { whole: number; online: number }[] = [];
    for (let run = 0; run < runs; run++) {
      const whole = await start('sidecar-record', 'runtime-sidecar.js', [configPath]);
      const online = await start('sidecar-online', 'runtime-sidecar.js', [onlineConfig]);
      servers.push(whole, online);
      const measure = (s: Server, isOnline: boolean) =>
        loadSync(`${s.base}/v2/models/bench/infer`, 1, seconds, recordBody(isOnline));
      measure(whole, false); // warm-up: JIT, sessions, connections to the feature server
      measure(online, true);
      const p50 = (r: LoadRun) => percentile(Float64Array.from(r.latencies).sort(), 50);
      // Taken in turn, the order reversed every run.
      const order = run % 2 === 0 ? [false, true] : [true, false];
      const got = new Map(order.map((isOnline) => [isOnline, p50(measure(isOnline ? online : whole, isOnline))]));
      pairs.push({ whole: got.get(false)!, online: got.get(true)! });
      await stopAll([whole, online]);
    }
    const store = await storeP50(feast.base);
    return {
      wholeP50: median(pairs.map((p) => p.whole)),
      onlineP50: median(pairs.map((p) => p.online)),
      addedP50: median(pairs.map((p) => p.online - p.whole)),
      storeP50: store,
    };
  } finally {
    await stopAll([...servers, feast]);
  }
}

/** The feature server's p50 for one call, as a keep-alive client on the same machine sees it. */
async function storeP50(base: string): Promise<number> {
  const body = JSON.stringify({ features: ['user_stats:f24'], entities: { user_id: [7] }, full_feature_names: true });
  const client = new JsonClient(`${base}/`, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < 1200; i++) {
      const startedAt = performance.now();
      await client.post('get-online-features', body, {}, 1000);
      if (i >= 200) times.push(performance.now() - startedAt);
    }
  } finally {
    client.close();
  }
  return median(times);
}

const ms = (x: number) => x.toFixed(2);

export function renderCells(probe: ProbeCell, retrieval: RetrievalCell): string[] {
  const p = (name: string, r: ProbeResult) =>
    `| ${name} | ${ms(r.probeP50)} / ${ms(r.probeP99)} / ${ms(r.probeMax)} | ${ms(r.callP50)} | ${r.calls} |`;
  return [
    "Health probes while the model is busy: a model call of about 50 ms (the tests' slow model, " +
      `${probe.rows} rows per request, calibrated on this machine), two connections keeping the sidecar busy, ` +
      'a probe of `/v2/health/live` every 20 ms on a new connection; median of runs, a fresh server each.',
    '',
    '| model calls | probe p50 / p99 / max ms (target: p99 < 50) | call p50 ms | calls |',
    '| --- | ---: | ---: | ---: |',
    p('on the inference workers (default)', probe.workers),
    p('on the event loop (`inlineMaxMs` 1e9: as before workers)', probe.inline),
    '',
    'Online retrieval: one record at one connection, 8 of its 32 features fetched from a feature server ' +
      `answering after 1 ms (its own p50 seen by a client: ${ms(retrieval.storeP50)} ms), against the record ` +
      `sent whole: p50 ${ms(retrieval.wholeP50)} ms whole, ${ms(retrieval.onlineP50)} ms with retrieval; added ` +
      `p50 ${ms(retrieval.addedP50)} ms (median of paired differences; target <= 1.5 ms).`,
    '',
  ];
}
