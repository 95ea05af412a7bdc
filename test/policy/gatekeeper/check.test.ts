// Gatekeeper constraints in `mlspec check`: the platform config names folders of templates and
// constraints (gatekeeper/ of this repository); every rendered object of every
// system-environment is reviewed as the validating webhook would, and violations land at the
// object's file in out/ and at the spec line it was made from.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { positionOf, runCli } from '../../helpers/cli.js';
import type { Repo } from '../../review/fixtures.js';
import { findings, withGatekeeper as gatekeeperRepo } from './helpers.js';

let repo: Repo | undefined;
afterEach(() => repo?.cleanup());

function withGatekeeper(): Repo {
  repo = gatekeeperRepo();
  return repo;
}

/** churn-small's cpu tier from a public registry, too many replicas and too much memory. */
const breakChurn = (text: string) =>
  text
    .replace('image: registry.acme.io/ml/churn-prep:1.5.0@', 'image: docker.io/acme/churn-prep:1.5.0@')
    .replace('replicas: { min: 2, max: 4 }', 'replicas: { min: 24, max: 30 }')
    .replace('resources: { cpu: 500m, memory: 1Gi }', 'resources: { cpu: 500m, memory: 800Gi }');

describe('Gatekeeper constraints in check', () => {
  it('the examples comply with every constraint, in every environment', async () => {
    const { dir } = withGatekeeper();
    const out = await findings(dir, '--all-envs');
    expect(out.findings.filter((f) => f.policy.startsWith('gatekeeper.'))).toEqual([]);
    expect(out.code).toBe(0);
  });

  it('reports what admission would refuse, at the out/ file and the spec line, with its severity', async () => {
    const { dir } = withGatekeeper();
    repo!.edit('specs/churn-small.yaml', breakChurn);
    const spec = readFileSync(join(dir, 'specs/churn-small.yaml'), 'utf8');
    const out = await findings(dir, '--env', 'prod');
    expect(out.code).toBe(1);
    const gk = out.findings.filter((f) => f.policy.startsWith('gatekeeper.') && f.system === 'churn-small');
    const repos = gk.filter((f) => f.policy === 'gatekeeper.K8sAllowedRepos.acme_registries');
    expect(repos.length).toBeGreaterThan(0);
    for (const f of repos) {
      expect(f.severity).toBe('deny');
      expect(f.message).toMatch(/container <main> has an invalid image repo <docker\.io\/acme\/churn-prep/);
      expect(f.object?.file).toBe('out/prod/churn-small/workflowtemplate-churn-small-train.yaml');
      expect(f.file).toBe('specs/churn-small.yaml');
    }
    const memory = gk.find((f) => f.policy === 'gatekeeper.K8sContainerLimits.node_share');
    expect(memory).toMatchObject({
      severity: 'deny',
      message: 'container <runtime> memory limit <819200Mi> is higher than the maximum allowed of <768Gi>',
      object: {
        kind: 'Deployment',
        name: 'churn-small-cpu',
        file: 'out/prod/churn-small/deployment-churn-small-cpu.yaml',
      },
      file: 'specs/churn-small.yaml',
      line: positionOf(spec, 'cpu:', 'tiers:').line,
    });
    const replicas = gk.find((f) => f.policy === 'gatekeeper.K8sReplicaLimits.serving_replicas');
    expect(replicas).toMatchObject({
      severity: 'warn',
      object: { kind: 'HorizontalPodAutoscaler', name: 'churn-small-cpu' },
    });
    expect(replicas?.message).toMatch(/churn-small-cpu may scale to 30 replicas/);
  });

  it('dryrun constraints report as info and do not fail the check', async () => {
    const { dir } = withGatekeeper();
    repo!.edit('gatekeeper/constraints/container-limits.yaml', (t) =>
      t.replace('enforcementAction: deny', 'enforcementAction: dryrun'),
    );
    repo!.edit('specs/churn-small.yaml', (t) =>
      t.replace('resources: { cpu: 500m, memory: 1Gi }', 'resources: { cpu: 500m, memory: 800Gi }'),
    );
    const out = await findings(dir, '--env', 'prod');
    const memory = out.findings.filter((f) => f.policy === 'gatekeeper.K8sContainerLimits.node_share');
    expect(memory.map((f) => f.severity)).toEqual(['info']);
    expect(out.code).toBe(0);
  });

  it('data.inventory holds the rendered objects only for templates that require sync data', async () => {
    const { dir } = withGatekeeper();
    // Without the annotation Gatekeeper gives the template nothing synced: no target is found.
    repo!.edit('gatekeeper/templates/k8shpatargetexists.yaml', (t) =>
      t.replace('metadata.gatekeeper.sh/requires-sync-data', 'example.com/not-sync-data'),
    );
    const out = await findings(dir, '--env', 'prod');
    const missing = out.findings.filter((f) => f.policy === 'gatekeeper.K8sHpaTargetExists.hpa_target_exists');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing[0]).toMatchObject({ severity: 'info', object: { kind: 'HorizontalPodAutoscaler' } });
    expect(missing[0]!.message).toMatch(/scales Rollout <.+>, which does not exist in namespace/);
  });

  it('constraints written for Pods judge workloads through an ExpansionTemplate, as admission would', async () => {
    const { dir } = withGatekeeper();
    const podsOnly =
      'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sAllowedRepos\nmetadata: { name: pods-ml-only }\n' +
      'spec:\n  match:\n    kinds: [{ apiGroups: [""], kinds: [Pod] }]\n  parameters:\n    repos: ' +
      '[registry.acme.io/ml/]\n';
    writeFileSync(join(dir, 'gatekeeper/constraints/pods.yaml'), podsOnly);
    const pods = async () =>
      (await findings(dir, '--env', 'prod')).findings.filter(
        (f) => f.policy === 'gatekeeper.K8sAllowedRepos.pods_ml_only' && f.system === 'churn-small',
      );
    // No Pod is rendered: without expansion the constraint has nothing to judge.
    expect(await pods()).toEqual([]);
    writeFileSync(
      join(dir, 'gatekeeper/constraints/expansion.yaml'),
      'apiVersion: expansion.gatekeeper.sh/v1beta1\nkind: ExpansionTemplate\nmetadata: { name: expand-deployments }\n' +
        'spec:\n  applyTo: [{ groups: [apps], kinds: [Deployment], versions: [v1] }]\n' +
        '  templateSource: spec.template\n  enforcementAction: warn\n  generatedGVK: { kind: Pod, group: "", ' +
        'version: v1 }\n',
    );
    const found = await pods();
    expect(found.length).toBeGreaterThan(0);
    expect(found).toContainEqual(
      expect.objectContaining({
        severity: 'warn',
        message: expect.stringMatching(
          new RegExp(
            '^\\[Implied by expand-deployments\\] container <runtime> has an invalid image repo ' +
              '<registry\\.acme\\.io/platform/mlspec-runtime',
          ),
        ),
        object: expect.objectContaining({
          kind: 'Deployment',
          name: 'churn-small-cpu',
          file: 'out/prod/churn-small/deployment-churn-small-cpu.yaml',
        }),
        file: 'specs/churn-small.yaml',
      }),
    );
  });

  it('a template that cannot be evaluated fails the check (fail closed), never passes', async () => {
    const { dir } = withGatekeeper();
    // units.parse_bytes fails on a quantity it cannot read: a builtin error, not "no violation".
    repo!.edit('gatekeeper/constraints/container-limits.yaml', (t) => t.replace('memory: 768Gi', 'memory: lots'));
    const out = await findings(dir, '--env', 'prod');
    expect(out.code).toBe(1);
    const failed = out.findings.filter((f) => f.policy === 'gatekeeper.K8sContainerLimits.node_share');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]).toMatchObject({ severity: 'deny', message: expect.stringMatching(/could not be evaluated/) });
  });

  it('a constraint Gatekeeper would refuse stops the run at its file and line', async () => {
    const { dir } = withGatekeeper();
    mkdirSync(join(dir, 'gatekeeper/constraints/more'));
    writeFileSync(
      join(dir, 'gatekeeper/constraints/more/bad.yaml'),
      'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sUnknown\nmetadata: { name: orphan }\n---\n' +
        'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sReplicaLimits\nmetadata: { name: wrong }\n' +
        'spec:\n  parameters: { ranges: 3 }\n',
    );
    const run = await runCli(['check', '--env', 'prod'], { cwd: dir });
    expect(run.code).toBe(1);
    const text = run.stdout + run.stderr;
    expect(text).toContain(
      'gatekeeper/constraints/more/bad.yaml:1:1: error[gatekeeper_no_template]: constraint K8sUnknown/orphan: ' +
        'no ConstraintTemplate defines kind K8sUnknown',
    );
    expect(text).toMatch(
      new RegExp(
        'bad\\.yaml:5:1: error\\[gatekeeper_parameters\\]: ' +
          'constraint K8sReplicaLimits/wrong: parameters\\.ranges must be array',
      ),
    );
  });

  it('a template whose Rego does not compile stops the run at its line in the YAML', async () => {
    const { dir } = withGatekeeper();
    repo!.edit('gatekeeper/templates/k8sreplicalimits.yaml', (t) =>
      t.replace('replicas := input.review.object.spec.replicas', 'replicas := input.review.object.spec.replicas +'),
    );
    const run = await runCli(['check', '--env', 'prod'], { cwd: dir });
    expect(run.code).toBe(1);
    const template = readFileSync(join(dir, 'gatekeeper/templates/k8sreplicalimits.yaml'), 'utf8');
    const line = positionOf(template, 'spec.replicas +').line;
    expect(run.stdout + run.stderr).toMatch(
      new RegExp(
        `k8sreplicalimits\\.yaml:(${line}|${line + 1}):1: error\\[gatekeeper_template\\]: ConstraintTemplate ` +
          `k8sreplicalimits`,
      ),
    );
  });
});
