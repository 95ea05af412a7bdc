// The lineage of a deployment: datasets (versions and digests) → feature views → training
// (images, validation gates) → model (version, digest) → serving tiers and variants → the
// rendered objects (file and digest), for one system in each environment. Built from the same
// functions that write the lineage annotations (render/base/labels.ts), so the command and the
// annotations in out/ cannot disagree.
import { sha256Hex } from '../../core/hash.js';
import type { FileTree } from '../emit/layout.js';
import { ANNOTATION, datasetVersions } from '../render/base/labels.js';
import { TRAINING_STEPS, type ResolvedSystem } from '../resolve/resolved.js';

export interface EnvironmentLineage {
  readonly environment: string;
  readonly cluster: string;
  readonly specFile: string;
  readonly specDigest: string;
  readonly datasets: readonly { name: string; uri: string; version: string; digest: string }[];
  /** `name@version,...` exactly as in the `mlspec.io/dataset-versions` annotation. */
  readonly datasetVersions: string;
  readonly featureViews: readonly { name: string; entities: readonly string[]; online: boolean }[];
  readonly training: {
    readonly steps: readonly { step: string; image: string }[];
    readonly validationGates: Readonly<Record<string, { min?: number; max?: number }>>;
  };
  readonly model: { readonly name: string; readonly version: string; readonly digest: string; readonly uri: string };
  readonly serving: {
    readonly tiers: readonly string[];
    readonly variants: readonly { name: string; role: string; version: string; digest: string; weight: number }[];
    readonly strategy: string;
  };
  /** Every file compile writes for this system-environment, with its sha256. */
  readonly objects: readonly { file: string; sha256: string }[];
}

export interface Lineage {
  readonly system: string;
  readonly team: string;
  readonly environments: readonly EnvironmentLineage[];
}

export function environmentLineage(system: ResolvedSystem, files: FileTree, outShown: string): EnvironmentLineage {
  const spec = system.spec;
  const prefix = `${system.environment}/${system.name}/`;
  return {
    environment: system.environment,
    cluster: system.cluster.name,
    specFile: system.source.recordedFile,
    specDigest: `sha256:${system.source.specDigest}`,
    datasets: Object.keys(spec.training.datasets)
      .sort()
      .map((name) => {
        const d = spec.training.datasets[name]!;
        return { name, uri: d.uri, version: d.version, digest: d.digest };
      }),
    datasetVersions: datasetVersions(system),
    featureViews: Object.keys(spec.features.views)
      .sort()
      .map((name) => {
        const v = spec.features.views[name]!;
        return { name, entities: [...v.entities], online: v.online };
      }),
    training: {
      steps: TRAINING_STEPS.map((step) => ({ step, image: spec.training.pipeline[step].image })),
      validationGates: spec.training.validationGates,
    },
    model: {
      name: spec.model.name,
      version: spec.model.version,
      digest: `sha256:${spec.model.artifact.sha256}`,
      uri: spec.model.artifact.uri,
    },
    serving: {
      tiers: Object.keys(spec.serving.tiers).sort(),
      variants: system.variants.map((v) => ({
        name: v.name,
        role: v.role,
        version: v.version,
        digest: `sha256:${v.artifact.sha256}`,
        weight: v.weight,
      })),
      strategy: spec.rollout?.strategy ?? 'single',
    },
    objects: [...files.entries()]
      .filter(([path]) => path.startsWith(prefix))
      .map(([path, content]) => ({ file: `${outShown}/${path}`, sha256: sha256Hex(content) })),
  };
}

/** The annotations the lineage promises on the system's kustomization (what a test compares). */
export function expectedSystemAnnotations(e: EnvironmentLineage): Record<string, string> {
  return {
    [ANNOTATION.specFile]: e.specFile,
    [ANNOTATION.specDigest]: e.specDigest,
    [ANNOTATION.datasets]: e.datasetVersions,
    [ANNOTATION.modelVersion]: e.model.version,
    [ANNOTATION.modelDigest]: e.model.digest,
  };
}

export function lineageText(l: Lineage): string {
  const out = [`${l.system} (team ${l.team})`];
  for (const e of l.environments) {
    out.push(``, `${e.environment} (cluster ${e.cluster}; ${e.specFile}, ${e.specDigest})`);
    for (const d of e.datasets) out.push(`  dataset   ${d.name}@${d.version} ${d.digest} ${d.uri}`);
    for (const v of e.featureViews)
      out.push(`  features  ${v.name} (${v.entities.join(', ')})${v.online ? ' online' : ''}`);
    for (const s of e.training.steps) out.push(`  training  ${s.step}: ${s.image}`);
    const gates = Object.entries(e.training.validationGates).map(([k, b]) => `${k} ${JSON.stringify(b)}`);
    if (gates.length) out.push(`  gates     ${gates.join(', ')}`);
    out.push(`  model     ${e.model.name} ${e.model.version} ${e.model.digest}`);
    for (const v of e.serving.variants)
      out.push(`  variant   ${v.name} (${v.role}, ${v.weight}%) ${v.version} ${v.digest}`);
    out.push(`  serving   ${e.serving.tiers.join(', ')} (${e.serving.strategy})`);
    for (const o of e.objects) out.push(`  object    ${o.file} sha256:${o.sha256}`);
  }
  return `${out.join('\n')}\n`;
}

const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');

export function lineageMermaid(l: Lineage): string {
  const out = ['flowchart LR'];
  for (const e of l.environments) {
    const p = id(e.environment);
    out.push(`  subgraph ${p}[${e.environment}]`);
    for (const d of e.datasets) out.push(`    ${p}_ds_${id(d.name)}[("${d.name}@${d.version}")]`);
    for (const v of e.featureViews) out.push(`    ${p}_fv_${id(v.name)}["${v.name}"]`);
    const gates = Object.keys(e.training.validationGates).length;
    out.push(`    ${p}_train["training (${e.training.steps.length} steps, ${gates} gates)"]`);
    out.push(`    ${p}_model{{"${e.model.name} ${e.model.version}"}}`);
    for (const t of e.serving.tiers) out.push(`    ${p}_tier_${id(t)}["${t}"]`);
    out.push(`    ${p}_objects[/"${e.objects.length} objects in out/"/]`);
    for (const d of e.datasets) out.push(`    ${p}_ds_${id(d.name)} --> ${p}_train`);
    for (const v of e.featureViews) out.push(`    ${p}_fv_${id(v.name)} --> ${p}_train`);
    out.push(`    ${p}_train --> ${p}_model`);
    for (const t of e.serving.tiers) out.push(`    ${p}_model --> ${p}_tier_${id(t)} --> ${p}_objects`);
    out.push('  end');
  }
  return `${out.join('\n')}\n`;
}
