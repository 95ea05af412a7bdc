// Waivers: exceptions kept in Git, shown as waived, and findings themselves when they expire,
// name no policy, or cover nothing that was checked.
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { positionOf, runCli } from '../helpers/cli.js';
import { exampleRepo, moveChurnProdToEu, type Repo } from './fixtures.js';

let repo: Repo | undefined;
afterEach(() => repo?.cleanup());

const waiver = (fields: Record<string, unknown>) => ({
  policy: 'mlspec.data_residency',
  justification: 'Temporary hosting during the me-central-1 migration (ticket DPO-1234).',
  approvedBy: 'dpo@acme.io',
  expires: '2999-12-31',
  ...fields,
});

/** churn-small in prod on the EU cluster, plus `waivers` in the platform config. */
function platformWaivers(waivers: Record<string, unknown>[], breakResidency = true): Repo {
  repo = exampleRepo();
  if (breakResidency) repo.edit('specs/churn-small.yaml', moveChurnProdToEu);
  repo.edit('specs/platform.yaml', (t) => `${t.trimEnd()}\n${stringify({ policy: { waivers } })}`);
  return repo;
}

async function findings(dir: string) {
  const run = await runCli(['check', '--format', 'json'], { cwd: dir });
  return { code: run.code, report: JSON.parse(run.stdout) };
}

describe('waivers', () => {
  it('a platform waiver lets the change through; the finding is still shown, marked waived', async () => {
    const { dir } = platformWaivers([waiver({ system: 'churn-small', environment: 'prod' })]);
    const { code, report } = await findings(dir);
    expect(code).toBe(0);
    const f = report.findings.find((x: { policy: string }) => x.policy === 'mlspec.data_residency');
    expect(f).toMatchObject({ waived: true, waiver: { approvedBy: 'dpo@acme.io', expires: '2999-12-31' } });
    const text = await runCli(['check'], { cwd: dir });
    expect(text.stdout).toMatch(
      /deny\[mlspec\.data_residency\].*\(waived until 2999-12-31, approved by dpo@acme\.io\)/,
    );
  });

  it('a waiver in the spec works the same', async () => {
    repo = exampleRepo();
    repo.edit('specs/churn-small.yaml', moveChurnProdToEu);
    repo.edit('specs/churn-small.yaml', (t) =>
      t.replace(
        /^compliance:\n/m,
        `compliance:\n  waivers:\n    - ${JSON.stringify(waiver({ environment: 'prod' }))}\n`,
      ),
    );
    expect((await findings(repo.dir)).code).toBe(0);
  });

  it('an expired waiver does not apply and is a deny finding at its line', async () => {
    const { dir } = platformWaivers([waiver({ system: 'churn-small', expires: '2020-01-31' })]);
    const { code, report } = await findings(dir);
    expect(code).toBe(1);
    const expired = report.findings.find((x: { policy: string }) => x.policy === 'mlspec.waivers');
    expect(expired).toMatchObject({ severity: 'deny', file: 'specs/platform.yaml' });
    expect(expired.message).toContain('expired on 2020-01-31');
    const residency = report.findings.find((x: { policy: string }) => x.policy === 'mlspec.data_residency');
    expect(residency.waived).toBe(false);
  });

  it('a waiver of a policy that is not loaded waives nothing and is a warning, as is an unused one', async () => {
    const { dir } = platformWaivers(
      [
        waiver({ system: 'churn-small', policy: 'mlspec.no_such_policy' }),
        waiver({ system: 'card-fraud', environment: 'prod' }),
      ],
      false,
    );
    const { code, report } = await findings(dir);
    expect(code).toBe(0);
    const own = report.findings.filter((x: { policy: string }) => x.policy === 'mlspec.waivers');
    expect(own.map((f: { severity: string; message: string }) => [f.severity, f.message])).toEqual([
      [
        'warn',
        'the waiver of mlspec.no_such_policy for churn-small names a policy that is not loaded, so it waives nothing',
      ],
      ['warn', 'the waiver of mlspec.data_residency for card-fraud (prod) matches no finding: remove it'],
    ]);
    const text = (await runCli(['check'], { cwd: dir })).stdout;
    const at = positionOf(
      await import('node:fs').then((fs) => fs.readFileSync(`${dir}/specs/platform.yaml`, 'utf8')),
      '- policy: mlspec.no_such_policy',
    );
    expect(text).toContain(`specs/platform.yaml:${at.line}:`);
  });

  it('an unused waiver is not reported when its environment was not checked', async () => {
    const { dir } = platformWaivers([waiver({ system: 'card-fraud', environment: 'prod' })], false);
    const run = await runCli(['check', '--env', 'dev', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(run.stdout).findings).toEqual([]);
    expect(run.code).toBe(0);
  });
});
