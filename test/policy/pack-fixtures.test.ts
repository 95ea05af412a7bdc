// For each policy of the pack, an example changed the way a user could change it (or, where no
// spec can produce the breach, its rendered objects changed as a faulty renderer would): the
// policy reports exactly the new finding, as deny, located at the spec line that causes it.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyze, locatorOf } from '../../compiler/pipeline/pipeline.js';
import type { K8sObject } from '../../compiler/render/base/manifest-set.js';
import { renderSystem } from '../../compiler/render/system.js';
import { tempDir } from '../helpers/cli.js';
import { evaluatePack, type PackFinding, ROOT } from './pack-helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

interface Outcome {
  /** Findings the change added, with the spec line each is located at. */
  readonly added: (PackFinding & { readonly line: string })[];
}

const same = (a: PackFinding, b: PackFinding) =>
  JSON.stringify({ ...a, line: undefined }) === JSON.stringify({ ...b, line: undefined });

/**
 * Evaluates `system` in `environment` from `file` (a spec of specs/) before and after `edit`
 * of its text and `mutate` of its rendered objects; returns what the change added.
 */
async function change(
  file: string,
  environment: string,
  edit: (text: string) => string,
  mutate: (objects: K8sObject[]) => void = () => {},
): Promise<Outcome> {
  const t = tempDir('mlspec-pack-');
  cleanup = t.cleanup;
  copyFileSync(join(ROOT, 'specs/platform.yaml'), join(t.dir, 'platform.yaml'));
  const original = readFileSync(join(ROOT, 'specs', file), 'utf8');
  const run = async (text: string, mutating: boolean) => {
    writeFileSync(join(t.dir, file), text);
    const analysis = await analyze([file, 'platform.yaml'], { cwd: t.dir, environments: [environment] });
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const system = analysis.resolved[0]!;
    const set = renderSystem(system);
    const objects = structuredClone(set.objects) as K8sObject[];
    if (mutating) mutate(objects);
    const locate = locatorOf(analysis);
    return evaluatePack(system, objects).map((f) => {
      const i = f.object
        ? set.objects.findIndex((o) => o.kind === f.object!.kind && o.metadata.name === f.object!.name)
        : -1;
      const at = locate(environment, system.name, f.pointer ?? set.sources[i] ?? '')!;
      return { ...f, line: text.split('\n')[at.line - 1]!.trim() };
    });
  };
  const before = await run(original, false);
  const edited = edit(original);
  const after = await run(edited, true);
  return { added: after.filter((f) => !before.some((b) => same(b, f))) };
}

const replace = (from: string, to: string) => (text: string) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

const summary = (o: Outcome, policy: string) =>
  o.added
    .filter((f) => f.policy === policy)
    .map((f) => ({ severity: f.severity, pointer: f.pointer, object: f.object, line: f.line }));

describe('each policy of the pack finds a breach of an example, at its spec line', () => {
  it('data_residency: a dataset copied to another region', async () => {
    const o = await change(
      'churn-small.yaml',
      'prod',
      replace('uri: s3://acme-lake-me/growth/snapshots', 'uri: s3://acme-lake-eu/growth/snapshots'),
    );
    expect(summary(o, 'data_residency')).toEqual([
      {
        severity: 'deny',
        pointer: '/training/datasets/accounts/uri',
        object: undefined,
        line: 'uri: s3://acme-lake-eu/growth/snapshots/accounts/2026-11-15/',
      },
    ]);
    expect(o.added[0]!.msg).toContain('is stored in eu-west-1, outside the data residency of churn-small');
  });

  it('personal_data: a retention past the platform limit', async () => {
    const o = await change('card-fraud.yaml', 'prod', replace('retention: 540d', 'retention: 1000d'));
    expect(summary(o, 'personal_data')).toEqual([
      { severity: 'deny', pointer: '/compliance/personalData/retention', object: undefined, line: 'retention: 1000d' },
    ]);
  });

  it('encryption: a password written into a training step', async () => {
    const o = await change(
      'card-fraud.yaml',
      'prod',
      replace('      args: [--window, 90d]', '      args: [--window, 90d]\n      env: { WAREHOUSE_PASSWORD: hunter2 }'),
    );
    expect(summary(o, 'encryption')).toEqual([
      {
        severity: 'deny',
        pointer: '/training/pipeline/preprocess/env/WAREHOUSE_PASSWORD',
        object: undefined,
        line: 'env: { WAREHOUSE_PASSWORD: hunter2 }',
      },
    ]);
  });

  it('network_isolation: restricted data reaches only approved ranges', async () => {
    const restricted = replace('dataClassification: confidential', 'dataClassification: restricted');
    // The compiler routes egress through the cluster's approved endpoints: restricted data alone
    // adds nothing; a rendered egress to any address is found, at the spec element it came from.
    expect(summary(await change('churn-small.yaml', 'prod', restricted), 'network_isolation')).toEqual([]);
    const o = await change('churn-small.yaml', 'prod', restricted, (objects) => {
      const np = objects.find((x) => x.kind === 'NetworkPolicy' && x.metadata.name === 'churn-small-train')!;
      (np.spec as { egress: unknown[] }).egress.push({
        to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
        ports: [{ port: 443, protocol: 'TCP' }],
      });
    });
    expect(summary(o, 'network_isolation')).toEqual([
      {
        severity: 'deny',
        pointer: undefined,
        object: { kind: 'NetworkPolicy', name: 'churn-small-train' },
        line: 'training:',
      },
    ]);
    expect(o.added[0]!.msg).toMatch(
      /handling restricted data reach 0\.0\.0\.0\/0 on 443\/TCP, outside the approved egress/,
    );
  });

  it('least_privilege: a wildcard verb in a rendered role', async () => {
    const o = await change(
      'card-fraud.yaml',
      'prod',
      (t) => t,
      (objects) => {
        const role = objects.find((x) => x.kind === 'Role' && x.metadata.name === 'card-fraud-train')!;
        (role.rules as { verbs: string[] }[])[0]!.verbs = ['*'];
      },
    );
    expect(summary(o, 'least_privilege')).toEqual([
      { severity: 'deny', pointer: undefined, object: { kind: 'Role', name: 'card-fraud-train' }, line: 'training:' },
    ]);
  });

  it('secure_images: a training image from an unapproved registry', async () => {
    const digest = 'a'.repeat(64);
    const o = await change(
      'card-fraud.yaml',
      'staging',
      replace(
        'image: registry.acme.io/ml/fraud-train:2.4.1@sha256:64a34f172fd5cf92602e70b079ebf6f2f2c9e71858cd58adab0414b12ee7fbdc',
        `image: docker.io/library/python:3.12@sha256:${digest}`,
      ),
    );
    expect(summary(o, 'secure_images')).toEqual([
      {
        severity: 'deny',
        pointer: '/training/pipeline/train/image',
        object: undefined,
        line: `image: docker.io/library/python:3.12@sha256:${digest}`,
      },
    ]);
  });

  it('pod_security: a serving pod on the host network', async () => {
    const o = await change(
      'card-fraud.yaml',
      'prod',
      (t) => t,
      (objects) => {
        const d = objects.find((x) => x.kind === 'Deployment' && x.metadata.name === 'card-fraud-standard')!;
        (d.spec as { template: { spec: Record<string, unknown> } }).template.spec.hostNetwork = true;
      },
    );
    expect(summary(o, 'pod_security')).toEqual([
      {
        severity: 'deny',
        pointer: undefined,
        object: { kind: 'Deployment', name: 'card-fraud-standard' },
        line: 'standard:',
      },
    ]);
    expect(o.added[0]!.msg).toBe(
      "Deployment card-fraud-standard: shares the host's network namespace (hostNetwork: true)",
    );
  });

  it('resources: a GPU on the feature server, which no tier or step asks for', async () => {
    const o = await change(
      'card-fraud.yaml',
      'prod',
      (t) => t,
      (objects) => {
        const d = objects.find((x) => x.kind === 'Deployment' && x.metadata.name === 'card-fraud-feature-server')!;
        const c = (
          d.spec as { template: { spec: { containers: { resources: Record<string, Record<string, string>> }[] } } }
        ).template.spec.containers[0]!;
        c.resources.limits!['nvidia.com/gpu'] = '1';
      },
    );
    expect(summary(o, 'resources')).toEqual([
      {
        severity: 'deny',
        pointer: undefined,
        object: { kind: 'Deployment', name: 'card-fraud-feature-server' },
        line: 'features:',
      },
    ]);
    expect(o.added[0]!.msg).toContain('takes 1 nvidia.com/gpu, but it belongs to no serving tier or training step');
  });

  it('safe_rollout: a canary that starts with too much traffic', async () => {
    const o = await change(
      'card-fraud.yaml',
      'prod',
      replace('- { weight: 5, pause: 30m }', '- { weight: 20, pause: 30m }'),
    );
    expect(summary(o, 'safe_rollout')).toEqual([
      {
        severity: 'deny',
        pointer: '/rollout/canary/steps/0/weight',
        object: undefined,
        line: '- { weight: 20, pause: 30m }',
      },
    ]);
  });

  it('lineage: a dataset pinned to a moving version', async () => {
    const o = await change('churn-small.yaml', 'prod', replace('version: "2026-11-15"', 'version: "latest"'));
    expect(summary(o, 'lineage')).toEqual([
      {
        severity: 'deny',
        pointer: '/training/datasets/accounts/version',
        object: undefined,
        line: 'version: "latest"',
      },
    ]);
  });

  it('monitoring: production drift detection switched off for every input', async () => {
    const inputs = [
      'amount',
      'txn_count_1h',
      'avg_amount_24h',
      'card_age_days',
      'merchant_risk_score',
      'merchant_category',
    ];
    const o = await change(
      'card-fraud.yaml',
      'prod',
      replace('      amount: { threshold: 0.15 }', inputs.map((f) => `      ${f}: { ignore: true }`).join('\n')),
    );
    expect(summary(o, 'monitoring')).toEqual([
      { severity: 'deny', pointer: '/monitoring/drift', object: undefined, line: 'drift:' },
    ]);
  });

  it('ownership: a placeholder cost center', async () => {
    const o = await change('card-fraud.yaml', 'prod', replace('costCenter: CC-4410', 'costCenter: TBD'));
    expect(summary(o, 'ownership')).toEqual([
      { severity: 'deny', pointer: '/metadata/costCenter', object: undefined, line: 'costCenter: TBD' },
    ]);
  });
});
