// ManifestSets → the files of `out/`: one file per object, a kustomization per system and per
// environment, and the environment's namespaces. Pure: the same sets give the same bytes,
// whatever the machine, time zone, locale or input order.
//
//   out/<env>/kustomization.yaml            namespaces + every system folder
//   out/<env>/namespace-<ns>.yaml           one per namespace the environment's systems use
//   out/<env>/<kind>-[<ns>-]<name>.yaml      the accelerator quotas of those namespaces (and,
//                                           with Kueue, the queues and flavors), made by
//                                           render/namespace from what each system reported
//   out/<env>/<system>/kustomization.yaml   the system's objects, in output order
//   out/<env>/<system>/<kind>-<name>.yaml   one object
import { namespaceObject, type NamespaceUse as NamespaceFacts } from '../render/base/namespace.js';
import type { K8sObject, ManifestSet } from '../render/base/manifest-set.js';
import { toYaml } from '../render/base/yaml.js';
import { compareCodeUnits } from '../../core/compare.js';
import { GENERATED_HEADER, KUSTOMIZATION } from '../../core/generated-files.js';
import type { NamespaceQuotaUse } from '../render/namespace/quota-use.js';
import { namespaceObjects } from '../render/namespace/namespace-objects.js';

/** Relative `/`-separated path → file content, sorted by path. */
export type FileTree = ReadonlyMap<string, string>;

/** Namespace facts the environment level needs (not part of any one system), with its quotas. */
export interface NamespaceUse extends NamespaceFacts {
  /** The team's accelerator quota and the cluster's accelerators (render/namespace). */
  readonly quota: NamespaceQuotaUse;
}

/** `<kind>-<name>.yaml`: one file per object. */
export function fileNameOf(kind: string, name: string): string {
  return `${kind.toLowerCase()}-${name}.yaml`;
}

export function objectFileName(o: K8sObject): string {
  return fileNameOf(o.kind, o.metadata.name);
}

function header(source: string): string {
  return `${GENERATED_HEADER}${source}. Do not edit: change the spec and run \`mlspec compile\`.\n`;
}

function kustomization(resources: readonly string[], metadata?: Record<string, unknown>): string {
  return toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...(metadata ? { metadata } : {}),
    resources: [...resources],
  });
}

export interface LayoutInput {
  readonly set: ManifestSet;
  /** Spec file the system came from (for the header comment). */
  readonly source: string;
  readonly namespace: NamespaceUse;
}

/** One system's part of the output: its folder's files, and what the environment level needs. */
export interface SystemOutput {
  readonly environment: string;
  readonly system: string;
  readonly namespace: NamespaceUse;
  /** `[path, content]`, paths relative to `out/`. */
  readonly files: readonly (readonly [string, string])[];
  readonly objects: number;
}

/** The files of `out/<env>/<system>/`: one per object, then the kustomization listing them. */
export function systemOutput({ set, source, namespace }: LayoutInput): SystemOutput {
  const dir = `${set.environment}/${set.system}`;
  const files: [string, string][] = [];
  const names: string[] = [];
  for (const o of set.objects) {
    const name = objectFileName(o);
    files.push([`${dir}/${name}`, header(source) + toYaml(o)]);
    names.push(name);
  }
  // The system's lineage sits here, once: the objects carry only what each is made from.
  const annotations = Object.fromEntries(Object.entries(set.lineage).sort(([a], [b]) => compareCodeUnits(a, b)));
  const metadata = { name: set.system, annotations };
  files.push([`${dir}/${KUSTOMIZATION}`, header(source) + kustomization(names, metadata)]);
  return { environment: set.environment, system: set.system, namespace, files, objects: set.objects.length };
}

/** What the environment level needs of a system: where it goes and its namespace. */
export type SystemEntry = Pick<SystemOutput, 'environment' | 'system' | 'namespace'>;

/** An object of an environment's own (a Namespace, a quota), its file in the environment's folder. */
export interface EnvironmentObject {
  readonly file: string;
  readonly object: K8sObject;
  /** The systems whose namespace it is (or holds), sorted. */
  readonly systems: readonly string[];
}

/** Per environment (in order of first appearance): its systems, sorted, and its own objects. */
export type Environments = ReadonlyMap<string, { systems: SystemEntry[]; objects: EnvironmentObject[] }>;

export function environmentObjects(entries: readonly SystemEntry[]): Environments {
  const byEnv = new Map<string, { systems: SystemEntry[]; objects: EnvironmentObject[] }>();
  for (const e of entries) {
    const env = byEnv.get(e.environment);
    if (env) env.systems.push(e);
    else byEnv.set(e.environment, { systems: [e], objects: [] });
  }
  for (const env of byEnv.values()) {
    env.systems.sort((a, b) => compareCodeUnits(a.system, b.system));
    const namespaces = new Map<string, SystemEntry[]>();
    for (const s of env.systems)
      namespaces.set(s.namespace.namespace, [...(namespaces.get(s.namespace.namespace) ?? []), s]);
    const users = (ns: string | undefined) => (ns ? (namespaces.get(ns) ?? []) : env.systems).map((s) => s.system);
    for (const ns of [...namespaces.keys()].sort(compareCodeUnits)) {
      const object = namespaceObject(
        ns,
        namespaces.get(ns)!.map((s) => s.namespace),
      );
      env.objects.push({ file: `namespace-${ns}.yaml`, object, systems: users(ns) });
    }
    // Namespaced ones carry their namespace in the file name: every namespace has its own quota.
    for (const object of namespaceObjects(env.systems.map((s) => s.namespace.quota))) {
      const ns = object.metadata.namespace;
      const file = fileNameOf(object.kind, ns ? `${ns}-${object.metadata.name}` : object.metadata.name);
      env.objects.push({ file, object, systems: users(ns) });
    }
  }
  return byEnv;
}

/** Per environment: its namespaces and the kustomization listing them and every system folder. */
export function environmentFiles(environments: Environments): [string, string][] {
  const files: [string, string][] = [];
  for (const [env, { systems, objects }] of environments) {
    for (const o of objects) files.push([`${env}/${o.file}`, header('the platform config') + toYaml(o.object)]);
    files.push([
      `${env}/${KUSTOMIZATION}`,
      header('the specs') + kustomization([...objects.map((o) => o.file), ...systems.map((s) => s.system)]),
    ]);
  }
  return files;
}

/** Files as a tree sorted by path (a later file of the same path replaces an earlier one). */
export function assemble(files: Iterable<readonly [string, string]>): FileTree {
  const tree = new Map<string, string>();
  for (const [path, content] of files) tree.set(path, content);
  return new Map([...tree].sort(([a], [b]) => compareCodeUnits(a, b)));
}
