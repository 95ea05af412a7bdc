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
  expect(analysis.resolved).toHaveLength(9);
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
const brief = (f: Located) =>
  `${key(f)} ${f.severity} ${f.policy} ${f.object ? `${f.object.kind}/${f.object.name}` : f.pointer}: ${f.msg}`;

/** 1-based line of the first line of `file` containing `text` (after `after`). */
function lineOf(file: string, text: string, after = ''): string {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const from = lines.findIndex((l) => l.includes(after));
  const i = lines.findIndex((l, n) => n >= from && l.includes(text));
  if (i < 0) throw new Error(`${text} not in ${file}`);
  return `${file}:${i + 1}`;
}

describe('the policy pack on the examples', () => {
  it('reports only deny findings, of the policies below', () => {
    expect(found.filter((f) => f.severity !== 'deny').map(brief)).toEqual([]);
    expect([...new Set(found.map((f) => f.policy))].sort()).toEqual([
      'encryption',
      'network_isolation',
      'personal_data',
      'pod_security',
      'safe_rollout',
    ]);
  });

  it('finds the spec-level gaps, at the lines that cause them', () => {
    const spec = found.filter((f) => !['pod_security', 'network_isolation'].includes(f.policy));
    const card = 'specs/card-fraud.yaml';
    const churn = 'specs/churn-small.yaml';
    const ranker = 'specs/product-ranker.jsonnet';
    const noMesh = (cluster: string, system: string) =>
      `cluster ${cluster} has no service mesh: serving and feature traffic of ${system} is not encrypted in transit`;
    const noTls = (type: string, cluster: string, connection: string) =>
      `the ${type} online store of cluster ${cluster} is reached outside the mesh without TLS (${connection})`;
    const stickyKey =
      'the A/B request events record the assignment key (header x-customer-id) unredacted, ' +
      'in a system that processes personal data';
    expect(spec.map((f) => [key(f), f.policy, f.pointer, f.at, f.msg]).sort()).toEqual(
      [
        [
          'card-fraud/dev',
          'encryption',
          '/environments/dev/cluster',
          lineOf(card, 'cluster: dev-eu'),
          noMesh('dev-eu', 'card-fraud'),
        ],
        [
          'card-fraud/dev',
          'encryption',
          '/environments/dev/cluster',
          lineOf(card, 'cluster: dev-eu'),
          noTls('redis', 'dev-eu', 'redis.feast.svc:6379'),
        ],
        [
          'card-fraud/prod',
          'encryption',
          '/environments/prod/cluster',
          lineOf(card, 'cluster: prod-eu'),
          noTls('redis', 'prod-eu', '10.20.0.5:6379'),
        ],
        [
          'churn-small/dev',
          'encryption',
          '/environments/dev/cluster',
          lineOf(churn, 'cluster: dev-me'),
          noMesh('dev-me', 'churn-small'),
        ],
        [
          'churn-small/dev',
          'encryption',
          '/environments/dev/cluster',
          lineOf(churn, 'cluster: dev-me'),
          noTls('postgres', 'dev-me', 'postgresql://feast@pg.feast.svc:5432/online'),
        ],
        ['product-ranker/dev', 'encryption', '/environments/dev/cluster', ranker, noMesh('dev-eu', 'product-ranker')],
        [
          'product-ranker/dev',
          'encryption',
          '/environments/dev/cluster',
          ranker,
          noTls('redis', 'dev-eu', 'redis.feast.svc:6379'),
        ],
        [
          'product-ranker/prod',
          'encryption',
          '/environments/prod/cluster',
          ranker,
          noTls('redis', 'prod-eu', '10.20.0.5:6379'),
        ],
        ['product-ranker/prod', 'personal_data', '/rollout/abTest/stickyKey/header', ranker, stickyKey],
        [
          'product-ranker/prod',
          'safe_rollout',
          '/rollout/strategy',
          ranker,
          'environment prod needs a progressive rollout (canary, blueGreen); strategy abTest is not one',
        ],
        ['product-ranker/staging', 'personal_data', '/rollout/abTest/stickyKey/header', ranker, stickyKey],
      ]
        .map((row) =>
          row[3] === ranker
            ? [...row.slice(0, 3), expect.stringMatching(/^specs\/product-ranker\.jsonnet:\d+$/), row[4]]
            : row,
        )
        .sort((a, b) => String(a).localeCompare(String(b))),
    );
  });

  it('finds every Deployment, Job and CronJob without a pod-level seccomp profile (Argo steps and ScaledJobs have one)', () => {
    const pods = found.filter((f) => f.policy === 'pod_security');
    expect(new Set(pods.map((f) => f.msg.replace(/^.*?: /, '')))).toEqual(
      new Set(['sets no seccomp profile for the pod (securityContext.seccompProfile: RuntimeDefault)']),
    );
    for (const [k, objs] of objects) {
      const expected = objs
        .filter((o) => ['Deployment', 'Job', 'CronJob'].includes(o.kind))
        .map((o) => `${o.kind}/${o.metadata.name}`);
      const actual = pods.filter((f) => key(f) === k).map((f) => `${f.object!.kind}/${f.object!.name}`);
      expect(actual.sort(), k).toEqual(expected.sort());
    }
  });

  it('finds egress to any address from the pods of card-fraud, the one system with restricted data', () => {
    const egress = found.filter((f) => f.policy === 'network_isolation');
    for (const [k, objs] of objects) {
      const open = k.startsWith('card-fraud/')
        ? objs.filter((o) => o.kind === 'NetworkPolicy' && JSON.stringify(o.spec).includes('"cidr":"0.0.0.0/0"'))
        : [];
      expect(
        egress
          .filter((f) => key(f) === k)
          .map((f) => f.object!.name)
          .sort(),
        k,
      ).toEqual(open.map((o) => o.metadata.name).sort());
    }
    expect(egress.length).toBeGreaterThan(20);
    for (const f of egress)
      expect(f.msg).toMatch(/reach 0\.0\.0\.0\/0 on 443\/TCP.*outside the approved egress of cluster/);
  });
});
