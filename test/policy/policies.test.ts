// The policies in policies/ run on the engine against the inputs the compiler builds: their
// own Rego tests pass and can fail, and a non-compliant change is found and located. The whole
// pack over the examples and a breach of each policy: pack*.test.ts.
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../compiler/pipeline/pipeline.js';
import { policyInput } from '../../compiler/policy/input.js';
import { loadPolicyPaths, RegoEngine, toJS } from '../../compiler/rego/engine.js';
import { locate } from '../../core/source/source-map.js';
import { runCli, tempDir } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '../..');

function denyQuery() {
  const files = loadPolicyPaths(['policies'], ROOT);
  expect(files.errors).toEqual([]);
  const engine = RegoEngine.load(files.modules, { data: files.data });
  if (!engine.ok) throw new Error(JSON.stringify(engine.errors));
  const q = engine.value.prepare('findings := {f | f := data.mlspec.data_residency.deny[_]}');
  if (!q.ok) throw new Error(JSON.stringify(q.errors));
  return q.value;
}

function findings(query: ReturnType<typeof denyQuery>, input: unknown): { pointer: string; msg: string }[] {
  const out = query.evaluate(input);
  if (!out.ok) throw new Error(out.error.message);
  return toJS(out.results[0]!.bindings.findings!) as { pointer: string; msg: string }[];
}

describe('policies/', () => {
  it('pass their own Rego tests', async () => {
    const run = await runCli(['policy', 'test', 'policies'], { cwd: ROOT });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed/m);
  });

  it('a broken policy fails its tests (the tests can fail)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      cpSync(join(ROOT, 'policies'), dir, { recursive: true });
      const file = join(dir, 'mlspec/secure_images.rego');
      writeFileSync(file, readFileSync(file, 'utf8').replace('not pinned(use.image)', 'pinned(use.image)'));
      const run = await runCli(['policy', 'test', '.'], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('test_digest_required_by_the_cluster_or_the_environment');
    } finally {
      cleanup();
    }
  });

  it('find a system deployed outside its data residency, at the line that does it', async () => {
    const { dir, cleanup } = tempDir();
    try {
      cpSync(join(ROOT, 'specs/platform.yaml'), join(dir, 'platform.yaml'));
      const churn = readFileSync(join(ROOT, 'specs/churn-small.yaml'), 'utf8').replace(
        '  prod:\n    cluster: prod-me',
        '  prod:\n    cluster: prod-eu',
      );
      writeFileSync(join(dir, 'churn.yaml'), churn);
      const analysis = await analyze(['.'], { cwd: dir, environments: ['prod'] });
      const prod = analysis.resolved.find((s) => s.environment === 'prod')!;
      // The cluster, and the feature registry that comes with it, are both in europe-west4.
      const found = findings(denyQuery(), policyInput(prod));
      expect(found.map((f) => f.pointer)).toEqual(['/environments/prod/cluster', '/environments/prod/cluster']);
      expect(found.map((f) => f.msg).join('\n')).toContain(
        'environment prod runs in europe-west4, outside the data residency',
      );
      const doc = analysis.systems[0]!.document;
      const at = locate(doc.locations, found[0]!.pointer)!;
      expect(churn.split('\n')[at.line - 1]).toContain('cluster: prod-eu');
    } finally {
      cleanup();
    }
  });
});
