// Lineage per object: a change to the spec changes exactly the files made from what changed, so
// the pull-request diff of out/ shows the real change to the cluster.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ROOT } from '../render/helpers/examples.js';
import { compileInMemory } from '../helpers/compile.js';
import { analyze } from '../../compiler/pipeline/pipeline.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function treeAfter(edit: (spec: string) => string): Promise<Map<string, string>> {
  const t = tempDir('mlspec-lineage-');
  cleanup = t.cleanup;
  cpSync(join(ROOT, 'specs'), join(t.dir, 'specs'), { recursive: true });
  const file = join(t.dir, 'specs/card-fraud.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  const analysis = await analyze(['specs'], { cwd: t.dir });
  return new Map((await compileInMemory(analysis.resolved)).tree);
}

function changed(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

describe('a one-field change touches only the objects made from it', () => {
  it("a tier's replicas.max changes its autoscaler and the system kustomization, nothing else", async () => {
    const before = await treeAfter((s) => s);
    const after = await treeAfter((s) => s.replace('replicas: { min: 3, max: 12 }', 'replicas: { min: 3, max: 14 }'));
    expect(changed(before, after)).toEqual([
      'prod/card-fraud/horizontalpodautoscaler-card-fraud-standard.yaml',
      'prod/card-fraud/kustomization.yaml',
    ]);
  });

  it('a drift threshold changes the runtime configs and the kustomizations, not every object', async () => {
    const before = await treeAfter((s) => s);
    const after = await treeAfter((s) => s.replace('    threshold: 0.2\n', '    threshold: 0.25\n'));
    const files = changed(before, after);
    expect(
      files.every((f) => /configmap-card-fraud-[a-z]+-runtime\.yaml$|card-fraud\/kustomization\.yaml$/.test(f)),
    ).toBe(true);
    expect(files.length).toBeLessThan(10);
  });

  it('a dataset version changes training objects only (and the kustomizations)', async () => {
    const before = await treeAfter((s) => s);
    const after = await treeAfter((s) => s.replaceAll('version: "2026-11-01"', 'version: "2026-11-02"'));
    const files = changed(before, after);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      if (f.endsWith('kustomization.yaml')) continue;
      expect(after.get(f) ?? before.get(f), f).toMatch(/mlspec\.io\/component: training/);
    }
  });
});

it('the kustomization carries the system lineage and still builds', async () => {
  const run = await runCli(['compile', '--check'], { cwd: ROOT });
  expect(run.code).toBe(0);
  const k = readFileSync(join(ROOT, 'out/prod/card-fraud/kustomization.yaml'), 'utf8');
  expect(k).toMatch(/\n {4}mlspec\.io\/spec-digest: sha256:[0-9a-f]{64}\n/);
});
