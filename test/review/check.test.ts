// `mlspec check`: the review of a change, in every output format, failing closed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { positionOf, runCli } from '../helpers/cli.js';
import { ROOT } from '../render/helpers/examples.js';
import { exampleRepo, moveChurnProdToEu, type Repo } from './fixtures.js';

let repo: Repo | undefined;
afterEach(() => repo?.cleanup());

const SARIF_SCHEMA = join(ROOT, '../shared/sarif/sarif-schema-2.1.0.json');

function residencyBroken(): Repo {
  repo = exampleRepo();
  repo.edit('specs/churn-small.yaml', moveChurnProdToEu);
  return repo;
}

const churnProdCluster = (dir: string) =>
  positionOf(readFileSync(join(dir, 'specs/churn-small.yaml'), 'utf8'), 'cluster: prod-eu', '  prod:');

describe('mlspec check', () => {
  it('passes the examples in every environment', async () => {
    const run = await runCli(['check', '--all-envs'], { cwd: ROOT });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/4 system\(s\), 11 system-environment\(s\), \d+ policies: 0 deny/);
    expect(run.code).toBe(0);
  });

  it('fails a change that breaks a policy, at the spec line that does it, with the remedy', async () => {
    const { dir } = residencyBroken();
    const run = await runCli(['check'], { cwd: dir });
    expect(run.code).toBe(1);
    const at = churnProdCluster(dir);
    expect(run.stdout).toContain(
      `specs/churn-small.yaml:${at.line}:${at.column}: deny[mlspec.data_residency] churn-small/prod: ` +
        'environment prod runs in europe-west4, outside the data residency of churn-small (me-central-1)',
    );
    expect(run.stdout).toMatch(/check FAILED\n$/);
  });

  it('validate and compile show the same finding; compile still writes, and exits 1', async () => {
    const { dir } = residencyBroken();
    const validate = await runCli(['validate'], { cwd: dir });
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(/churn-small\.yaml:\d+:\d+: error\[mlspec\.data_residency\]/);
    const compile = await runCli(['compile'], { cwd: dir });
    expect(compile.code).toBe(1);
    expect(compile.stderr).toMatch(/error\[mlspec\.data_residency\]/);
    expect(readFileSync(join(dir, 'out/prod/churn-small/kustomization.yaml'), 'utf8')).toContain('churn-small');
  });

  it('--no-policies skips them and says so in every command', async () => {
    const { dir } = residencyBroken();
    const check = await runCli(['check', '--no-policies'], { cwd: dir });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('compliance policies SKIPPED (--no-policies)');
    const validate = await runCli(['validate', '--no-policies'], { cwd: dir });
    expect(validate.stdout).toContain('compliance policies SKIPPED (--no-policies)');
    const markdown = await runCli(['check', '--no-policies', '--format', 'markdown'], { cwd: dir });
    expect(markdown.stdout).toContain('Compliance policies were skipped');
  });

  it('GitHub annotations carry file, line, column and title', async () => {
    const { dir } = residencyBroken();
    const run = await runCli(['check', '--format', 'github'], { cwd: dir });
    const at = churnProdCluster(dir);
    expect(run.stdout).toContain(
      `::error file=specs/churn-small.yaml,line=${at.line},col=${at.column},title=Data residency (churn-small/prod)::`,
    );
  });

  it('SARIF validates against the official 2.1.0 schema and lands results on the spec line', async () => {
    const { dir } = residencyBroken();
    const run = await runCli(['check', '--format', 'sarif'], { cwd: dir });
    const sarif = JSON.parse(run.stdout);
    const ajv = new Ajv({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const rules = sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    expect(rules).toContain('mlspec.data_residency');
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'mlspec.data_residency');
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('specs/churn-small.yaml');
    expect(result.locations[0].physicalLocation.region.startLine).toBe(churnProdCluster(dir).line);
  });

  it('JUnit is well-formed XML with one case per policy × system × environment', async () => {
    const { dir } = residencyBroken();
    const run = await runCli(['check', '--format', 'junit', '--output', 'report.xml'], { cwd: dir });
    expect(run.code).toBe(1);
    const py = spawnSync(
      'python3',
      [
        '-c',
        [
          'import sys, xml.etree.ElementTree as ET',
          'root = ET.parse(sys.argv[1]).getroot()',
          'cases = root.findall(".//testcase")',
          'failed = [c.get("name") for c in cases if c.find("failure") is not None]',
          'print(len(cases), root.get("failures"))',
          'print("\\n".join(failed))',
        ].join('\n'),
        join(dir, 'report.xml'),
      ],
      { encoding: 'utf8' },
    );
    expect(py.stderr).toBe('');
    const [counts, ...failed] = py.stdout.trim().split('\n');
    const [cases, failures] = counts!.split(' ');
    const policies = JSON.parse((await runCli(['check', '--format', 'json'], { cwd: dir })).stdout).policies.length;
    expect(Number(cases)).toBe(policies * 11);
    expect(failures).toBe('1');
    expect(failed).toEqual(['mlspec.data_residency churn-small/prod']);
  });

  it('a --base that does not exist, or an unknown format, is a usage error (exit 2)', async () => {
    repo = exampleRepo({ git: true });
    const base = await runCli(['check', '--base', 'no-such-branch'], { cwd: repo.dir });
    expect(base.code).toBe(2);
    expect(base.stderr).toContain('`no-such-branch` is neither a folder nor a git revision of this repository');
    const format = await runCli(['check', '--format', 'xml'], { cwd: repo.dir });
    expect(format.code).toBe(2);
  });
});

describe('failing closed', () => {
  function withPolicy(rego: string): Repo {
    repo = exampleRepo();
    mkdirSync(join(repo.dir, 'policies/extra'), { recursive: true });
    writeFileSync(join(repo.dir, 'policies/extra/broken.rego'), rego);
    return repo;
  }

  it('a policy whose rule errors at evaluation is a deny finding of that policy, never a pass', async () => {
    const { dir } = withPolicy(
      [
        '# METADATA',
        '# title: Broken',
        'package acme.broken',
        'import rego.v1',
        // to_number of a word is a builtin error: strict evaluation makes it fail the rule.
        'deny contains {"msg": "x"} if to_number(input.system.name) > 1',
      ].join('\n'),
    );
    const run = await runCli(['check', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.stdout).findings.filter((f: { policy: string }) => f.policy === 'acme.broken');
    expect(findings.length).toBe(11);
    expect(findings[0]).toMatchObject({ severity: 'deny' });
    expect(findings[0].message).toMatch(/could not be evaluated \(eval_builtin_error\)/);
  });

  it('a policy that does not compile stops the check with its file and line', async () => {
    const { dir } = withPolicy('package acme.broken\nimport rego.v1\ndeny contains x if { x := undefined_fn(1) }\n');
    const run = await runCli(['check'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/policies\/extra\/broken\.rego:3:\d+: error\[policy_error\]/);
  });

  it('a malformed finding is a deny finding, not dropped', async () => {
    const { dir } = withPolicy('package acme.shape\nimport rego.v1\ndeny contains {"message": "no msg key"}\n');
    const run = await runCli(['check', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const f = JSON.parse(run.stdout).findings.find((x: { policy: string }) => x.policy === 'acme.shape');
    expect(f.message).toMatch(/has no `msg` string/);
  });
});
