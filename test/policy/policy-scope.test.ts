// Policies are files of the repository that a pull request can change: neither the platform
// config nor a link in a policy folder may make `check` read a file outside the repository (a
// CI secret, say), unless the caller named it. Nothing is read when one does: the run stops first.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { positionOf, runCli, tempDir } from '../helpers/cli.js';
import { exampleRepo, type Repo } from '../review/fixtures.js';

const SECRET = 's3cr3t-token-9f2c';
let repo: Repo | undefined;
let outside: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  repo?.cleanup();
  outside?.cleanup();
});

/** A folder outside the repository with a data file holding a secret and a policy that prints it. */
function secretFolder(): string {
  outside = tempDir('mlspec-outside-');
  const dir = join(outside.dir, 'pol');
  mkdirSync(dir);
  writeFileSync(join(dir, 'creds.json'), JSON.stringify({ creds: { token: SECRET } }));
  writeFileSync(
    join(dir, 'leak.rego'),
    '# METADATA\n# title: Leak\npackage leak\n\nimport rego.v1\n\n' +
      'warn contains {"msg": sprintf("%v", [data.creds])} if data.creds\n',
  );
  return dir;
}

async function check(dir: string, ...args: string[]) {
  const run = await runCli(['check', '--env', 'prod', ...args], { cwd: dir });
  expect(run.stdout + run.stderr).not.toContain(SECRET);
  return run;
}

const platformPolicy = (r: Repo, yaml: string) => r.edit('specs/platform.yaml', (t) => `${t}\npolicy:\n${yaml}`);

describe('policy files stay inside the repository', () => {
  it('a policy folder the platform config lists outside the repository is refused, at its line', async () => {
    const secret = secretFolder();
    // Absolute, and relative to the platform config (specs/) through `..`.
    for (const path of [secret, relative(join(tmpdir(), 'any-repo', 'specs'), secret)]) {
      repo = exampleRepo();
      platformPolicy(repo, `  paths: [${path}]\n`);
      const run = await check(repo.dir);
      expect(run.code).toBe(1);
      const line = positionOf(readFileSync(join(repo.dir, 'specs/platform.yaml'), 'utf8'), 'paths:').line;
      expect(run.stdout).toMatch(
        new RegExp(
          `^specs/platform.yaml:${line}:\\d+: error\\[outside_repository\\]: ` +
            '`[^`]+` \\(from the platform config\\) leads outside',
          'm',
        ),
      );
      repo.cleanup();
      repo = undefined;
    }
  });

  it('Gatekeeper folders and Wasm bundles the platform config lists are confined the same way', async () => {
    const secret = secretFolder();
    writeFileSync(join(secret, 'bundle.tar.gz'), 'not read');
    repo = exampleRepo();
    mkdirSync(join(repo.dir, 'bundles'));
    symlinkSync(join(secret, 'bundle.tar.gz'), join(repo.dir, 'bundles/acme.tar.gz'));
    platformPolicy(
      repo,
      `  gatekeeper: [${secret}]\n  bundles:\n    - { file: ../bundles/acme.tar.gz, entrypoints: [acme/deny] }\n`,
    );
    const run = await check(repo.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`\`${secret}\` (from the platform config) leads outside`);
    expect(run.stdout).toContain('`../bundles/acme.tar.gz` (from the platform config) leads outside');
  });

  it("a link in the repository's policies/ that leads outside is refused, named", async () => {
    const secret = secretFolder();
    repo = exampleRepo();
    symlinkSync(secret, join(repo.dir, 'policies/team'));
    const run = await check(repo.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^policies\/team:1:1: error\[outside_repository\]: policies\/team leads outside/m);
  });

  it('a folder the caller names with --policies may be outside the repository', async () => {
    const secret = secretFolder();
    repo = exampleRepo();
    const run = await runCli(['check', '--env', 'prod', '--policies', secret], { cwd: repo.dir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(SECRET);
    expect(run.code).toBe(0);
  });
});
