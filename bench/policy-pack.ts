// Policy pack benchmark: the whole pack (policies/) evaluated, the way the policy stage runs it,
// over the nine example system-environments and their rendered objects, against rendering the
// same system-environments (the render stage) in the same run. Reports the median time of one
// evaluation and of the nine, wall and CPU, and the ratio to render; writes the "Policy pack"
// section of BENCHMARKS.md.
//   npm run build && node dist/bench/policy-pack.js [--no-write]
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../compiler/pipeline/pipeline.js';
import { policyInput } from '../compiler/policy/input.js';
import { renderSystem } from '../compiler/render/system.js';
import { evaluateInput, pack, ROOT } from '../test/policy/pack-helpers.js';
import { writeSection } from './benchmarks-file.js';
import { percentile } from './percentile.js';

const analysis = await analyze(['specs'], { cwd: ROOT });
const systems = analysis.resolved;
if (systems.length !== 9) throw new Error(`expected the 9 example system-environments, got ${systems.length}`);
pack();
const inputs = systems.map((s) => policyInput(s, renderSystem(s).objects));

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

function time(f: () => void): Timing {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  f();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const WARM_UP_ROUNDS = 20;
const ROUNDS = 15;
const loadStart = loadavg()[0]!;
for (let r = 0; r < WARM_UP_ROUNDS; r++)
  for (let i = 0; i < systems.length; i++) {
    renderSystem(systems[i]!);
    evaluateInput(inputs[i]);
  }

// Each round renders and evaluates every system-environment, alternating, so load on the
// machine affects both alike.
const evaluations: Timing[] = [];
const renders: Timing[] = [];
const packRounds: Timing[] = [];
const renderRounds: Timing[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const roundEval = { wallMs: 0, cpuMs: 0 };
  const roundRender = { wallMs: 0, cpuMs: 0 };
  for (let i = 0; i < systems.length; i++) {
    const rendered = time(() => renderSystem(systems[i]!));
    const evaluated = time(() => evaluateInput(inputs[i]));
    renders.push(rendered);
    evaluations.push(evaluated);
    for (const [sum, t] of [
      [roundRender, rendered],
      [roundEval, evaluated],
    ] as const) {
      sum.wallMs += t.wallMs;
      sum.cpuMs += t.cpuMs;
    }
  }
  packRounds.push(roundEval);
  renderRounds.push(roundRender);
}

const median = (ts: readonly Timing[], key: keyof Timing) =>
  percentile(
    [...ts.map((t) => t[key])].sort((a, b) => a - b),
    50,
  );
const ms = (n: number) => `${n.toFixed(1)} ms`;
const date = new Date().toISOString().slice(0, 10);
const cpu = cpus()[0]?.model ?? 'unknown';

const section = `## Policy pack (bench/policy-pack.ts)

The whole pack (${pack().engine.policy.modules.filter((m) => m.pkg[0] === 'mlspec' && !m.pkg.at(-1)!.endsWith('_test') && m.pkg[1] !== 'lib').length} policies, one query for every deny, warn and info finding, builtin errors strict) over the 9 example system-environments with their rendered objects, input passed as plain JS on every evaluation; against rendering the same system-environments (\`renderSystem\`), alternating, in the same run. ${WARM_UP_ROUNDS} warm-up rounds, then ${ROUNDS} rounds; medians.

- Machine: ${availableParallelism()} CPUs, ${cpu}, Node ${process.version}; load average (1 min) ${loadStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end (shared machine); ${date}
- One evaluation of the pack: ${ms(median(evaluations, 'wallMs'))} wall, ${ms(median(evaluations, 'cpuMs'))} CPU (p90 ${ms(
  percentile(
    [...evaluations.map((t) => t.wallMs)].sort((a, b) => a - b),
    90,
  ),
)} wall)
- The 9 system-environments: ${ms(median(packRounds, 'wallMs'))} wall, ${ms(median(packRounds, 'cpuMs'))} CPU per round; rendering them: ${ms(median(renderRounds, 'wallMs'))} wall, ${ms(median(renderRounds, 'cpuMs'))} CPU
- Ratio: evaluating the pack costs ${(median(packRounds, 'cpuMs') / median(renderRounds, 'cpuMs')).toFixed(2)}x the render stage's CPU time (${(median(packRounds, 'wallMs') / median(renderRounds, 'wallMs')).toFixed(2)}x wall). Compile does more than render (load, validate, resolve, emit), so against compile the share is smaller; target: the policy stage adds at most half to compile (\`check\` ≤ 1.5x \`compile\`)

Run: \`npm run build && node dist/bench/policy-pack.js\`
`;

process.stdout.write(section);
if (!process.argv.includes('--no-write'))
  writeSection(join(ROOT, 'BENCHMARKS.md'), '## Policy pack (bench/policy-pack.ts)', section);
