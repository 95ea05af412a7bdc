import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/minimal');

describe('warnings', () => {
  it('distributed training on a cluster without Argo Workflows warns but does not fail', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'platform.yaml'), readFileSync(join(FIXTURES, 'platform.yaml'), 'utf8'));
      const system = readFileSync(join(FIXTURES, 'system.yaml'), 'utf8')
        .replace(
          'resources: { cpu: 2, memory: 4Gi, accelerator: { type: t4, count: 1 } }',
          'resources: { cpu: 2, memory: 4Gi }\n      distributed: { workers: 3 }',
        )
        .replace('    cluster: gpu', '    cluster: cpu-only\n    overrides: { serving: { tiers: { gpu: null } } }');
      writeFileSync(join(dir, 'system.yaml'), system);
      const run = await runCli(['validate', '.'], { cwd: dir });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(
        /system\.yaml:\d+:\d+: warning\[degraded_training\]: cluster `cpu-only` has no Argo Workflows/,
      );
      expect(run.stdout).toContain('valid');
    } finally {
      cleanup();
    }
  });
});
