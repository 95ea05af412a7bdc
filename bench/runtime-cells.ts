// Two cells of the runtime benchmark beside the throughput table:
// - health probes while the model is busy: the sidecar serving a model whose call takes about
//   50 ms, two connections keeping it busy, and a kubelet-like probe of /v2/health/live every
//   20 ms; calls on the inference workers against every call on the event loop (what the
//   runtime did before workers). Target: probe p99 < 50 ms.
// - online retrieval: the same record answered with 8 of its 32 features fetched from a feature
//   server answering in 1 ms (the Feast peer of the tests), against the record sent whole, beside
//   a server that only fetches (the fetch floor). Target: added p50 <= 1.5 ms.
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

/** One placement of the feature server: the sidecar's and the fetch floor's added p50s. */
export interface RetrievalPlacement {
  readonly cpu: number;
  readonly wholeP50: number;
  readonly onlineP50: number;
  /** Median over runs of the paired difference of p50s, milliseconds. */
  readonly addedP50: number;
  /** The same for the fetch floor (runtime-fetch-floor.ts): a server that only fetches. */
  readonly floorAddedP50: number;
  readonly storeP50: number;
}

export type RetrievalCell = readonly RetrievalPlacement[];

/**
 * p50 of one-connection record requests with and without retrieval, `runs` pairs of fresh servers,
 * with the feature server on the sidecar's CPU (0) and on the load generator's (1): at one
 * connection the sidecar and the feature server never run at once, but on this VM a hop between
 * CPUs costs a wake-up of the other one, so both are shown.
 */
export async function retrievalCell(
  dir: string,
  configPath: string,
  runs: number,
  seconds: number,
): Promise<RetrievalCell> {
  const placements: RetrievalPlacement[] = [];
  for (const cpu of [0, 1]) placements.push(await retrievalOn(cpu, dir, configPath, runs, seconds));
  return placements;
}

async function retrievalOn(
  cpu: number,
  dir: string,
  configPath: string,
  runs: number,
  seconds: number,
): Promise<RetrievalPlacement> {
  const feast = await start('feature-server', 'runtime-feast.js', ['1'], cpu);
  const servers: Server[] = [];
  try {
    const onlineConfig = writeOnlineConfig(dir, feast.base);
    const pairs: { whole: number; online: number; floorWhole: number; floorOnline: number }[] = [];
    for (let run = 0; run < runs; run++) {
      const started = {
        whole: await start('sidecar-record', 'runtime-sidecar.js', [configPath]),
        online: await start('sidecar-online', 'runtime-sidecar.js', [onlineConfig]),
        floorWhole: await start('fetch-floor', 'runtime-fetch-floor.js', []),
        floorOnline: await start('fetch-floor-online', 'runtime-fetch-floor.js', [feast.base]),
      };
      servers.push(...Object.values(started));
      const p50 = (r: LoadRun) => percentile(Float64Array.from(r.latencies).sort(), 50);
      const fetches = (kind: keyof typeof started) => kind === 'online' || kind === 'floorOnline';
      const measure = (kind: keyof typeof started, s: number) =>
        p50(loadSync(`${started[kind].base}/v2/models/bench/infer`, 1, s, recordBody(fetches(kind))));
      const kinds = Object.keys(started) as (keyof typeof started)[];
      for (const kind of kinds) measure(kind, 1); // warm-up: JIT, sessions, connections to the feature server
      // Taken in turn, the order reversed every run.
      const got = new Map((run % 2 === 0 ? kinds : [...kinds].reverse()).map((k) => [k, measure(k, seconds)]));
      pairs.push({
        whole: got.get('whole')!,
        online: got.get('online')!,
        floorWhole: got.get('floorWhole')!,
        floorOnline: got.get('floorOnline')!,
      });
      await stopAll(Object.values(started));
    }
    return {
      cpu,
      wholeP50: median(pairs.map((p) => p.whole)),
      onlineP50: median(pairs.map((p) => p.online)),
      addedP50: median(pairs.map((p) => p.online - p.whole)),
      floorAddedP50: median(pairs.map((p) => p.floorOnline - p.floorWhole)),
      storeP50: await storeP50(feast.base),
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
      'answering 1 ms after each request arrives, against the record sent whole; the fetch floor is a server ' +
      'that only fetches the same features with the same client (bench/runtime-fetch-floor.ts), measured in ' +
      'the same runs. Added p50: median of paired differences (target <= 1.5 ms).',
    '',
    '| feature server on | its p50 seen by a client ms | sidecar p50 whole / with retrieval ms | ' +
      'added p50 ms: sidecar | fetch floor | sidecar − floor |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...retrieval.map(
      (r) =>
        `| CPU ${r.cpu} (${r.cpu === 0 ? "the sidecar's" : "the load generator's"}) | ${ms(r.storeP50)} | ` +
        `${ms(r.wholeP50)} / ${ms(r.onlineP50)} | ${ms(r.addedP50)} | ${ms(r.floorAddedP50)} | ` +
        `${ms(r.addedP50 - r.floorAddedP50)} |`,
    ),
    '',
  ];
}
