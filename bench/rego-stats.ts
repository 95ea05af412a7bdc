// Shared by the Rego benchmarks: the machine they ran on, and rounds that record wall-clock
// throughput, per-call latency and CPU time (the last is steadier on a shared, loaded machine).
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface Sample {
  /** Calls per second, one entry per round. */
  readonly perSecond: number[];
  /** Milliseconds, one entry per call. */
  readonly latencies: number[];
  /** CPU microseconds per call, one entry per round. */
  readonly cpuMicros: number[];
}

export const sample = (): Sample => ({ perSecond: [], latencies: [], cpuMicros: [] });

/** One round of `n` calls of `f`. */
export function round(f: () => unknown, n: number, into: Sample): void {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    f();
    into.latencies.push(performance.now() - t);
  }
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  into.perSecond.push((n * 1000) / elapsed);
  into.cpuMicros.push((used.user + used.system) / n);
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `2 cores, AMD EPYC, Node v20.20.2; load average 1.0 0.9 0.8 (shared machine); 2026-12-05` */
export function machine(): string {
  const load = read('/proc/loadavg')?.split(' ').slice(0, 3).join(' ') ?? 'unknown';
  const cpu = /model name\s*:\s*(.*)/.exec(read('/proc/cpuinfo') ?? '')?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let nproc = String(cpus().length);
  try {
    nproc = execSync('nproc').toString().trim();
  } catch {}
  const date = new Date().toISOString().slice(0, 10);
  return `${nproc} cores, ${cpu}, Node ${process.version}; load average ${load} (shared machine); ${date}`;
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
