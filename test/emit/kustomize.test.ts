// `kubectl kustomize` renders every system folder and every environment folder of the output,
// object for object.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { compileInMemory } from '../helpers/compile.js';
import { writeTree } from '../../compiler/emit/write.js';
import { exampleSystems } from '../render/helpers/examples.js';
import { tempDir } from '../helpers/cli.js';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

function kustomize(dir: string): { kind: string; name: string; namespace?: string }[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(r.stderr, dir).toBe('');
  expect(r.status, dir).toBe(0);
  return parseAllDocuments(r.stdout).map((d) => {
    const o = d.toJS();
    return { kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace };
  });
}

describe.skipIf(!kubectl)('kubectl kustomize', () => {
  it('renders every system folder and every environment folder', async () => {
    const systems = await exampleSystems();
    const { tree } = await compileInMemory(systems);
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out');
      await writeTree(out, tree);
      // Each team namespace has its own accelerator quota, of the same name.
      const key = (o: { kind: string; name: string; namespace?: string }) => `${o.kind}/${o.namespace}/${o.name}`;
      for (const env of new Set(systems.map((s) => s.environment))) {
        const here = systems.filter((s) => s.environment === env);
        let total = 0;
        for (const s of here) {
          const objects = kustomize(join(out, env, s.name));
          const files = [...tree.keys()].filter(
            (p) => p.startsWith(`${env}/${s.name}/`) && !p.endsWith('kustomization.yaml'),
          );
          expect(objects.length).toBe(files.length);
          total += objects.length;
        }
        const all = kustomize(join(out, env));
        // Besides the systems: the namespaces, their accelerator quotas and the Kueue queues.
        const environmentObjects = [...tree.keys()].filter(
          (p) => p.startsWith(`${env}/`) && p.split('/').length === 2 && !p.endsWith('kustomization.yaml'),
        ).length;
        expect(environmentObjects).toBeGreaterThan(new Set(here.map((s) => s.namespace)).size);
        expect(all.length).toBe(total + environmentObjects);
        expect(new Set(all.map(key)).size).toBe(all.length);
      }
    } finally {
      cleanup();
    }
  });
});
