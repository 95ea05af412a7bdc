// Rego engine benchmark: a prepared query evaluating "every container has resource limits and
// comes from an approved registry" over 50 Deployments, next to the same check written in
// TypeScript (the floor), in the same run. Reports evaluations per second and the median
// latency of each, and writes the "Rego engine" section of BENCHMARKS.md.
//   npm run build && node dist/bench/rego.js [--no-write]
import { join } from 'node:path';
import { RegoEngine, toJS } from '../compiler/rego/engine.js';
import { repoRoot } from '../test/rego/conformance/harness.js';
import { writeSection } from './benchmarks-file.js';
import { median } from './percentile.js';
import { fmt, machine, round, sample } from './rego-stats.js';

const POLICY = `package k8s

import rego.v1

approved_registries := ["registry.example.com/", "gcr.io/acme/"]

violations contains msg if {
	some obj in input.objects
	some c in obj.spec.template.spec.containers
	not c.resources.limits.cpu
	msg := sprintf("%s/%s: container %s has no cpu limit", [obj.metadata.namespace, obj.metadata.name, c.name])
}

violations contains msg if {
	some obj in input.objects
	some c in obj.spec.template.spec.containers
	not c.resources.limits.memory
	msg := sprintf("%s/%s: container %s has no memory limit", [obj.metadata.namespace, obj.metadata.name, c.name])
}

violations contains msg if {
	some obj in input.objects
	some c in obj.spec.template.spec.containers
	not approved(c.image)
	msg := sprintf(
		"%s/%s: container %s uses unapproved image %s",
		[obj.metadata.namespace, obj.metadata.name, c.name, c.image],
	)
}

approved(image) if {
	some prefix in approved_registries
	startswith(image, prefix)
}
`;

interface Container {
  name: string;
  image: string;
  resources: { limits?: { cpu?: string; memory?: string }; requests?: Record<string, string> };
}

/** 50 Deployments with two containers each; every 10th breaks one of the rules. */
function makeInput(): { objects: unknown[] } {
  const objects = [];
  for (let i = 0; i < 50; i++) {
    const containers: Container[] = [
      {
        name: 'app',
        image: `registry.example.com/team/app-${i}:1.${i}`,
        resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
      },
      { name: 'sidecar', image: 'gcr.io/acme/proxy:2.1', resources: { limits: { cpu: '100m', memory: '64Mi' } } },
    ];
    if (i % 10 === 3) delete containers[0]!.resources.limits!.memory;
    if (i % 10 === 7) containers[1]!.image = 'docker.io/library/nginx:latest';
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: `svc-${i}`,
        namespace: `team-${i % 5}`,
        labels: { app: `svc-${i}`, tier: i % 2 ? 'web' : 'worker' },
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: `svc-${i}` } },
        template: { metadata: { labels: { app: `svc-${i}` } }, spec: { serviceAccountName: 'default', containers } },
      },
    });
  }
  return { objects };
}

/** The same check, by hand. */
function handWritten(input: { objects: any[] }): Set<string> {
  const approved = ['registry.example.com/', 'gcr.io/acme/'];
  const out = new Set<string>();
  for (const obj of input.objects) {
    const where = `${obj.metadata.namespace}/${obj.metadata.name}`;
    for (const c of obj.spec?.template?.spec?.containers ?? []) {
      if (!c.resources?.limits?.cpu) out.add(`${where}: container ${c.name} has no cpu limit`);
      if (!c.resources?.limits?.memory) out.add(`${where}: container ${c.name} has no memory limit`);
      if (!approved.some((p) => typeof c.image === 'string' && c.image.startsWith(p)))
        out.add(`${where}: container ${c.name} uses unapproved image ${c.image}`);
    }
  }
  return out;
}

const input = makeInput();
const engine = RegoEngine.load([{ file: 'k8s.rego', source: POLICY }]);
if (!engine.ok) throw new Error(engine.errors.map(String).join('\n'));
const prepared = engine.value.prepare('data.k8s.violations');
if (!prepared.ok) throw new Error(prepared.errors.map(String).join('\n'));
const query = prepared.value;

// Both must find the same violations, or the comparison means nothing.
const check = query.evaluate(input);
if (!check.ok) throw new Error(check.error.toString());
const regoList = toJS(check.results[0]!.expressions[0]!.value) as string[];
const tsSet = handWritten(input);
if (regoList.length !== tsSet.size || !regoList.every((v) => tsSet.has(v)))
  throw new Error('the Rego policy and the TypeScript check disagree');

// Rounds alternate between the two, so load on the machine affects both alike.
const rounds = 9;
const regoEval = () => {
  const out = query.evaluate(input);
  if (!out.ok) throw new Error(out.error.toString());
};
const tsEval = () => handWritten(input);
for (let i = 0; i < 2000; i++) regoEval(), tsEval(); // warm-up
const regoSample = sample();
const tsSample = sample();
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  round(regoEval, 1000, regoSample);
  round(tsEval, 20000, tsSample);
  ratios.push(tsSample.perSecond[r]! / regoSample.perSecond[r]!);
}
const rego = { perSecond: median(regoSample.perSecond), medianMs: median(regoSample.latencies) };
const ts = { perSecond: median(tsSample.perSecond), medianMs: median(tsSample.latencies) };
const ratio = median(ratios);
const cpuRatio = median(regoSample.cpuMicros) / median(tsSample.cpuMicros);
const latencyRatio = (rego.medianMs / ts.medianMs).toFixed(1);
const section = [
  '## Rego engine (bench/rego.ts)',
  '',
  'Prepared query `data.k8s.violations`: every container has cpu and memory limits and comes from an approved ' +
    `registry, over 50 Deployments (100 containers, ${tsSet.size} violations), against the same check written ` +
    'directly in TypeScript, in the same run. Input passed as a plain JS object on every evaluation (conversion ' +
    `included). ${rounds} alternating rounds (1,000 engine and 20,000 TypeScript evaluations each); medians.`,
  '',
  `- Machine: ${machine()}`,
  `- Rego engine: ${fmt(rego.perSecond)} evaluations/s, median latency ${rego.medianMs.toFixed(3)} ms, ` +
    `${median(regoSample.cpuMicros).toFixed(1)} µs CPU per evaluation`,
  `- TypeScript: ${fmt(ts.perSecond)} evaluations/s, median latency ${ts.medianMs.toFixed(4)} ms, ` +
    `${median(tsSample.cpuMicros).toFixed(2)} µs CPU per evaluation`,
  `- Ratio: the engine is ${ratio.toFixed(1)}x slower than the hand-written check (median of per-round ` +
    `throughput ratios; ${latencyRatio}x by median latency, ${cpuRatio.toFixed(1)}x by CPU time). Target: within 5x`,
  '',
  'Run: `npm run build && node dist/bench/rego.js`',
  '',
].join('\n');

process.stdout.write(section);

if (!process.argv.includes('--no-write'))
  writeSection(join(repoRoot(), 'BENCHMARKS.md'), '## Rego engine (bench/rego.ts)', section);
