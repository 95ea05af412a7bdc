// Bundles the platform config lists (`policy.bundles`) run in `check` for every
// system-environment beside the Rego policies: their findings are shaped and located like the Rego
// ones, and a bundle that traps fails the run instead of passing. The modules are built by the
// test (opa-abi-module.ts): an entrypoint `acme/images/deny` that returns a fixed set of findings.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { exampleRepo, type Repo } from '../../review/fixtures.js';
import { bundleOf, RBAC } from './backends.js';
import { type Body, opaAbiModule } from './opa-abi-module.js';

let repo: Repo | undefined;
afterEach(() => repo?.cleanup());

const FINDINGS = [
  { msg: 'the serving Deployment is not signed', object: { kind: 'Deployment', name: 'churn-small-cpu' } },
  { msg: 'images must be scanned', pointer: '/training/pipeline/train/image' },
];

const findingsModule = (entrypoint = 'acme/images/deny') =>
  opaAbiModule(
    { kind: 'call', builtin: 'json.unmarshal', args: [{ text: JSON.stringify(JSON.stringify(FINDINGS)) }] },
    entrypoint,
  );

function withBundles(files: Record<string, Uint8Array>, bundles: string): Repo {
  repo = exampleRepo();
  mkdirSync(join(repo.dir, 'specs/bundles'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(repo.dir, 'specs/bundles', name), bytes);
  repo.edit('specs/platform.yaml', (t) => `${t}\npolicy:\n  bundles:\n${bundles}`);
  return repo;
}

const check = (dir: string, ...args: string[]) => runCli(['check', '--env', 'prod', ...args], { cwd: dir });

describe('Wasm bundles in check', () => {
  it('report findings located at the spec element and the rendered object, for every system', async () => {
    const { dir } = withBundles(
      { 'images.wasm': findingsModule() },
      '    - file: bundles/images.wasm\n      entrypoints: [acme/images/deny]\n',
    );
    const run = await runCli(['check', '--env', 'prod', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const churn = report.findings.filter((f: { system: string }) => f.system === 'churn-small');
    expect(churn).toEqual([
      expect.objectContaining({
        policy: 'acme.images',
        severity: 'deny',
        message: 'images must be scanned',
        file: 'specs/churn-small.yaml',
        pointer: '/training/pipeline/train/image',
      }),
      expect.objectContaining({
        policy: 'acme.images',
        message: 'the serving Deployment is not signed',
        file: 'specs/churn-small.yaml',
        pointer: '/serving/tiers/cpu',
        object: expect.objectContaining({
          kind: 'Deployment',
          name: 'churn-small-cpu',
          file: 'out/prod/churn-small/deployment-churn-small-cpu.yaml',
        }),
      }),
    ]);
    // Every system-environment is checked, not only the first.
    const systems = new Set(report.findings.map((f: { system: string }) => f.system));
    expect(systems.size).toBe(4);
  });

  it('a bundle that traps fails the check (fail closed), never passes', async () => {
    const trap: Body = { kind: 'trap' };
    const { dir } = withBundles(
      { 'trap.wasm': opaAbiModule(trap, 'acme/trap/deny') },
      '    - file: bundles/trap.wasm\n      entrypoints: [acme/trap/deny]\n',
    );
    const run = await check(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/deny\[acme\.trap\] churn-small\/prod: the policy could not be evaluated/);
  });

  it('an entrypoint the bundle lacks, or a bundle that is missing, stops the run at the config line', async () => {
    const { dir } = withBundles(
      { 'rbac.tar.gz': bundleOf(RBAC) },
      '    - file: bundles/rbac.tar.gz\n      entrypoints: [example/deny]\n    - file: bundles/none.wasm\n' +
        '      entrypoints: [x/deny]\n',
    );
    const run = await check(dir);
    expect(run.code).toBe(1);
    const out = run.stdout + run.stderr;
    expect(out).toMatch(
      new RegExp(
        'specs/platform\\.yaml:\\d+:\\d+: .*bundles/rbac\\.tar\\.gz ' +
          'has no entrypoint `example/deny` \\(it has example/allow\\)',
      ),
    );
    expect(out).toMatch(/specs\/platform\.yaml:\d+:\d+: .*bundles\/none\.wasm/);
  });
});
