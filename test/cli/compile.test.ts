// `mlspec compile`: writes out/, checks it (--check), scopes to environments, records an
// explicit commit, and refuses bad input or usage without touching out/.
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '../..');

/** A temporary copy of the example specs and their policies; `out/` is written next to them. */
function workspace(): { dir: string; cleanup: () => void } {
  const t = tempDir('mlspec-compile-');
  cpSync(join(ROOT, 'specs'), join(t.dir, 'specs'), { recursive: true });
  cpSync(join(ROOT, 'policies'), join(t.dir, 'policies'), { recursive: true });
  return t;
}

describe('mlspec compile', () => {
  it('writes out/, then --check finds it up to date; a change, a missing and an extra file make it stale', async () => {
    const { dir, cleanup } = workspace();
    try {
      const run = await runCli(['compile'], { cwd: dir });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^wrote \d+ files \(\d+ objects, 11 system-environment\(s\)\) to out\/\n/);
      expect(readdirSync(join(dir, 'out')).sort()).toEqual(['dev', 'prod', 'staging']);
      expect(existsSync(join(dir, 'out/prod/card-fraud/deployment-card-fraud-standard.yaml'))).toBe(true);

      const clean = await runCli(['compile', '--check'], { cwd: dir });
      expect(clean.code).toBe(0);
      expect(clean.stdout).toMatch(/^out\/ is up to date/);

      const changed = join(dir, 'out/dev/card-fraud/service-card-fraud-standard.yaml');
      writeFileSync(changed, `${readFileSync(changed, 'utf8')}# edited by hand\n`);
      rmSync(join(dir, 'out/prod/kustomization.yaml'));
      writeFileSync(join(dir, 'out/staging/stray.yaml'), 'kind: ConfigMap\n');
      const before = readFileSync(changed, 'utf8');
      const stale = await runCli(['compile', '--check'], { cwd: dir });
      expect(stale.code).toBe(1);
      expect(stale.stdout).toBe(
        [
          'out/ is out of date: 1 differing, 1 missing, 1 extra',
          '  differs  out/dev/card-fraud/service-card-fraud-standard.yaml',
          '  missing  out/prod/kustomization.yaml',
          '  extra    out/staging/stray.yaml',
          'Run `mlspec compile` and commit the result.',
          '12 compliance policies from policies: 0 deny, 0 warn, 0 info, 1 waived',
          '',
        ].join('\n'),
      );
      // --check writes nothing.
      expect(readFileSync(changed, 'utf8')).toBe(before);
      expect(existsSync(join(dir, 'out/prod/kustomization.yaml'))).toBe(false);

      const json = await runCli(['compile', '--check', '--format', 'json'], { cwd: dir });
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: false,
        differing: ['dev/card-fraud/service-card-fraud-standard.yaml'],
        missing: ['prod/kustomization.yaml'],
        extra: ['staging/stray.yaml'],
      });

      expect((await runCli(['compile'], { cwd: dir })).code).toBe(0);
      expect((await runCli(['compile', '--check'], { cwd: dir })).code).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('reports a folder it cannot create as output_failed with a hint (exit 2), not as an internal error', async () => {
    const { dir, cleanup } = workspace();
    try {
      // Nothing can be created in /proc (and, where /proc does not exist, not in / either).
      const run = await runCli(['compile', 'specs', '--out', '/proc/mlspec-test-out'], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /error\[output_failed\]: cannot write \/proc\/mlspec-test-out\/; it was left as it was: E[A-Z]+/,
      );
      expect(run.stderr).toMatch(/\n {2}hint: /);
      expect(run.stderr).not.toMatch(/internal error|bug in mlspec/);
      expect(existsSync('/proc/mlspec-test-out')).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('refuses an --out that is a file, under a file, or holds what mlspec did not write; changes nothing', async () => {
    const { dir, cleanup } = workspace();
    try {
      writeFileSync(join(dir, 'notes.txt'), 'keep me\n');
      const file = await runCli(['compile', 'specs', '--out', 'notes.txt'], { cwd: dir });
      expect(file.code).toBe(2);
      expect(file.stderr).toMatch(/error\[out_not_a_folder\]: `notes.txt` is a file, not a folder/);
      const under = await runCli(['compile', 'specs', '--out', 'notes.txt/out'], { cwd: dir });
      expect(under.code).toBe(2);
      expect(under.stderr).toMatch(/out_not_a_folder.*is a file/);
      expect((await runCli(['compile', 'specs', '--out', 'notes.txt', '--check'], { cwd: dir })).code).toBe(2);
      expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me\n');

      // `--out .` (or any folder with sources in it) would be swapped away as a whole.
      const here = await runCli(['compile', 'specs', '--out', '.'], { cwd: dir });
      expect(here.code).toBe(2);
      expect(here.stderr).toMatch(
        /error\[out_not_owned\]: `\.` holds `notes.txt`, `policies`, `specs`, which mlspec did not write/,
      );
      expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'policies', 'specs']);

      // Its own output, even with an environment's kustomization removed, it replaces.
      expect((await runCli(['compile', 'specs', '--out', 'gen'], { cwd: dir })).code).toBe(0);
      rmSync(join(dir, 'gen/dev/kustomization.yaml'));
      expect((await runCli(['compile', 'specs', '--out', 'gen'], { cwd: dir })).code).toBe(0);
      writeFileSync(join(dir, 'gen/README.md'), 'mine\n');
      const foreign = await runCli(['compile', 'specs', '--out', 'gen'], { cwd: dir });
      expect(foreign.code).toBe(2);
      expect(foreign.stderr).toMatch(/`gen` holds `README.md`/);
      expect(readFileSync(join(dir, 'gen/README.md'), 'utf8')).toBe('mine\n');
    } finally {
      cleanup();
    }
  });

  it('--env compiles and checks one environment and leaves the others alone', async () => {
    const { dir, cleanup } = workspace();
    try {
      expect((await runCli(['compile', 'specs', '--out', 'gen'], { cwd: dir })).code).toBe(0);
      const dev = join(dir, 'gen/dev/card-fraud/service-card-fraud-standard.yaml');
      writeFileSync(dev, 'edited\n');
      const prodFile = join(dir, 'gen/prod/card-fraud/service-card-fraud-standard.yaml');
      rmSync(prodFile);
      expect((await runCli(['compile', '--out', 'gen', '--env', 'prod', '--check'], { cwd: dir })).code).toBe(1);
      expect((await runCli(['compile', '--out', 'gen', '--env', 'prod'], { cwd: dir })).code).toBe(0);
      expect(existsSync(prodFile)).toBe(true);
      expect(readFileSync(dev, 'utf8')).toBe('edited\n');
      expect((await runCli(['compile', '--out', 'gen', '--env', 'prod', '--check'], { cwd: dir })).code).toBe(0);
      expect((await runCli(['compile', '--out', 'gen', '--check'], { cwd: dir })).code).toBe(1);
    } finally {
      cleanup();
    }
  });

  it('records a commit only when one is given, by flag or MLSPEC_GIT_COMMIT', async () => {
    const { dir, cleanup } = workspace();
    try {
      // On the system's kustomization: a commit must not change every object of every system.
      const file = join(dir, 'out/dev/card-fraud/kustomization.yaml');
      const object = join(dir, 'out/dev/card-fraud/deployment-card-fraud-standard.yaml');
      expect((await runCli(['compile'], { cwd: dir })).code).toBe(0);
      expect(readFileSync(file, 'utf8')).not.toContain('mlspec.io/git-commit');
      expect(
        (await runCli(['compile', '--git-commit', '0123456789abcdef0123456789abcdef01234567'], { cwd: dir })).code,
      ).toBe(0);
      expect(readFileSync(file, 'utf8')).toMatch(
        /mlspec\.io\/git-commit: "?0123456789abcdef0123456789abcdef01234567"?\n/,
      );
      expect((await runCli(['compile'], { cwd: dir, env: { MLSPEC_GIT_COMMIT: 'abcdef1' } })).code).toBe(0);
      expect(readFileSync(file, 'utf8')).toContain('mlspec.io/git-commit: abcdef1');
      expect(readFileSync(object, 'utf8')).not.toContain('mlspec.io/git-commit');
      const bad = await runCli(['compile', '--git-commit', 'HEAD'], { cwd: dir });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--git-commit "HEAD" is not a commit hash');
      const badEnv = await runCli(['compile'], { cwd: dir, env: { MLSPEC_GIT_COMMIT: 'main' } });
      expect(badEnv.code).toBe(2);
      expect(badEnv.stderr).toContain('MLSPEC_GIT_COMMIT "main" is not a commit hash');
    } finally {
      cleanup();
    }
  });

  it('an invalid MLSPEC_JSONNET_TIMEOUT_S: exit 2 and out/ untouched', async () => {
    const { dir, cleanup } = workspace();
    try {
      expect((await runCli(['compile'], { cwd: dir })).code).toBe(0);
      const file = join(dir, 'out/dev/kustomization.yaml');
      const before = readFileSync(file, 'utf8');
      rmSync(join(dir, 'out/dev/card-fraud'), { recursive: true });
      const r = await runCli(['compile'], { cwd: dir, env: { MLSPEC_JSONNET_TIMEOUT_S: '10s' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('MLSPEC_JSONNET_TIMEOUT_S must be a positive number of seconds, not "10s"');
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(existsSync(join(dir, 'out/dev/card-fraud'))).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('invalid specs (exit 1) or usage (exit 2): out/ untouched', async () => {
    const { dir, cleanup } = workspace();
    try {
      expect((await runCli(['compile'], { cwd: dir })).code).toBe(0);
      const before = readFileSync(join(dir, 'out/dev/kustomization.yaml'), 'utf8');
      const spec = join(dir, 'specs/card-fraud.yaml');
      writeFileSync(
        spec,
        readFileSync(spec, 'utf8').replace('replicas: { min: 3, max: 12 }', 'replcas: { min: 3, max: 12 }'),
      );
      const broken = await runCli(['compile'], { cwd: dir });
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/card-fraud\.yaml:\d+:\d+/);
      expect(broken.stderr).toContain('nothing written');
      expect(readFileSync(join(dir, 'out/dev/kustomization.yaml'), 'utf8')).toBe(before);
      const json = await runCli(['compile', '--format', 'json'], { cwd: dir });
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout).ok).toBe(false);

      const both = await runCli(['compile', '--env', 'dev', '--all-envs'], { cwd: dir });
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('--env and --all-envs exclude each other');
      const unknownEnv = await runCli(['compile', '--env', 'qa'], { cwd: dir });
      expect(unknownEnv.code).toBe(2);
      expect(readdirSync(dir).sort()).toEqual(['out', 'policies', 'specs']);
    } finally {
      cleanup();
    }
  });
});
