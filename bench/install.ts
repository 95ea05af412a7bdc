// Install time and size of the published package: the compile-only CLI (what `validate`,
// `compile` and `check` need) against the same install with onnxruntime-node (what `serve`
// needs, and what every install carried before it became an optional peer), offline from
// npm's cache, alternating, in the same run.
//
// Usage: npm run build && node dist/bench/install.js [--runs N] [--write]
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { tempDir } from '../test/helpers/cli.js';
import { installProject, pack, ROOT } from '../test/package/install.js';
import { median } from './percentile.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, write: { type: 'boolean' } } });
const RUNS = Number(values.runs);

function megabytes(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024;
}

interface Cell {
  readonly seconds: number[];
  readonly mb: number[];
}

const work = tempDir('mlspec-bench-install-');
const packed = pack(work.dir);
const load = [loadavg()[0]!];
const cells: Record<'cli' | 'serve', Cell> = { cli: { seconds: [], mb: [] }, serve: { seconds: [], mb: [] } };
for (let i = 0; i < RUNS; i++) {
  for (const kind of i % 2 ? (['serve', 'cli'] as const) : (['cli', 'serve'] as const)) {
    const dir = join(work.dir, `${kind}-${i}`);
    const started = process.hrtime.bigint();
    // onnxruntime-node's install script would download CUDA binaries: not from here.
    const r = installProject(dir, packed, kind === 'serve' ? ['onnxruntime-node'] : [], {
      ONNXRUNTIME_NODE_INSTALL: 'skip',
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0) throw new Error(`install failed: ${r.stderr}`);
    cells[kind].seconds.push(seconds);
    cells[kind].mb.push(megabytes(join(dir, 'node_modules')));
    rmSync(dir, { recursive: true, force: true });
  }
}
load.push(loadavg()[0]!);
work.cleanup();

const cli = { s: median(cells.cli.seconds), mb: median(cells.cli.mb) };
const serve = { s: median(cells.serve.seconds), mb: median(cells.serve.mb) };
const lines = [
  '## Install (bench/install.ts)',
  '',
  "The packed package installed into a new project with `npm ci --offline` from npm's cache " +
    `(the lockfile its first online install would write), ${RUNS} alternating runs per cell, medians; ` +
    'size is `du -sk node_modules`.',
  '',
  `- Machine: ${cpus().length} CPUs, ${cpus()[0]?.model.trim()}, Node ${process.version}; ` +
    `load average (1 min) ${load[0]!.toFixed(1)} at start, ${load[1]!.toFixed(1)} at end; ` +
    new Date().toISOString().slice(0, 10),
  `- Compile-only CLI (validate, compile, check, policy): ${cli.s.toFixed(1)} s, ${cli.mb.toFixed(0)} MB ` +
    '(target: under 60 s and 150 MB)',
  `- With onnxruntime-node (serve): ${serve.s.toFixed(1)} s, ${serve.mb.toFixed(0)} MB`,
  `- Ratio: the compile-only install takes ${(cli.s / serve.s).toFixed(2)}x the time and ` +
    `${(cli.mb / serve.mb).toFixed(2)}x the space of the install with the runtime; ` +
    'before, every install also built the native Jsonnet addon with cmake (4 min 05 s, 417 MB, measured online).',
  `- Runs (s): CLI ${cells.cli.seconds.map((x) => x.toFixed(1)).join(', ')}; ` +
    `with runtime ${cells.serve.seconds.map((x) => x.toFixed(1)).join(', ')}`,
  '',
  'Run: `npm run build && node dist/bench/install.js --write`',
  '',
];
process.stdout.write(`${lines.join('\n')}`);
if (values.write) {
  const file = join(ROOT, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const section = /## Install \(bench\/install\.ts\)\n[\s\S]*?(?=\n## |$)/;
  writeFileSync(
    file,
    section.test(text) ? text.replace(section, lines.join('\n')) : `${text.trimEnd()}\n\n${lines.join('\n')}`,
  );
}
