// Jsonnet benchmark: evaluating the example spec (specs/product-ranker.jsonnet with its library)
// and a heavier generated program (300 objects with late-bound fields, formatting, sorting) with mlspec's
// evaluator, against the C++ evaluator of the @hanazuki/node-jsonnet devDependency (the native
// addon mlspec used before) in the same run. Alternating rounds; medians. Writes the "Jsonnet
// evaluator" section of BENCHMARKS.md.
//   npx tsc -p . && node dist/bench/jsonnet.js [--rounds N] [--no-write]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { confinedImporter } from '../compiler/load/jsonnet-imports.js';
import { type EvaluateOptions, evaluateToJsonText } from '../compiler/load/jsonnet/engine.js';
import { writeSection } from './benchmarks-file.js';
import { median } from './percentile.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SECTION = '## Jsonnet evaluator (bench/jsonnet.ts)';
/** Many objects: inheritance, `self`, comprehensions, std.format, std.sort, manifestation. */
const HEAVY = `local svc(i) = {
  name: 'svc-%04d' % i,
  replicas: i % 5 + 1,
  local outer = self,
  labels: { app: outer.name, tier: if i % 2 == 0 then 'web' else 'worker' },
  ports: [{ port: 8000 + j, name: 'p%d' % j } for j in std.range(0, 3)],
};
local all = [svc(i) { replicas+: 1 } for i in std.range(1, 300)];
{
  services: std.sort(all, function(s) -s.replicas),
  names: std.join(',', [s.name for s in all]),
  sample: std.manifestJsonEx(all[0:10], '  '),
}
`;

interface NativeVm {
  addJpath(path: string): NativeVm;
  evaluateFile(file: string): Promise<string>;
}

interface Case {
  readonly name: string;
  readonly file: string;
  readonly repeat: number;
}

const CASES: Case[] = [
  { name: 'specs/product-ranker.jsonnet', file: join(ROOT, 'specs/product-ranker.jsonnet'), repeat: 50 },
  { name: '300 generated objects (bench/jsonnet.ts)', file: join(tmpdir(), 'mlspec-bench-heavy.jsonnet'), repeat: 2 },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

// Each file is evaluated from its own folder, by its name, as the CLI names it.
function ours(c: Case): () => void {
  const options: EvaluateOptions = {
    file: basename(c.file),
    key: c.file,
    text: readFileSync(c.file, 'utf8'),
    importer: confinedImporter({ roots: [dirname(c.file)] }),
  };
  return () => void evaluateToJsonText(options);
}

async function native(c: Case): Promise<(() => Promise<void>) | undefined> {
  try {
    const specifier = '@hanazuki/node-jsonnet';
    const mod = (await import(specifier)) as { Jsonnet: new () => NativeVm };
    return async () => {
      const vm = new mod.Jsonnet().addJpath(dirname(c.file));
      await vm.evaluateFile(basename(c.file));
    };
  } catch {
    return undefined;
  }
}

async function time(fn: () => unknown, repeat: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < repeat; i++) await fn();
  return (performance.now() - start) / repeat;
}

async function main(): Promise<void> {
  const rounds = arg('--rounds', 9);
  const load = loadavg().map((x) => x.toFixed(2));
  const lines: string[] = [];
  writeFileSync(CASES[1]!.file, HEAVY);
  for (const c of CASES) {
    if (!existsSync(c.file)) throw new Error(`missing ${c.file} (npm ci installs the devDependencies)`);
    process.chdir(dirname(c.file));
    const mine = ours(c);
    const theirs = await native(c);
    mine();
    await theirs?.();
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < rounds; r++) {
      a.push(await time(mine, c.repeat));
      if (theirs) b.push(await time(theirs, c.repeat));
    }
    const ma = median(a);
    const mb = theirs ? median(b) : Number.NaN;
    const ratio = theirs ? `; ratio ${(ma / mb).toFixed(2)}x the native evaluator's time` : '';
    lines.push(
      `- ${c.name}: mlspec ${ma.toFixed(2)} ms, ` +
        `C++ (node-jsonnet addon) ${theirs ? `${mb.toFixed(2)} ms` : 'n/a'}${ratio}`,
    );
    console.log(lines[lines.length - 1]);
  }
  const section = [
    SECTION,
    '',
    `Time to evaluate a file to JSON text, in-process, median of ${rounds} alternating rounds (each the mean of ` +
      "several evaluations): mlspec's evaluator (TypeScript) against the C++ evaluator it replaced, run through the " +
      '@hanazuki/node-jsonnet addon kept as a devDependency.',
    '',
    `- Machine: ${cpus().length} cores, ${cpus()[0]?.model.trim() ?? 'unknown'}, ` +
      `Node ${process.version}; load average ` +
      `${load.join(' ')} (shared machine); ${new Date().toISOString().slice(0, 10)}`,
    ...lines,
    '',
    'Run: `npm run build && node dist/bench/jsonnet.js`',
  ].join('\n');
  if (!process.argv.includes('--no-write')) writeSection(join(ROOT, 'BENCHMARKS.md'), SECTION, section);
}

await main();
