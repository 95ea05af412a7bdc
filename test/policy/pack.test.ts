// The policy pack over every example system-environment, against the rendered objects: what it
// finds is listed here, each finding located at a spec line or a rendered object. The examples
// are meant to comply; the findings below are real gaps of the examples (or of what the
// compiler renders for them) that the lead fixes or waives, not accepted behaviour.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, locatorOf } from '../../compiler/pipeline/pipeline.js';
import { renderSystem } from '../../compiler/render/system.js';
import type { K8sObject } from '../../compiler/render/base/manifest-set.js';
import { evaluatePack, type PackFinding, ROOT } from './pack-helpers.js';

interface Located extends PackFinding {
  readonly system: string;
  readonly environment: string;
  /** `file:line` of the pointer, or of the spec element the object was rendered from. */
  readonly at: string;
}

let found: Located[];
let objects: Map<string, readonly K8sObject[]>;

beforeAll(async () => {
  const analysis = await analyze(['specs'], { cwd: ROOT });
  expect(analysis.resolved).toHaveLength(11);
  const locate = locatorOf(analysis);
  found = [];
  objects = new Map();
  for (const system of analysis.resolved) {
    const set = renderSystem(system);
    objects.set(`${system.name}/${system.environment}`, set.objects);
    for (const f of evaluatePack(system, set.objects)) {
      let pointer = f.pointer;
      if (f.object) {
        const i = set.objects.findIndex((o) => o.kind === f.object!.kind && o.metadata.name === f.object!.name);
        expect(i, `${f.policy}: ${f.object.kind} ${f.object.name} is not a rendered object`).toBeGreaterThanOrEqual(0);
        pointer ??= set.sources[i];
      }
      const where = locate(system.environment, system.name, pointer ?? '');
      expect(where, `${f.policy}: ${f.msg} has no location`).toBeDefined();
      found.push({ ...f, system: system.name, environment: system.environment, at: `${where!.file}:${where!.line}` });
    }
  }
});

const key = (f: Located) => `${f.system}/${f.environment}`;
describe('the policy pack on the examples', () => {
  it('finds one gap: the prod A/B test of product-ranker, which the spec waives', () => {
    expect(found.map((f) => [key(f), f.severity, f.policy, f.pointer, f.msg])).toEqual([
      [
        'product-ranker/prod',
        'deny',
        'safe_rollout',
        '/rollout/strategy',
        'environment prod needs a progressive rollout (canary, blueGreen); strategy abTest is not one',
      ],
    ]);
    expect(found[0]!.at).toMatch(/^specs\/product-ranker\.jsonnet:\d+$/);
    const waivers = readFileSync(join(ROOT, 'specs/product-ranker.jsonnet'), 'utf8');
    expect(waivers).toMatch(/policy: 'mlspec\.safe_rollout'/);
  });

  it('renders a pod-level seccomp profile on every Deployment, Job and CronJob', () => {
    for (const [k, objs] of objects) {
      for (const o of objs.filter((x) => ['Deployment', 'Job', 'CronJob'].includes(x.kind))) {
        const spec = o.spec as {
          template?: { spec: unknown };
          jobTemplate?: { spec: { template: { spec: unknown } } };
        };
        const pod = (spec.template?.spec ?? spec.jobTemplate?.spec.template.spec) as {
          securityContext?: { seccompProfile?: { type: string } };
        };
        expect(pod.securityContext?.seccompProfile?.type, `${k} ${o.kind}/${o.metadata.name}`).toBe('RuntimeDefault');
      }
    }
  });

  it('renders no egress to any address', () => {
    for (const [k, objs] of objects)
      for (const np of objs.filter((o) => o.kind === 'NetworkPolicy'))
        expect(JSON.stringify(np.spec), `${k} ${np.metadata.name}`).not.toMatch(/"cidr":"(0\.0\.0\.0\/0|::\/0)"/);
  });
});
