// Policy-pack benchmark, closer to the product than bench/rego.ts: the compliance policies
// (policies/mlspec plus representative modules in bench/fixtures/policy-pack) evaluated on the
// policy input of 600 system-environments, with one prepared query collecting every finding,
// next to the same checks written in TypeScript, in the same run. Inputs are the nine resolved
// example system-environments (specs/), varied so that some break each rule.
//   npm run build && node dist/bench/rego-policies.js [--no-write]
import { join } from 'node:path';
import { analyze } from '../compiler/pipeline/pipeline.js';
import { policyInput } from '../compiler/policy/input.js';
import { loadPolicyPaths, RegoEngine, toJS } from '../compiler/rego/engine.js';
import { repoRoot } from '../test/rego/conformance/harness.js';
import { writeSection } from './benchmarks-file.js';
import { median } from './percentile.js';
import { fmt, machine, round, sample } from './rego-stats.js';

const ROOT = repoRoot();
const PACK = ['policies', 'bench/fixtures/policy-pack'];
const QUERY = 'findings := {f | some name; f := data.mlspec[name].deny[_]}';
const SYSTEMS = 600;

/** A policy input: a JSON document, read loosely as the hand-written checks do. */
type Input = any;
interface Finding {
  readonly pointer: string;
  readonly msg: string;
}

/** The example inputs, varied: every 7th deploys an unapproved image, every 11th runs outside its
 * data residency, every 13th drifts too far, every 17th has an owner from elsewhere. */
async function makeInputs(): Promise<Input[]> {
  const analysis = await analyze(['specs'], { cwd: ROOT });
  const bases = analysis.resolved.map((s) => JSON.stringify(policyInput(s)));
  return Array.from({ length: SYSTEMS }, (_, i) => {
    const input = JSON.parse(bases[i % bases.length]!);
    input.system.name = `${input.system.name}-${i}`;
    if (i % 7 === 3) input.images.push({ image: `docker.io/library/python:3.${i % 12}`, pointer: '/serving/image' });
    if (i % 11 === 5) input.cluster.region = 'ap-south-1';
    if (i % 13 === 6) input.spec.monitoring.drift.threshold = 0.5;
    if (i % 17 === 8) input.spec.metadata.owners = [...(input.spec.metadata.owners ?? []), 'bob@example.com'];
    if (i % 19 === 9) delete input.spec.compliance.personalData.dpiaReference;
    return input;
  });
}

/** The same policies, by hand. */
function handWritten(input: Input): Finding[] {
  const out: Finding[] = [];
  const spec = input.spec;
  const residency: string[] = spec.compliance.dataResidency;
  // data_residency
  if (!residency.includes(input.cluster.region))
    out.push({
      pointer: `/environments/${input.system.environment}/cluster`,
      msg:
        `environment ${input.system.environment} runs in ${input.cluster.region}, outside the data residency ` +
        `of ${input.system.name} (${residency.join(', ')})`,
    });
  residency.forEach((region, i) => {
    if (!input.platform.regions.includes(region))
      out.push({ pointer: `/compliance/dataResidency/${i}`, msg: `region ${region} is not operated by the platform` });
  });
  // secure_images
  const registries: string[] = input.platform.registries;
  for (const use of input.images) {
    if (!registries.some((r) => use.image.startsWith(`${r.replace(/\/$/, '')}/`)))
      out.push({
        pointer: use.pointer,
        msg: `image ${use.image} is not from an approved registry (${registries.join(', ')})`,
      });
    if (input.cluster.requireImageDigest && !use.image.includes('@sha256:'))
      out.push({
        pointer: use.pointer,
        msg: `cluster ${input.cluster.name} requires images pinned by digest; ${use.image} is not`,
      });
  }
  // ownership
  const owners: string[] = spec.metadata.owners ?? [];
  if (owners.length === 0) out.push({ pointer: '/metadata/owners', msg: 'a system needs at least one owner' });
  if (!/^CC-[0-9]{4}$/.test(spec.metadata.costCenter ?? ''))
    out.push({ pointer: '/metadata/costCenter', msg: 'the cost center must look like CC-1234' });
  owners.forEach((owner, i) => {
    if (!owner.endsWith('@acme.io') && !owner.startsWith('group:'))
      out.push({ pointer: `/metadata/owners/${i}`, msg: `owner ${owner} is no acme.io address or group` });
  });
  // monitoring
  const mon = spec.monitoring;
  if (mon.drift.threshold > 0.3) out.push({ pointer: '/monitoring/drift/threshold', msg: 'drift threshold above 0.3' });
  if (!mon.alerts.runbookBaseUrl.startsWith('https://'))
    out.push({ pointer: '/monitoring/alerts/runbookBaseUrl', msg: 'runbooks must be served over https' });
  if (input.system.environment === 'prod' && mon.slos.errorRate > 0.01)
    out.push({ pointer: '/monitoring/slos/errorRate', msg: 'production error rate SLO above 1 %' });
  // personal_data
  const personal = spec.compliance.personalData;
  if (personal.processed && spec.compliance.dataClassification === 'restricted' && !personal.dpiaReference)
    out.push({ pointer: '/compliance/personalData/dpiaReference', msg: 'personal data needs a DPIA' });
  const days = Number(personal.retention.replace(/d$/, ''));
  if (personal.processed && days > 730)
    out.push({
      pointer: '/compliance/personalData/retention',
      msg: `retention of ${days} days exceeds two years`,
    });
  for (const [name, entity] of Object.entries<Input>(spec.features.entities)) {
    for (const [key, keySpec] of Object.entries<Input>(entity.joinKeys)) {
      if (keySpec.personalData && !['restricted', 'confidential'].includes(spec.compliance.dataClassification))
        out.push({
          pointer: `/features/entities/${name}/joinKeys/${key}`,
          msg: 'a personal join key needs a restricted or confidential classification',
        });
    }
  }
  // datasets
  const eu = residency.some((r) => r.startsWith('eu'));
  for (const [name, ds] of Object.entries<Input>(spec.training.datasets)) {
    if (!(ds.digest ?? '').startsWith('sha256:'))
      out.push({ pointer: `/training/datasets/${name}/digest`, msg: 'datasets must be pinned by sha256 digest' });
    if (eu && !ds.uri.includes('-eu'))
      out.push({ pointer: `/training/datasets/${name}/uri`, msg: `dataset ${name} is stored outside the EU` });
  }
  return out;
}

const inputs = await makeInputs();
const files = loadPolicyPaths(PACK, ROOT);
if (files.errors.length > 0) throw new Error(files.errors.map(String).join('\n'));
const engine = RegoEngine.load(files.modules, { data: files.data });
if (!engine.ok) throw new Error(engine.errors.map(String).join('\n'));
const prepared = engine.value.prepare(QUERY);
if (!prepared.ok) throw new Error(prepared.errors.map(String).join('\n'));
const query = prepared.value;

// Both must find the same findings on every input, or the comparison means nothing.
const key = (fs: readonly Finding[]) => fs.map((f) => `${f.pointer}\u0000${f.msg}`).sort();
let total = 0;
for (const input of inputs) {
  const out = query.evaluate(input, { strictBuiltinErrors: true });
  if (!out.ok) throw new Error(out.error.toString());
  const rego = toJS(out.results[0]!.bindings.findings!) as Finding[];
  const ts = handWritten(input);
  if (JSON.stringify(key(rego)) !== JSON.stringify(key([...new Map(ts.map((f) => [JSON.stringify(f), f])).values()])))
    throw new Error(`the Rego pack and the TypeScript checks disagree on ${input.system.name}`);
  total += rego.length;
}

const rounds = 7;
let next = 0;
const regoEval = () => {
  const out = query.evaluate(inputs[next++ % SYSTEMS], { strictBuiltinErrors: true });
  if (!out.ok) throw new Error(out.error.toString());
};
const tsEval = () => handWritten(inputs[next++ % SYSTEMS]);
for (let i = 0; i < 3 * SYSTEMS; i++) regoEval(), tsEval(); // warm-up
const regoSample = sample();
const tsSample = sample();
const passMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  next = 0;
  const start = performance.now();
  round(regoEval, SYSTEMS, regoSample);
  passMs.push(performance.now() - start);
  next = 0;
  round(tsEval, SYSTEMS * 20, tsSample);
}
const regoMs = median(regoSample.latencies);
const tsMs = median(tsSample.latencies);
const cpuRatio = median(regoSample.cpuMicros) / median(tsSample.cpuMicros);
const modules = files.modules.length;

const section = [
  '## Rego policy pack (bench/rego-policies.ts)',
  '',
  `The compliance policies (policies/mlspec and bench/fixtures/policy-pack: ${modules} modules, tests included) ` +
    `on the policy input of ${SYSTEMS} system-environments (the nine examples of specs/, varied; ${total} ` +
    `findings in all), with one prepared query collecting every \`deny\` finding, strict builtin errors on, ` +
    'against the same checks written in TypeScript, in the same run. Inputs passed as plain JS objects ' +
    `(conversion included). ${rounds} alternating rounds; medians.`,
  '',
  `- Machine: ${machine()}`,
  `- Rego engine: median ${regoMs.toFixed(3)} ms per evaluation, ${median(passMs).toFixed(0)} ms for all ` +
    `${SYSTEMS} (${fmt(median(regoSample.perSecond))} evaluations/s), ` +
    `${median(regoSample.cpuMicros).toFixed(1)} µs CPU per evaluation`,
  `- TypeScript: median ${tsMs.toFixed(4)} ms per evaluation, ${fmt(median(tsSample.perSecond))} evaluations/s, ` +
    `${median(tsSample.cpuMicros).toFixed(2)} µs CPU per evaluation`,
  `- Ratio: ${(regoMs / tsMs).toFixed(1)}x by median latency, ${cpuRatio.toFixed(1)}x by CPU time`,
  '',
  'The lead points PACK at the final pack in policies/ when it lands. Run: ' +
    '`npm run build && node dist/bench/rego-policies.js`',
  '',
].join('\n');

process.stdout.write(section);

if (!process.argv.includes('--no-write'))
  writeSection(join(ROOT, 'BENCHMARKS.md'), '## Rego policy pack (bench/rego-policies.ts)', section);
