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

  function minimal(edit: (system: string) => string): { dir: string; cleanup: () => void } {
    const t = tempDir();
    writeFileSync(join(t.dir, 'platform.yaml'), readFileSync(join(FIXTURES, 'platform.yaml'), 'utf8'));
    const before = readFileSync(join(FIXTURES, 'system.yaml'), 'utf8');
    const after = edit(before);
    expect(after).not.toBe(before);
    writeFileSync(join(t.dir, 'system.yaml'), after);
    return t;
  }

  it('settings of another rollout strategy are flagged at their line as having no effect', async () => {
    const { dir, cleanup } = minimal((s) =>
      s.replace('rollout:\n  strategy: canary', 'rollout:\n  strategy: shadow\n  shadow: { percent: 10 }'),
    );
    try {
      const run = await runCli(['validate', '.', '--no-policies'], { cwd: dir });
      expect(run.code).toBe(0);
      const line = readFileSync(join(dir, 'system.yaml'), 'utf8').split('\n').indexOf('  canary:') + 1;
      expect(run.stderr).toContain(
        `system.yaml:${line}:3: warning[ignored_setting]: \`rollout.canary\` has no effect: the strategy is \`shadow\``,
      );
    } finally {
      cleanup();
    }
  });

  it('a drift baseline that leaves model inputs out names them', async () => {
    const { dir, cleanup } = minimal((s) =>
      s.replace('      spend: { numeric: { edges: [10, 50], counts: [10, 10, 10] } }\n', ''),
    );
    try {
      const run = await runCli(['validate', '.', '--no-policies'], { cwd: dir });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(
        /warning\[partial_baseline\]: the drift baseline covers 2 of 3 model inputs; no drift is measured for `spend`/,
      );
    } finally {
      cleanup();
    }
  });

  it('an unquoted all-digit digest is a number to YAML: the error says to quote it', async () => {
    const { dir, cleanup } = minimal((s) => s.replace(`sha256: ${'a'.repeat(64)}`, `sha256: ${'1'.repeat(64)}`));
    try {
      const run = await runCli(['validate', '.', '--no-policies'], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /error\[wrong_type\]: must be a string, not a number \(at \/model\/artifact\/sha256\)/,
      );
      expect(run.stderr).toMatch(/hint: write it in quotes \("\.\.\."\) so YAML reads it as text/);
    } finally {
      cleanup();
    }
  });
});
