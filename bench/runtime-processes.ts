// Processes of the runtime benchmark: servers pinned to CPU 0, load generators (and the feature
// server) on CPU 1, so the two sides never compete for a CPU and where the scheduler places them
// is the same for every server. A server's CPU time and memory are read from /proc.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

let pinned = false;

/** Pins from now on when the machine has two CPUs and taskset (unless `unpinned`); returns whether it does. */
export function pinProcesses(unpinned: boolean): boolean {
  pinned = !unpinned && availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return pinned;
}

/** The command line that runs a bench script with node, on `cpu` when pinned. */
export function onCpu(cpu: number, script: string, args: string[]): [string, string[]] {
  const node = [join(here, script), ...args];
  return pinned ? ['taskset', ['-c', String(cpu), process.execPath, ...node]] : [process.execPath, node];
}

export interface Server {
  readonly name: string;
  readonly child: ChildProcess;
  /** Base URL, `http://127.0.0.1:PORT`. */
  readonly base: string;
}

/** Starts a script that prints `{"port": N}` once listening (servers on CPU 0 unless `cpu`). */
export async function start(name: string, script: string, args: string[], cpu = 0): Promise<Server> {
  // taskset execs node, so the child's pid is the server's (read for its CPU time and memory).
  const child = spawn(...onCpu(cpu, script, args), { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return { name, child, base: `http://127.0.0.1:${port}` };
}

export async function stopAll(servers: readonly Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
          s.child.once('exit', () => resolve());
          s.child.kill('SIGTERM');
        }),
    ),
  );
}

/** utime + stime of a process in microseconds (/proc/PID/stat, clock ticks of 10 ms). */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Resident memory of the whole process (every thread), now and at its peak. */
export function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? NaN);
  return { rssMb: kb('VmRSS:') / 1024, peakMb: kb('VmHWM:') / 1024 };
}

export interface LoadRun {
  readonly total: number;
  readonly seconds: number;
  readonly errors: number;
  readonly latencies: number[];
}

/** The load generator's command line for `connections` POSTing `body` to `url` for `seconds`. */
export function loadCommand(url: string, connections: number, seconds: number, body: string): [string, string[]] {
  return onCpu(1, 'load-generator.js', [url, String(connections), String(seconds), body, '--latencies']);
}

/** Runs the load generator to the end (blocking: nothing else runs meanwhile). */
export function loadSync(url: string, connections: number, seconds: number, body: string): LoadRun {
  const out = spawnSync(...loadCommand(url, connections, seconds, body), { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (out.status !== 0) throw new Error(`load generator failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as LoadRun;
}

/** Runs a bench script to the end without blocking, resolving with its JSON output. */
export function runJson<T>(command: [string, string[]]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(...command, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`${command[1].join(' ')} exited with ${code}`)),
    );
  });
}
