// `mlspec lineage` shows the chain behind each deployment, and says what out/ says.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectedSystemAnnotations } from '../../compiler/review/lineage.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../render/helpers/examples.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('mlspec lineage', () => {
  for (const system of ['card-fraud', 'churn-small', 'product-ranker']) {
    it(`${system}: the full chain, in agreement with the annotations and files in out/`, async () => {
      const run = await runCli(['lineage', system, '--format', 'json'], { cwd: ROOT });
      expect(run.code).toBe(0);
      const lineage = JSON.parse(run.stdout);
      expect(lineage.environments.map((e: { environment: string }) => e.environment)).toEqual([
        'dev',
        'prod',
        'staging',
      ]);
      for (const e of lineage.environments) {
        expect(e.datasets.length).toBeGreaterThan(0);
        expect(e.training.steps.map((s: { step: string }) => s.step)).toEqual([
          'preprocess',
          'train',
          'validate',
          'register',
        ]);
        expect(e.model.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
        const folder = join(ROOT, 'out', e.environment, system);
        const kustomization = parse(readFileSync(join(folder, 'kustomization.yaml'), 'utf8'));
        expect(kustomization.metadata.annotations).toMatchObject(expectedSystemAnnotations(e));
        const files = readdirSync(folder).sort();
        expect(e.objects.map((o: { file: string }) => o.file.split('/').pop()).sort()).toEqual(files);
        for (const o of e.objects) expect(o.sha256, o.file).toBe(sha(readFileSync(join(ROOT, o.file), 'utf8')));
        // Every training object names the same dataset versions; every serving object the model.
        for (const f of files) {
          const ann = parse(readFileSync(join(folder, f), 'utf8'))?.metadata?.annotations ?? {};
          if (ann['mlspec.io/dataset-versions']) expect(ann['mlspec.io/dataset-versions']).toBe(e.datasetVersions);
          if (ann['mlspec.io/model-digest']) expect(ann['mlspec.io/model-digest']).toBe(e.model.digest);
        }
      }
    });
  }

  it('text and mermaid show the same chain; an unknown system is a usage error', async () => {
    const text = await runCli(['lineage', 'card-fraud', '--env', 'prod'], { cwd: ROOT });
    expect(text.stdout).toMatch(/^card-fraud \(team payments-risk\)\n\nprod \(cluster prod-eu; card-fraud\.yaml/);
    expect(text.stdout).toMatch(/\n {2}dataset {3}transactions@2026-11-01 sha256:/);
    expect(text.stdout).toMatch(/\n {2}object {4}out\/prod\/card-fraud\/deployment-card-fraud-standard\.yaml sha256:/);
    const mermaid = await runCli(['lineage', 'card-fraud', '--format', 'mermaid'], { cwd: ROOT });
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    expect(mermaid.stdout).toContain('prod_train --> prod_model');
    const unknown = await runCli(['lineage', 'card-frod'], { cwd: ROOT });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean `card-fraud`?');
  });
});
