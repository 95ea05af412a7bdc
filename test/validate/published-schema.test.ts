// The JSON Schema printed by `mlspec schema` is what editors and other tools use: it must be the
// committed file, and an independent validator built from it alone must accept the examples and
// reject broken specs.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { runCli } from '../helpers/cli.js';
import { loadPaths } from '../../compiler/load/load.js';

const ROOT = join(import.meta.dirname, '../..');

async function printed(name: string): Promise<string> {
  const run = await runCli(['schema', name], { cwd: ROOT });
  expect(run.code).toBe(0);
  return run.stdout;
}

async function independentValidator(name: string) {
  // A fresh ajv, non-strict like third-party tools, seeing only the JSON text.
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(JSON.parse(await printed(name)));
}

describe('published JSON Schemas', () => {
  for (const name of ['mlsystem', 'platform', 'runtime-config']) {
    it(`specs/schema/${name}.schema.json is up to date (run \`npm run schemas\` when it is not)`, async () => {
      expect(readFileSync(join(ROOT, 'specs/schema', `${name}.schema.json`), 'utf8')).toBe(await printed(name));
    });
  }

  it('accepts every example spec, YAML and Jsonnet alike', async () => {
    const validate = {
      MLSystem: await independentValidator('mlsystem'),
      Platform: await independentValidator('platform'),
    };
    const { documents, diagnostics } = await loadPaths(['specs'], ROOT);
    expect(diagnostics).toEqual([]);
    const kinds = documents.map((d) => (d.value as { kind: 'MLSystem' | 'Platform' }).kind);
    expect(kinds.filter((k) => k === 'MLSystem').length).toBeGreaterThanOrEqual(3);
    expect(kinds).toContain('Platform');
    for (const d of documents) {
      const v = validate[(d.value as { kind: 'MLSystem' | 'Platform' }).kind];
      expect(v(d.value), `${d.file}: ${JSON.stringify(v.errors)}`).toBe(true);
    }
  });

  it('rejects broken specs', async () => {
    const validate = await independentValidator('mlsystem');
    const { documents } = await loadPaths(['test/fixtures/minimal/system.yaml'], ROOT);
    const good = documents[0]!.value as Record<string, any>;
    expect(validate(good)).toBe(true);
    const breakages: ((s: Record<string, any>) => void)[] = [
      (s) => (s.serving.tiers.cpu.replcas = s.serving.tiers.cpu.replicas),
      (s) => delete s.metadata.costCenter,
      (s) => (s.compliance.dataClassification = 'secret'),
      (s) => (s.features.views.activity.ttl = 'one day'),
      (s) => (s.compliance.personalData = { processed: true }),
      (s) => (s.model.artifact.sha256 = 'abc'),
      (s) => (s.rollout.strategy = 'abTest'),
      (s) => (s.serving.tiers.CPU = s.serving.tiers.cpu),
      (s) => (s.model.baseline.features.clicks = {}),
      (s) => (s.kind = 'Platform'),
    ];
    for (const [i, breakIt] of breakages.entries()) {
      const broken = structuredClone(good);
      breakIt(broken);
      expect(validate(broken), `breakage ${i}`).toBe(false);
    }
  });
});
