// A system at a glance, as a Mermaid flowchart for the pull-request review: features → training
// → model → serving tiers and variants → rollout.
import type { ResolvedSystem } from '../resolve/resolved.js';

const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
const label = (s: string) => s.replace(/["\n]/g, "'");

export function systemDiagram(system: ResolvedSystem): string {
  const spec = system.spec;
  const lines = ['flowchart LR'];
  const views = Object.keys(spec.features.views).sort();
  if (views.length > 0) {
    lines.push('  subgraph features[Features]');
    for (const v of views) lines.push(`    view_${id(v)}["${label(v)}"]`);
    lines.push('  end');
  }
  const datasets = Object.keys(spec.training.datasets).sort();
  lines.push('  subgraph training[Training]');
  for (const d of datasets) lines.push(`    ds_${id(d)}[("${label(`${d}@${spec.training.datasets[d]!.version}`)}")]`);
  lines.push('    pipeline["preprocess → train → validate → gate → register"]');
  lines.push('  end');
  lines.push(`  model{{"${label(`${spec.model.name} ${spec.model.version}`)}"}}`);
  for (const v of views) lines.push(`  view_${id(v)} --> pipeline`);
  for (const d of datasets) lines.push(`  ds_${id(d)} --> pipeline`);
  lines.push('  pipeline --> model');
  lines.push('  subgraph serving[Serving]');
  const tiers = Object.keys(spec.serving.tiers).sort();
  for (const t of tiers) {
    const accel = system.placement.tiers[t];
    lines.push(`    tier_${id(t)}["${label(`${t}${accel ? ` (${accel.count}× ${accel.accelerator})` : ''}`)}"]`);
  }
  lines.push('  end');
  for (const v of system.variants) {
    lines.push(`  var_${id(v.name)}(["${label(`${v.name} ${v.version} · ${v.role} ${v.weight}%`)}"])`);
    lines.push(`  model -.-> var_${id(v.name)}`);
    for (const t of tiers) lines.push(`  var_${id(v.name)} --> tier_${id(t)}`);
  }
  const strategy = spec.rollout?.strategy ?? 'single release';
  lines.push(`  rollout>"rollout: ${label(strategy)} (${label(system.environment)})"]`);
  for (const t of tiers) lines.push(`  tier_${id(t)} --- rollout`);
  return lines.join('\n');
}
