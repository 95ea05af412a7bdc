// Review benchmark: what the policy stage and `check --base` cost. On the 200 generated systems
// (600 system-environments) with the repository's policy pack, in one run: `compile
// --no-policies` (the baseline), `compile` (policies on), `check --all-envs`, and `check
// --all-envs --base main` after a pull request that changes one system. Medians of fresh CLI
// processes; writes the "Review" section of BENCHMARKS.md.
//   npx tsc -p . && node dist/bench/review.js [--runs N] [--no-write]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSection } from './benchmarks-file.js';
import { generateSystems, SYSTEMS } from './generate-systems.js';
import { median } from './percentile.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'compiler', 'cli', 'main.js');
const SECTION = '## Review (bench/review.ts)';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Wall seconds of one CLI run in a fresh process; exit 0 or 1 (findings) are both fine here. */
function seconds(args: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`mlspec ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return s;
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd: dir,
    stdio: 'pipe',
    env: {
      PATH: process.env.PATH,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@b',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@b',
      HOME: dir,
    },
  });
}

async function main(): Promise<void> {
  const runs = arg('--runs', 5);
  const loadAtStart = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'mlspec-review-bench-'));
  try {
    await generateSystems(dir);
    cpSync(join(ROOT, 'policies'), join(dir, 'policies'), { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    // The pull request: one system's tier scaled.
    const one = readdirSync(join(dir, 'specs')).find((f) => f.startsWith('card-fraud'))!;
    const file = join(dir, 'specs', one);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/max: (\d+)/, (_, n) => `max: ${Number(n) + 1}`),
    );
    const out = join(dir, 'out');
    const cells = {
      baseline: [] as number[],
      compile: [] as number[],
      check: [] as number[],
      base: [] as number[],
    };
    // Interleaved, so that a change in the machine's load touches every cell alike.
    for (let i = 0; i < runs; i++) {
      cells.baseline.push(seconds(['compile', 'specs', '--out', out, '--no-policies'], dir));
      cells.compile.push(seconds(['compile', 'specs', '--out', out], dir));
      cells.check.push(seconds(['check', 'specs', '--all-envs', '--format', 'json', '--output', 'r.json'], dir));
      cells.base.push(
        seconds(['check', 'specs', '--all-envs', '--base', 'main', '--format', 'json', '--output', 'r.json'], dir),
      );
    }
    const m = Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, median(v)])) as Record<
      keyof typeof cells,
      number
    >;
    const policies = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).policies.length as number;
    const row = (what: string, s: number, ratio: string) => `| ${what} | ${s.toFixed(2)} s | ${ratio} |`;
    const section = [
      SECTION,
      '',
      `Machine: ${cpus()[0]?.model.trim() ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}; ` +
        `${new Date().toISOString().slice(0, 10)}; load average at the start ${loadAtStart.toFixed(1)}.`,
      `Input: ${SYSTEMS} generated systems × 3 environments (600), ${policies} policies (policies/). ` +
        `Medians of ${runs} runs of the CLI in fresh processes, the cells interleaved.`,
      '',
      '| What | Median wall time | Ratio |',
      '| --- | --- | --- |',
      row('`compile --no-policies` (baseline)', m.baseline, '1.00×'),
      row('`compile` (policies evaluated)', m.compile, `${(m.compile / m.baseline).toFixed(2)}× baseline`),
      row('`check --all-envs`', m.check, `${(m.check / m.baseline).toFixed(2)}× baseline (target ≤ 1.5×)`),
      row(
        '`check --all-envs --base main`, one system changed',
        m.base,
        `${(m.base / m.check).toFixed(2)}× check (target ≤ 1.2×)`,
      ),
      '',
      `Runs (s): baseline ${cells.baseline.map((s) => s.toFixed(2)).join(', ')}; ` +
        `compile ${cells.compile.map((s) => s.toFixed(2)).join(', ')}; ` +
        `check ${cells.check.map((s) => s.toFixed(2)).join(', ')}; ` +
        `--base ${cells.base.map((s) => s.toFixed(2)).join(', ')}.`,
      '',
    ].join('\n');
    process.stdout.write(section);
    if (!process.argv.includes('--no-write')) writeSection(join(ROOT, 'BENCHMARKS.md'), SECTION, section);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
