// Byte-identical output: across runs, input file order and system order, and across processes
// with other time zones and locales.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../compiler/pipeline/pipeline.js';
import { compileInMemory } from '../helpers/compile.js';
import type { FileTree } from '../../compiler/emit/layout.js';
import { ROOT } from '../render/helpers/examples.js';
import { tempDir } from '../helpers/cli.js';

const SPEC_FILES = [
  'specs/card-fraud.yaml',
  'specs/churn-small.yaml',
  'specs/platform.yaml',
  'specs/product-ranker.jsonnet',
  'specs/query-intent.yaml',
];

async function treeOf(paths: string[]): Promise<FileTree> {
  const analysis = await analyze(paths, { cwd: ROOT });
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return (await compileInMemory(analysis.resolved)).tree;
}

function readTree(dir: string, base = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of readTree(dir, rel)) out.set(k, v);
    else out.set(rel, readFileSync(join(dir, rel), 'utf8'));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('determinism', () => {
  it('the same output for any order of the input files and of the systems', async () => {
    const reference = await treeOf(['specs']);
    expect(reference.size).toBeGreaterThan(50);
    expect(await treeOf([...SPEC_FILES].reverse())).toEqual(reference);
    expect(await treeOf([SPEC_FILES[3]!, SPEC_FILES[0]!, SPEC_FILES[4]!, SPEC_FILES[2]!, SPEC_FILES[1]!])).toEqual(
      reference,
    );
    const analysis = await analyze(['specs'], { cwd: ROOT });
    const shuffled = [...analysis.resolved]
      .sort((a, b) => (a.source.specDigest < b.source.specDigest ? -1 : 1))
      .reverse();
    expect((await compileInMemory(shuffled)).tree).toEqual(reference);
    expect((await compileInMemory(analysis.resolved)).tree).toEqual(reference);
  });

  it('byte-identical across processes with other time zones, locales and worker counts', async () => {
    const reference = await treeOf(['specs']);
    const { dir, cleanup } = tempDir();
    try {
      const settings = [
        { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
        { TZ: 'America/St_Johns', LANG: 'C', LC_ALL: 'C' },
      ];
      settings.forEach((env, i) => {
        const out = join(dir, `out${i}`);
        const files = i === 0 ? ['specs'] : [...SPEC_FILES].reverse();
        // The second run renders on two worker threads.
        const jobs = i === 0 ? ['--jobs', '1'] : ['--jobs', '2'];
        const r = spawnSync(
          process.execPath,
          [join(ROOT, 'dist/compiler/cli/main.js'), 'compile', ...files, '--out', out, ...jobs],
          { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } },
        );
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(readTree(out)).toEqual(new Map(reference));
      });
    } finally {
      cleanup();
    }
  });

  it('--check on worker threads reports exactly what it reports on one thread', async () => {
    const files = (await treeOf(['specs'])).size;
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out');
      const cli = (...args: string[]) =>
        spawnSync(
          process.execPath,
          [join(ROOT, 'dist/compiler/cli/main.js'), 'compile', 'specs', '--out', out, ...args],
          { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH } },
        );
      expect(cli('--jobs', '2').status).toBe(0);
      expect(cli('--check', '--jobs', '2').status).toBe(0);
      // One change in a system folder, one at the environment level, one missing, one extra.
      const edited = join(out, 'prod/product-ranker/service-product-ranker-gpu.yaml');
      writeFileSync(edited, readFileSync(edited, 'utf8').replace('port:', 'port: 1\n  x:'));
      writeFileSync(join(out, 'dev/kustomization.yaml'), '# edited\n');
      rmSync(join(out, 'staging/card-fraud/kustomization.yaml'));
      writeFileSync(join(out, 'dev/card-fraud/stray.yaml'), 'x: 1\n');
      const runs = ['1', '2'].map((jobs) => cli('--check', '--format', 'json', '--jobs', jobs));
      for (const r of runs) expect(r.status).toBe(1);
      const [one, two] = runs.map((r) => JSON.parse(r.stdout) as Record<string, unknown>);
      expect(two).toEqual(one);
      expect(one).toMatchObject({
        differing: ['dev/kustomization.yaml', 'prod/product-ranker/service-product-ranker-gpu.yaml'],
        missing: ['staging/card-fraud/kustomization.yaml'],
        extra: ['dev/card-fraud/stray.yaml'],
        files,
      });
    } finally {
      cleanup();
    }
  });
});
