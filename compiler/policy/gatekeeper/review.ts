// What a template's Rego sees: `input.review`, the admission request for creating the object (as
// Gatekeeper's webhook builds it), `input.parameters`, the constraint's parameters, and
// `data.inventory`, the objects Gatekeeper has synced from the cluster, laid out as
// `inventory.namespace[ns][apiVersion][kind][name]` and `inventory.cluster[apiVersion][kind][name]`.
import type { K8sObject } from '../../render/base/manifest-set.js';
import { groupOf } from './resources.js';

export function admissionReview(object: K8sObject): Record<string, unknown> {
  const version = object.apiVersion.includes('/') ? object.apiVersion.split('/')[1]! : object.apiVersion;
  return {
    kind: { group: groupOf(object.apiVersion), version, kind: object.kind },
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    operation: 'CREATE',
    object,
    dryRun: false,
  };
}

export type Inventory = {
  cluster: Record<string, Record<string, Record<string, K8sObject>>>;
  namespace: Record<string, Record<string, Record<string, Record<string, K8sObject>>>>;
};

export function inventoryOf(objects: readonly K8sObject[]): Inventory {
  const inventory: Inventory = { cluster: {}, namespace: {} };
  const at = <T>(node: Record<string, T>, key: string, empty: () => T): T => {
    if (!Object.hasOwn(node, key)) node[key] = empty();
    return node[key]!;
  };
  for (const o of objects) {
    const ns = o.metadata.namespace;
    const byVersion = ns ? at<Inventory['cluster']>(inventory.namespace, ns, () => ({})) : inventory.cluster;
    const byKind = at<Record<string, Record<string, K8sObject>>>(byVersion, o.apiVersion, () => ({}));
    at<Record<string, K8sObject>>(byKind, o.kind, () => ({}))[o.metadata.name] = o;
  }
  return inventory;
}
