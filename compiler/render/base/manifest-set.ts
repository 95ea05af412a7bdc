// The render stage's output: every Kubernetes object of one system in one environment, as
// plain JSON in a fixed order. Emit turns it into files; tests validate it object by object.
import { compareCodeUnits } from '../../../core/compare.js';

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One rendered object: keys sorted, `apiVersion`, `kind`, `metadata` first. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

export interface ManifestSet {
  readonly environment: string;
  readonly system: string;
  readonly namespace: string;
  /** Sorted by `compareObjects`. */
  readonly objects: readonly K8sObject[];
  /** For each object, the JSON pointer into the spec it is made from. */
  readonly sources: readonly string[];
  /** The system-environment's lineage (spec digest, datasets, model, commit): on its kustomization. */
  readonly lineage: Readonly<Record<string, string>>;
}

/**
 * Output order: what others depend on comes first (identity, policy, config, then workloads,
 * then what watches them), so a reader meets each object before the objects that use it.
 * Kinds not listed follow, alphabetically.
 */
export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'NetworkPolicy',
  'PeerAuthentication',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'Service',
  'Deployment',
  'Rollout',
  'StatefulSet',
  'Job',
  'CronJob',
  'WorkflowTemplate',
  'CronWorkflow',
  'HorizontalPodAutoscaler',
  'ScaledObject',
  'ScaledJob',
  'PodDisruptionBudget',
  'AnalysisTemplate',
  'ServiceMonitor',
  'PodMonitor',
  'PrometheusRule',
];

const rank = new Map(KIND_ORDER.map((k, i) => [k, i]));

/** Kind order, then kind name (for unlisted kinds), then namespace and name. Locale-independent. */
export function compareObjects(a: K8sObject, b: K8sObject): number {
  return (
    (rank.get(a.kind) ?? KIND_ORDER.length) - (rank.get(b.kind) ?? KIND_ORDER.length) ||
    compareCodeUnits(a.kind, b.kind) ||
    compareCodeUnits(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    compareCodeUnits(a.metadata.name, b.metadata.name)
  );
}
