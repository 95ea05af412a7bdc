// Gatekeeper at the level of an environment: a constraint whose template reads `data.inventory`
// sees the rendered objects of every system of the environment on the same cluster (each cluster
// runs its own Gatekeeper), and the objects an environment owns itself (its Namespaces and
// quotas) are judged like the systems' objects, at their files in out/ and the platform config.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { positionOf } from '../../helpers/cli.js';
import type { Repo } from '../../review/fixtures.js';
import { findings, withGatekeeper } from './helpers.js';

let repo: Repo | undefined;
afterEach(() => repo?.cleanup());

/** A platform limit that only the whole cluster can judge: how many GPU serving workloads it runs. */
const GPU_LIMIT_TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sgpuworkloadlimit
  annotations:
    metadata.gatekeeper.sh/requires-sync-data: |
      "[[{"groups": ["apps"], "versions": ["v1"], "kinds": ["Deployment"]}]]"
spec:
  crd:
    spec:
      names:
        kind: K8sGpuWorkloadLimit
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sgpuworkloadlimit

        uses_gpu(d) { d.spec.template.spec.containers[_].resources.limits["nvidia.com/gpu"] }

        violation[{"msg": msg}] {
          uses_gpu(input.review.object)
          n := count({[ns, name] | d := data.inventory.namespace[ns]["apps/v1"].Deployment[name]; uses_gpu(d)})
          n > input.parameters.max
          msg := sprintf("the cluster would run %v GPU workloads; at most %v are allowed", [n, input.parameters.max])
        }
`;

const gpuLimit = (max: number) =>
  'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sGpuWorkloadLimit\nmetadata: { name: gpu-workloads }\n' +
  `spec:\n  match:\n    kinds: [{ apiGroups: [apps], kinds: [Deployment] }]\n  parameters: { max: ${max} }\n`;

describe('Gatekeeper review of an environment', () => {
  it('an inventory constraint sees every system on the same cluster, and none on other clusters', async () => {
    repo = withGatekeeper();
    writeFileSync(join(repo.dir, 'gatekeeper/templates/k8sgpuworkloadlimit.yaml'), GPU_LIMIT_TEMPLATE);
    writeFileSync(join(repo.dir, 'gatekeeper/constraints/gpu-workloads.yaml'), gpuLimit(2));
    // prod-eu runs card-fraud's and product-ranker's GPU tiers, gke-us query-intent's: two at most.
    let out = await findings(repo.dir, '--env', 'prod');
    expect(out.findings.filter((f) => f.policy.startsWith('gatekeeper.'))).toEqual([]);
    expect(out.code).toBe(0);

    repo.edit('gatekeeper/constraints/gpu-workloads.yaml', () => gpuLimit(1));
    out = await findings(repo.dir, '--env', 'prod');
    expect(out.code).toBe(1);
    const limit = out.findings.filter((f) => f.policy === 'gatekeeper.K8sGpuWorkloadLimit.gpu_workloads');
    const cardFraud = readFileSync(join(repo.dir, 'specs/card-fraud.yaml'), 'utf8');
    const message = 'the cluster would run 2 GPU workloads; at most 1 are allowed';
    expect(limit).toEqual([
      expect.objectContaining({
        severity: 'deny',
        system: 'card-fraud',
        message,
        object: expect.objectContaining({ file: 'out/prod/card-fraud/deployment-card-fraud-enterprise.yaml' }),
        file: 'specs/card-fraud.yaml',
        line: positionOf(cardFraud, 'enterprise:', 'tiers:').line,
      }),
      expect.objectContaining({
        severity: 'deny',
        system: 'product-ranker',
        message,
        object: expect.objectContaining({ file: 'out/prod/product-ranker/deployment-product-ranker-gpu.yaml' }),
        file: 'specs/product-ranker.jsonnet',
      }),
    ]);
  });

  it("the environment's Namespaces are judged too, at their out/ file and the platform config's team", async () => {
    repo = withGatekeeper();
    writeFileSync(
      join(repo.dir, 'gatekeeper/constraints/namespace-owner.yaml'),
      'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata: { name: namespace-owner }\n' +
        'spec:\n  match:\n    kinds: [{ apiGroups: [""], kinds: [Namespace] }]\n' +
        '  parameters:\n    labels: [{ key: acme.io/cost-center }]\n',
    );
    const out = await findings(repo.dir, '--env', 'prod');
    expect(out.code).toBe(1);
    const owner = out.findings.filter((f) => f.policy === 'gatekeeper.K8sRequiredLabels.namespace_owner');
    expect(owner.map((f) => f.object?.file).sort()).toEqual(
      [
        'out/prod/namespace-commerce-ml-prod.yaml',
        'out/prod/namespace-fraud-prod.yaml',
        'out/prod/namespace-growth-analytics-prod.yaml',
        'out/prod/namespace-search-ml-prod.yaml',
      ].sort(),
    );
    const platform = readFileSync(join(repo.dir, 'specs/platform.yaml'), 'utf8');
    const fraud = owner.find((f) => f.object?.name === 'fraud-prod');
    expect(fraud).toMatchObject({
      severity: 'deny',
      system: 'card-fraud',
      file: 'specs/platform.yaml',
      line: positionOf(platform, 'namespace:', 'payments-risk:').line,
    });
    expect(fraud!.message).toMatch(/acme\.io\/cost-center/);
  });
});
