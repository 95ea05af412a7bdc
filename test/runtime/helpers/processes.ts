// Real processes for tests of several runtime replicas: the replicas themselves (helpers/replica.ts)
// and a Prometheus server (the Debian package, which .ci/run installs) scraping them.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { until } from './harness.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** A port nothing listens on right now (the OS picks it; it is closed again before use). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface Replica {
  readonly port: number;
  readonly url: string;
  readonly logs: Record<string, unknown>[];
  readonly child: ChildProcess;
  metrics(): Promise<string>;
  /** SIGKILL: a crash, or a node gone; nothing is drained. */
  kill(): Promise<void>;
  /** SIGTERM, as the kubelet stops a pod: resolves with the exit code once the process ends. */
  stop(): Promise<number | null>;
}

/** Starts a replica on `port` and resolves once it is ready (or rejects with its output). */
export async function startReplica(configPath: string, port: number): Promise<Replica> {
  const child = spawn(
    process.execPath,
    ['--import', './test/loader/register.mjs', 'test/runtime/helpers/replica.ts', configPath, String(port)],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line));
    } catch {
      stderr += `${line}\n`;
    }
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  await until(() => gone || logs.some((l) => l.msg === 'ready'), `replica on port ${port} to be ready`, 30_000);
  if (gone) throw new Error(`replica on port ${port} exited before it was ready:\n${stderr}`);
  return {
    port,
    url,
    logs,
    child,
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface Prometheus {
  readonly url: string;
  /** The value of an instant query with a single result, or undefined. */
  query(promql: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** The prometheus binary: on PATH, or where the Debian package puts it. */
export function prometheusBinary(): string {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin'])
    if (dir && existsSync(join(dir, 'prometheus'))) return join(dir, 'prometheus');
  throw new Error(
    'prometheus is not installed: the multi-replica rollout tests run a real Prometheus ' +
      '(`apt-get install prometheus`, as .ci/run does, or put the binary on PATH)',
  );
}

/** Starts Prometheus scraping `targets` (host:port) every second as job `job`. */
export async function startPrometheus(job: string, targets: readonly string[]): Promise<Prometheus> {
  const binary = prometheusBinary();
  const dir = mkdtempSync(join(tmpdir(), 'mlspec-prometheus-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      `  - job_name: ${job}`,
      '    static_configs:',
      `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited:\n${output}`);
        return (await fetch(`${url}/-/ready`).catch(() => undefined))?.status === 200;
      },
      'prometheus to be ready',
      30_000,
    );
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    url,
    async query(promql) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
      const v = body.data?.result?.[0]?.value[1];
      return v === undefined ? undefined : Number(v);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
