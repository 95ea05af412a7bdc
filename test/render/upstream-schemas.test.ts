// Every object of every example in every environment, and of the variant specs, validates
// against the upstream schema of its kind, with no field the schema does not know.
import { describe, expect, it } from 'vitest';
import { renderSystem } from '../../compiler/render/system.js';
import { renderedExamples, variantSystems } from './helpers/examples.js';
import { upstreamProblems } from './helpers/upstream.js';
import type { K8sObject } from '../../compiler/render/base/manifest-set.js';

describe('upstream schemas', () => {
  it('the checker reports schema violations, unknown fields and unknown kinds', async () => {
    const all = await renderedExamples();
    const objects = all.flatMap((r) => r.set.objects);
    const deployment = structuredClone(objects.find((o) => o.kind === 'Deployment')!) as any;
    const rollout = structuredClone(objects.find((o) => o.kind === 'Rollout')!) as any;
    const name = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
    expect(await upstreamProblems(deployment)).toEqual([]);
    expect(await upstreamProblems(rollout)).toEqual([]);

    deployment.spec.template.spec.containers[0].resorces = {};
    rollout.spec.workloadRef.scaledown = 'never';
    expect(await upstreamProblems(deployment)).toEqual([
      `${name(deployment)}: field /spec/template/spec/containers/0/resorces is not in the Deployment schema`,
    ]);
    expect(await upstreamProblems(rollout)).toEqual([
      `${name(rollout)}: field /spec/workloadRef/scaledown is not in the Rollout schema`,
    ]);

    deployment.spec.replicas = 'two';
    expect((await upstreamProblems(deployment)).some((p) => p.includes('/spec/replicas must be integer'))).toBe(true);
    expect(await upstreamProblems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'Widget/w: no upstream model for example.com/v1 Widget',
    ]);
  });

  it('every object of every example in every environment is valid', async () => {
    const all = await renderedExamples();
    expect(all.length).toBeGreaterThanOrEqual(9);
    const problems: string[] = [];
    for (const { set } of all)
      for (const o of set.objects)
        problems.push(...(await upstreamProblems(o)).map((p) => `${set.environment}/${set.system} ${p}`));
    expect(problems).toEqual([]);
  });

  it('every object of the variant specs is valid', async () => {
    const problems: string[] = [];
    for (const system of await variantSystems()) {
      const set = renderSystem(system);
      for (const o of set.objects) problems.push(...(await upstreamProblems(o)).map((p) => `${set.system} ${p}`));
    }
    expect(problems).toEqual([]);
  });
});
