// Output names spec files relative to the platform config's folder, so compiling from the
// repository root, from inside specs/ or from anywhere else gives the same bytes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../compiler/pipeline/pipeline.js';
import { recordedPath } from '../../compiler/resolve/resolve.js';
import { compileInMemory } from '../helpers/compile.js';

const ROOT = join(import.meta.dirname, '../..');

async function outputFrom(cwd: string, paths: string[]): Promise<Map<string, string>> {
  const analysis = await analyze(paths, { cwd });
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return new Map((await compileInMemory(analysis.resolved)).tree);
}

describe('recorded spec paths', () => {
  it('are relative to the platform config, whatever the working directory', () => {
    expect(recordedPath('specs/card-fraud.yaml', 'specs/platform.yaml', '/repo')).toBe('card-fraud.yaml');
    expect(recordedPath('card-fraud.yaml', 'platform.yaml', '/repo/specs')).toBe('card-fraud.yaml');
    expect(recordedPath('../specs/team/a.yaml', '../specs/platform.yaml', '/repo/out')).toBe('team/a.yaml');
  });

  it('compiling from the repository root and from inside specs/ gives the same output', async () => {
    const fromRoot = await outputFrom(ROOT, ['specs']);
    const fromSpecs = await outputFrom(join(ROOT, 'specs'), ['.']);
    expect(fromRoot.size).toBeGreaterThan(100);
    expect([...fromSpecs.keys()]).toEqual([...fromRoot.keys()]);
    const differing = [...fromRoot.keys()].filter((k) => fromRoot.get(k) !== fromSpecs.get(k));
    expect(differing).toEqual([]);
    const annotated = [...fromRoot.values()].find((v) => v.includes('mlspec.io/spec-file'))!;
    expect(annotated).toMatch(/mlspec\.io\/spec-file: (card-fraud\.yaml|churn-small\.yaml|product-ranker\.jsonnet)/);
  });
});
