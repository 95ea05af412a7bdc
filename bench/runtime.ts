// Runtime benchmark: the sidecar (routing over two variants, drift on 32 features, Prometheus
// metrics, its inference workers) against a floor server that only runs the same ONNX session,
// both driven by autocannon in a separate process on loopback, at several concurrency levels.
// A fourth server, the floor writing answers as the sidecar does, separates the sidecar's own
// overhead from its write scheduling. Each cell is the median of several runs; within a run the
// servers take turns in short slices (see `measure`) so drift in machine load hits all alike.
// Also: health probes during 50 ms model calls and online feature retrieval
// (runtime-cells.ts), drift telemetry cost per request (microbenchmark, 32 features) and
// resident memory of the sidecar with two models and its workers.
//
// Servers run on CPU 0 and the load generator on CPU 1 (taskset): the two never compete for a
// CPU, and where the scheduler happens to place them is the same for every server.
//
// Usage: npx tsc -p . ; node dist/bench/runtime.js [--duration S] [--slices K] [--runs N] [--unpinned] [--write]
//   --cells: only the probe and retrieval cells, printed (not written).
//   --write replaces the runtime section of BENCHMARKS.md.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Tensor } from 'onnxruntime-node';
import { validateConfig } from '../runtime/config/validate.js';
import { signatureOf } from '../runtime/protocol/signature.js';
import { DriftMonitor } from '../runtime/telemetry/drift/monitor.js';
import { FEATURES, requestBody, writeFixture } from './runtime-fixture.js';
import { writeSection } from './benchmarks-file.js';
import { percentile } from './percentile.js';
import { probeCell, renderCells, retrievalCell } from './runtime-cells.js';
import {
  cpuMicros,
  loadSync,
  memory,
  pinProcesses,
  type Server as Process,
  start as startProcess,
  stopAll,
} from './runtime-processes.js';
import { median } from './percentile.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    slices: { type: 'string', default: '3' },
    runs: { type: 'string', default: '7' },
    unpinned: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    cells: { type: 'boolean', default: false },
  },
});
const DURATION = Number(values.duration);
const SLICES = Number(values.slices);
// autocannon stops on a one-second tick: a slice shorter than a whole second runs a whole second.
if (!Number.isInteger(DURATION / SLICES) || DURATION / SLICES < 1)
  throw new Error('--duration must be a whole number of seconds per slice (--slices)');
const RUNS = Number(values.runs);
const CONCURRENCY = [1, 8, 32, 64];
const loadStart = loadavg()[0]!;
const PINNED = pinProcesses(values.unpinned);

type Target = 'floor' | 'coalesced' | 'sidecar' | 'batched';

interface Server extends Process {
  readonly name: Target;
  readonly url: string;
}

async function start(name: Target, args: string[]): Promise<Server> {
  const file = name === 'floor' || name === 'coalesced' ? 'runtime-floor.js' : 'runtime-sidecar.js';
  const p = await startProcess(name, file, args);
  return { ...p, name, url: `${p.base}/v2/models/bench/infer` };
}

interface Result {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** CPU time (user + system) the server spent per request: robust to other load on the machine. */
  readonly cpuUs: number;
}

interface Slice {
  readonly total: number;
  readonly seconds: number;
  readonly errors: number;
  readonly cpuUs: number;
  readonly latencies: number[];
}

/** One load-generator run against `server`, with the server's CPU time over it. */
function slice(server: Server, connections: number, seconds: number): Slice {
  const cpuBefore = cpuMicros(server.child.pid!);
  const r = loadSync(server.url, connections, seconds, requestBody());
  const cpuUs = cpuMicros(server.child.pid!) - cpuBefore;
  return { total: r.total, seconds: r.seconds, errors: r.errors, cpuUs, latencies: r.latencies };
}

/**
 * One cell for every server: `DURATION` seconds each, in `SLICES` slices taken in turn, the
 * order reversed every slice (ABCD DCBA ABCD). On this VM a slow spell of a few seconds can
 * double every server's CPU per request; slices put the servers of a run close together in time,
 * so a spell lands on all of them instead of on whichever server had the whole cell then.
 */
function measure(servers: readonly Server[], connections: number): Map<Target, Result> {
  const parts = new Map<Target, Slice[]>(servers.map((s) => [s.name, []]));
  for (let k = 0; k < SLICES; k++) {
    for (const s of k % 2 === 0 ? servers : [...servers].reverse())
      parts.get(s.name)!.push(slice(s, connections, DURATION / SLICES));
  }
  return new Map(
    servers.map((s) => {
      const ps = parts.get(s.name)!;
      const total = ps.reduce((n, p) => n + p.total, 0);
      const latencies = Float64Array.from(ps.flatMap((p) => p.latencies)).sort();
      const cpu = ps.reduce((n, p) => n + p.cpuUs, 0);
      const result = {
        rps: total / ps.reduce((n, p) => n + p.seconds, 0),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        errors: ps.reduce((n, p) => n + p.errors, 0),
        cpuUs: cpu / Math.max(1, total),
      };
      return [s.name, result];
    }),
  );
}

/** Nanoseconds per `observe` of one 32-feature row, median of 5 runs of 500k calls. */
function driftCost(configPath: string): number {
  const valid = validateConfig(readFileSync(configPath, 'utf8'), configPath);
  if (!valid.ok) throw new Error('bench config invalid');
  const monitor = new DriftMonitor(valid.value.config.drift, signatureOf(valid.value.config), 0);
  const rows = Array.from({ length: 64 }, (_, r) => ({
    x: new Tensor(
      'float32',
      Float32Array.from({ length: FEATURES }, (_, i) => ((i + r) * 0.37) % 1),
      [1, FEATURES],
    ),
  }));
  const runs: number[] = [];
  for (let run = 0; run < 6; run++) {
    const n = 500_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) monitor.observe(rows[i & 63]!, 1);
    const ns = Number(process.hrtime.bigint() - t0) / n;
    if (run > 0) runs.push(ns); // the first run warms up the JIT
  }
  return median(runs);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mlspec-bench-'));
  const { configPath, batchedConfigPath, modelPath } = writeFixture(dir);
  if (values.cells) {
    const probe = await probeCell(dir, Math.max(3, Math.ceil(RUNS / 2)), 5);
    const retrieval = await retrievalCell(dir, configPath, RUNS, DURATION);
    process.stdout.write(`Load average (1 min) at end: ${loadavg()[0]!.toFixed(1)}\n\n`);
    process.stdout.write(renderCells(probe, retrieval).join('\n'));
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  let servers: Server[] = [];
  const stop = () => {
    for (const s of servers) s.child.kill('SIGTERM');
    process.exit(1);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const results = new Map<string, Result[]>();
    let mem: Record<Target, { rssMb: number; peakMb: number }> | undefined;
    const calls = { event_loop: 0, worker: 0 };
    for (let run = 0; run < RUNS; run++) {
      // Fresh server processes for every run: two processes running the same code differed by up
      // to 7 % in CPU per request on this VM, so one process per server would decide the result.
      servers = [
        await start('floor', [modelPath]),
        await start('sidecar', [configPath]),
        await start('batched', [batchedConfigPath]),
        await start('coalesced', [modelPath, '--coalesce']),
      ];
      for (const s of servers) slice(s, 8, 2); // warm-up: JIT, sessions, connection paths
      for (const c of CONCURRENCY) {
        const order = run % 2 === 0 ? servers : [...servers].reverse(); // alternate who goes first
        for (const [name, r] of measure(order, c)) {
          const key = `${name}:${c}`;
          results.set(key, [...(results.get(key) ?? []), r]);
          process.stderr.write(
            `run ${run + 1}/${RUNS} c=${c} ${name}: ${r.rps.toFixed(0)} req/s p50 ${r.p50.toFixed(2)} ms ` +
              `p99 ${r.p99.toFixed(2)} ms cpu ${r.cpuUs.toFixed(0)} µs/req errors ${r.errors}\n`,
          );
        }
      }
      for (const place of ['event_loop', 'worker'] as const) calls[place] += await modelCalls(servers[1]!, place);
      mem = {
        floor: memory(servers[0]!.child.pid!),
        sidecar: memory(servers[1]!.child.pid!),
        batched: memory(servers[2]!.child.pid!),
        coalesced: memory(servers[3]!.child.pid!),
      };
      await stopAll(servers);
      servers = [];
    }
    const drift = driftCost(configPath);
    const probe = await probeCell(dir, Math.max(3, Math.ceil(RUNS / 2)), 5);
    const retrieval = await retrievalCell(dir, configPath, RUNS, DURATION);
    const rows = CONCURRENCY.map((c) => {
      const of = (t: Target) => results.get(`${t}:${c}`)!;
      const m = (rs: Result[], k: keyof Result) => median(rs.map((r) => r[k]));
      // Ratios are paired: each run measures floor and sidecar back to back, so a slow spell of
      // the machine (throughput here swings by up to 2x within minutes) hits both.
      const ratio = (t: Target, base: Target = 'floor', k: 'rps' | 'p99' = 'rps') =>
        median(of(t).map((r, i) => r[k] / of(base)[i]![k]));
      const pick = (t: Target) => ({
        rps: m(of(t), 'rps'),
        ratio: ratio(t),
        p50: m(of(t), 'p50'),
        p99: m(of(t), 'p99'),
        p99Ratio: ratio(t, 'floor', 'p99'),
        cpuUs: m(of(t), 'cpuUs'),
      });
      return {
        c,
        floor: pick('floor'),
        coalesced: pick('coalesced'),
        sidecar: pick('sidecar'),
        batched: pick('batched'),
        sidecarVsCoalesced: ratio('sidecar', 'coalesced'),
        errors: [...of('floor'), ...of('coalesced'), ...of('sidecar'), ...of('batched')].reduce(
          (n, r) => n + r.errors,
          0,
        ),
      };
    });
    const onWorkers = calls.worker / Math.max(1, calls.event_loop + calls.worker);
    const report = render(rows, drift, mem!, onWorkers, renderCells(probe, retrieval));
    process.stdout.write(report);
    if (values.write) writeSection(join(repo, 'BENCHMARKS.md'), HEADING, section(report));
  } finally {
    await stopAll(servers);
    rmSync(dir, { recursive: true, force: true });
  }
}

type Cell = { rps: number; ratio: number; p50: number; p99: number; p99Ratio: number; cpuUs: number };
type Row = {
  c: number;
  floor: Cell;
  coalesced: Cell;
  sidecar: Cell;
  batched: Cell;
  sidecarVsCoalesced: number;
  errors: number;
};

function verdicts(rows: Row[], target: 'sidecar' | 'batched'): string {
  const throughput = rows.filter((r) => r[target].ratio >= 0.85).map((r) => r.c);
  const p99 = rows.filter((r) => r[target].p99Ratio <= 1.2).map((r) => r.c);
  const list = (cs: number[]) =>
    cs.length === rows.length ? 'all levels' : cs.length === 0 ? 'no level' : `connections ${cs.join(', ')} only`;
  return `${target}: throughput ≥ 85 % of the floor at ${list(throughput)}; p99 ≤ 1.2x the floor at ${list(p99)}`;
}

const ms = (x: number) => x.toFixed(2);

function render(
  rows: Row[],
  driftNs: number,
  mem: Record<Target, { rssMb: number; peakMb: number }>,
  onWorkers: number,
  cells: readonly string[],
): string {
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  const mb = (m: { rssMb: number; peakMb: number }) => `${m.rssMb.toFixed(0)} MB (peak ${m.peakMb.toFixed(0)} MB)`;
  const cpu = `${availableParallelism()} CPUs (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}`;
  const lines = [
    `Machine: ${cpu}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    'Method: autocannon (driven by bench/load-generator.ts, which keeps every latency) in its own process on ' +
      `loopback, ${DURATION} s per cell in ${SLICES} slices taken in turn (the servers' order reversed every ` +
      `slice, ABCD DCBA ABCD), median of ${RUNS} runs;`,
    PINNED
      ? 'servers pinned to CPU 0 and the load generator to CPU 1 (taskset);'
      : 'not pinned to CPUs (--unpinned, or taskset missing): expect more noise;',
    'the percentages and p99 ratios are medians of per-run ratios (floor and sidecar measured back to back in ' +
      'each run); every run starts fresh server processes;',
    'one V2 request = one row of 32 FP32 features; the sidecar routes 90/10 over two logistic-regression ' +
      'variants with drift on all 32 features and metrics on; its model calls run on the event loop when ' +
      'predicted to take at most 1 ms (these do), on its inference workers otherwise;',
    'the floor parses the body, runs the same ONNX model (same session options) and serialises the output, ' +
      'nothing else;',
    '"batched" is the same sidecar with micro-batching on (`maxBatchSize` 16, `maxDelayMs` 1);',
    '"floor, coalesced" is the floor writing answers as the sidecar does (under concurrency, together at the end ' +
      'of the event-loop turn): the sidecar against it shows its overhead apart from that write scheduling. ' +
      'The targets are against the plain floor.',
    '',
    `Load average (1 min) at start and end: ${loadStart.toFixed(1)} and ${loadavg()[0]!.toFixed(1)} on ` +
      `${availableParallelism()} CPUs; other work on the machine makes throughput noisy, the server CPU time per ` +
      'request much less so.',
    '',
    '| connections | floor req/s | sidecar req/s (vs floor; target ≥ 85 %) | batched req/s (vs floor) | ' +
      'floor, coalesced req/s (sidecar vs it) | p50 / p99 ms floor | sidecar (p99 vs floor; target ≤ 1.2x) | ' +
      'batched | server CPU µs/request floor / sidecar / batched / floor, coalesced | errors |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) =>
      [
        r.c,
        r.floor.rps.toFixed(0),
        `${r.sidecar.rps.toFixed(0)} (${pct(r.sidecar.ratio)})`,
        `${r.batched.rps.toFixed(0)} (${pct(r.batched.ratio)})`,
        `${r.coalesced.rps.toFixed(0)} (${pct(r.sidecarVsCoalesced)})`,
        `${ms(r.floor.p50)} / ${ms(r.floor.p99)}`,
        `${ms(r.sidecar.p50)} / ${ms(r.sidecar.p99)} (${r.sidecar.p99Ratio.toFixed(2)}x)`,
        `${ms(r.batched.p50)} / ${ms(r.batched.p99)} (${r.batched.p99Ratio.toFixed(2)}x)`,
        [r.floor, r.sidecar, r.batched, r.coalesced].map((x) => x.cpuUs.toFixed(0)).join(' / '),
        r.errors,
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    ),
    '',
    `Targets, ${verdicts(rows, 'sidecar')}; ${verdicts(rows, 'batched')}.`,
    `Model calls of the sidecar that ran on its inference workers rather than the event loop: ` +
      `${(onWorkers * 100).toFixed(2)} % (mlspec_inference_calls_total over all runs).`,
    '',
    ...cells,
    `Drift telemetry: ${(driftNs / 1000).toFixed(2)} µs per request (one row, 32 numeric features × 10 bins; ` +
      'median of 5 × 500k `observe` calls; target < 5 µs).',
    `Resident memory of the whole process after the runs (main thread and inference workers), sidecar with two ` +
      `models: ${mb(mem.sidecar)} (target < 300 MB); batched sidecar: ${mb(mem.batched)}; floor with one model: ` +
      `${mb(mem.floor)}. The sidecar starts one inference worker per CPU it may use (one when pinned to a CPU).`,
    'Latency: from the request written to the answer read, per answer at full resolution (nearest-rank ' +
      'percentiles of all 2xx answers of a cell, its slices merged; the table shows the median over runs).',
    '',
  ];
  return lines.join('\n');
}

/** The sidecar's model calls at `place` so far (its mlspec_inference_calls_total). */
async function modelCalls(server: Server, place: string): Promise<number> {
  const text = await (await fetch(`${server.base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`mlspec_inference_calls_total{place="${place}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

const HEADING = '## Runtime sidecar (`bench/runtime.ts`)';
const section = (report: string) =>
  `${HEADING}\n\nReproduce: \`npx tsc -p . ; node dist/bench/runtime.js --write\`.\n\n${report}`;

await main();
