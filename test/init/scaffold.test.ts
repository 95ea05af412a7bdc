// `mlspec init --cloud`: a new repository that works as written, for every cloud: validate,
// compile, check and the policies' own tests all pass, and kubectl builds the output.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLOUDS } from '../../compiler/init/clouds.js';
import { REVIEW_WORKFLOW } from '../../compiler/init/workflows.js';
import { runCli, tempDir } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '../..');
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

describe('mlspec init --cloud', () => {
  it.each(CLOUDS)(
    'starts a %s repository that validates, compiles, passes check and its policy tests',
    async (cloud) => {
      const { dir, cleanup } = tempDir(`mlspec-init-${cloud}-`);
      try {
        const init = await runCli(['init', '--cloud', cloud, '--team', 'risk-ml'], { cwd: dir });
        expect(init.stderr).toBe('');
        expect(init.code).toBe(0);
        for (const f of [
          'specs/platform.yaml',
          'specs/demo-classifier.yaml',
          'specs/schema/mlsystem.schema.json',
          'specs/schema/platform.schema.json',
          'policies/mlspec/params.yaml',
          'policies/mlspec/secure_images.rego',
          '.github/workflows/mlspec-review.yml',
          '.github/workflows/mlspec-out.yml',
          '.gitignore',
        ])
          expect(existsSync(join(dir, f)), f).toBe(true);
        // The modelines point at schemas that are there.
        const spec = readFileSync(join(dir, 'specs/demo-classifier.yaml'), 'utf8');
        const modeline = /\$schema=(\S+)/.exec(spec)![1]!;
        expect(existsSync(join(dir, 'specs', modeline))).toBe(true);

        for (const argv of [
          ['validate'],
          ['check', '--all-envs'],
          ['compile'],
          ['compile', '--check'],
          ['policy', 'test'],
        ]) {
          const run = await runCli(argv, { cwd: dir });
          expect({ argv, code: run.code, stderr: run.stderr }).toEqual({ argv, code: 0, stderr: '' });
        }
        const check = await runCli(['check', '--all-envs'], { cwd: dir });
        expect(check.stdout).toMatch(/1 system\(s\), 3 system-environment\(s\), 12 policies: 0 deny, 0 warn/);
        if (kubectl)
          for (const env of ['dev', 'staging', 'prod']) {
            const k = spawnSync('kubectl', ['kustomize', join(dir, 'out', env)], { encoding: 'utf8' });
            expect({ env, status: k.status, stderr: k.stderr }).toEqual({ env, status: 0, stderr: '' });
          }

        // `init <name>` adds a system on the same clusters, registry and buckets, which passes too.
        const add = await runCli(['init', 'fraud-scorer'], { cwd: dir });
        expect(add.code).toBe(0);
        const added = parse(readFileSync(join(dir, 'specs/fraud-scorer.yaml'), 'utf8'));
        expect(added.metadata.team).toBe('risk-ml');
        expect(Object.values(added.environments).map((e) => (e as { cluster: string }).cluster)).toEqual([
          `${cloud}-dev`,
          `${cloud}-staging`,
          `${cloud}-prod`,
        ]);
        const again = await runCli(['check', '--all-envs'], { cwd: dir });
        expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
        expect(again.stdout).toMatch(/2 system\(s\), 6 system-environment\(s\)/);
      } finally {
        cleanup();
      }
    },
  );

  it('writes nothing when any file it would write is there', async () => {
    const { dir, cleanup } = tempDir('mlspec-init-');
    try {
      writeFileSync(join(dir, '.gitignore'), 'mine\n');
      const run = await runCli(['init', '--cloud', 'gke'], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('.gitignore already exist; nothing written');
      expect(existsSync(join(dir, 'specs'))).toBe(false);
      expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('mine\n');
    } finally {
      cleanup();
    }
  });

  it('refuses an unknown cloud as a usage error', async () => {
    const { dir, cleanup } = tempDir('mlspec-init-');
    try {
      const run = await runCli(['init', '--cloud', 'ibm'], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--cloud must be one of gke, eks, aks, generic, not "ibm"');
    } finally {
      cleanup();
    }
  });

  it('gives new repositories the review workflow this repository runs', () => {
    expect(readFileSync(join(ROOT, '.github/workflows/mlspec-review.yml'), 'utf8')).toBe(REVIEW_WORKFLOW);
  });
});
