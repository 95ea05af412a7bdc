// Labels and lineage annotations. Labels say what an object is and whose it is (for selectors,
// cost reports and policies); annotations say where it came from (spec file and digest,
// datasets, model, commit). Every object gets both; synthesis checks it.
import { joinPointer } from '../../../core/json-pointer.js';
import type { ResolvedSystem } from '../../resolve/resolved.js';

export const LABEL = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  system: 'mlspec.io/system',
  team: 'mlspec.io/team',
  environment: 'mlspec.io/environment',
  mlComponent: 'mlspec.io/component',
  tier: 'mlspec.io/tier',
} as const;

export const ANNOTATION = {
  specFile: 'mlspec.io/spec-file',
  specDigest: 'mlspec.io/spec-digest',
  datasets: 'mlspec.io/dataset-versions',
  modelVersion: 'mlspec.io/model-version',
  modelDigest: 'mlspec.io/model-digest',
  gitCommit: 'mlspec.io/git-commit',
  /** On pod templates: changes when the set of model files changes, so pods re-fetch them. */
  modelsDigest: 'mlspec.io/models-digest',
} as const;

export const MANAGED_BY = 'mlspec';

/**
 * What an object is part of. `component` is the concept (`serving`, `training`, `features`,
 * `monitoring`, `network`); `workload` names the workload the object belongs to, or the
 * system for system-wide objects.
 */
export interface ObjectRole {
  readonly component: string;
  readonly workload: string;
  readonly tier?: string;
  /**
   * JSON pointer to the part of the spec the object is made from (for findings and errors about
   * the object); by default the tier, else the component's section of the spec.
   */
  readonly source?: string;
}

const COMPONENT_SECTIONS: Readonly<Record<string, string>> = {
  serving: '/serving',
  'serving-preview': '/rollout',
  features: '/features',
  training: '/training',
  monitoring: '/monitoring',
};

/** Where in the spec an object of this role comes from. */
export function roleSource(role: ObjectRole): string {
  if (role.source !== undefined) return role.source;
  if (role.tier !== undefined) return joinPointer('/serving/tiers', role.tier);
  return COMPONENT_SECTIONS[role.component] ?? '';
}

/** Labels shared by every object of the system. User labels first, so ours win. */
export function systemLabels(s: ResolvedSystem): Record<string, string> {
  return {
    ...(s.spec.metadata.labels ?? {}),
    [LABEL.instance]: `${s.name}-${s.environment}`.slice(0, 63).replace(/-+$/, ''),
    [LABEL.partOf]: s.name,
    [LABEL.managedBy]: MANAGED_BY,
    [LABEL.system]: s.name,
    [LABEL.team]: s.team,
    [LABEL.environment]: s.environment,
  };
}

export function objectLabels(s: ResolvedSystem, role: ObjectRole): Record<string, string> {
  return roleLabels(systemLabels(s), role);
}

/** `objectLabels` from precomputed system labels (a context computes them once). */
export function roleLabels(system: Readonly<Record<string, string>>, role: ObjectRole): Record<string, string> {
  return {
    ...system,
    [LABEL.name]: role.workload,
    [LABEL.component]: role.component,
    [LABEL.mlComponent]: role.component,
    ...(role.tier ? { [LABEL.tier]: role.tier } : {}),
  };
}

/**
 * The labels a workload's selector matches. Kept minimal and free of values that change
 * (a selector is immutable): the system and the workload name.
 */
export function selectorLabels(s: ResolvedSystem, workload: string): Record<string, string> {
  return { [LABEL.system]: s.name, [LABEL.name]: workload };
}

/** `name@version` per dataset, sorted: `chargebacks@2026-11-01,transactions@2026-11-01`. */
export function datasetVersions(s: ResolvedSystem): string {
  return Object.keys(s.spec.training.datasets)
    .sort()
    .map((name) => `${name}@${s.spec.training.datasets[name]!.version}`)
    .join(',');
}

export interface LineageOptions {
  /**
   * Commit the output is built from. Only when given explicitly (`--git-commit`,
   * `MLSPEC_GIT_COMMIT`): `out/` is committed in the same commit it would name, so a commit
   * read from the work tree would make every compile differ and `--check` always fail.
   */
  readonly gitCommit?: string;
}

/**
 * An object's lineage: only what the object is made from, so that a change to the spec touches
 * the objects that depend on it and no others. Every object names its spec file; training
 * objects the dataset versions; serving objects the model. The digest of the whole spec and the
 * commit are the system's (`systemLineage`, on its kustomization), not every object's.
 */
export function objectLineage(s: ResolvedSystem, component: string): Record<string, string> {
  return {
    [ANNOTATION.specFile]: s.source.file,
    ...(component === 'training' ? { [ANNOTATION.datasets]: datasetVersions(s) } : {}),
    ...(component === 'serving' || component === 'serving-preview'
      ? {
          [ANNOTATION.modelVersion]: s.spec.model.version,
          [ANNOTATION.modelDigest]: `sha256:${s.spec.model.artifact.sha256}`,
        }
      : {}),
  };
}

/** The system-environment's lineage as a whole: spec digest, datasets, model and (when given) commit. */
export function systemLineage(s: ResolvedSystem, options: LineageOptions): Record<string, string> {
  return {
    [ANNOTATION.specFile]: s.source.file,
    [ANNOTATION.specDigest]: `sha256:${s.source.specDigest}`,
    [ANNOTATION.datasets]: datasetVersions(s),
    [ANNOTATION.modelVersion]: s.spec.model.version,
    [ANNOTATION.modelDigest]: `sha256:${s.spec.model.artifact.sha256}`,
    ...(options.gitCommit ? { [ANNOTATION.gitCommit]: options.gitCommit } : {}),
  };
}
