// A constraint's `match`, with Gatekeeper's semantics: every criterion given must hold, a
// criterion not given holds. Namespace criteria use the object's namespace, or its own name when
// it is a Namespace; a cluster-scoped object (not a Namespace) cannot be excluded by them.
// Namespace and name patterns may glob at the front, the end or both (`kube-*`, `*-system`,
// `*team*`); `name` also matches an object created by `generateName` on that prefix.
import type { K8sObject } from '../../render/base/manifest-set.js';
import { groupOf, type LabelSelector, type Match } from './resources.js';

export type MatchResult = boolean | { readonly error: string };

export function matches(match: Match, object: K8sObject, namespace: K8sObject | undefined): MatchResult {
  const isNamespace = object.kind === 'Namespace' && groupOf(object.apiVersion) === '';
  const ns = isNamespace ? object.metadata.name : object.metadata.namespace;
  if (match.kinds && match.kinds.length > 0) {
    const group = groupOf(object.apiVersion);
    const any = (list: readonly string[] | undefined, value: string) =>
      !list || list.length === 0 || list.includes('*') || list.includes(value);
    if (!match.kinds.some((k) => any(k.kinds, object.kind) && any(k.apiGroups, group))) return false;
  }
  const namespaced = !isNamespace && ns !== undefined && ns !== '';
  if (match.scope === 'Cluster' && namespaced) return false;
  if (match.scope === 'Namespaced' && !namespaced) return false;
  if (ns && match.namespaces && match.namespaces.length > 0 && !match.namespaces.some((p) => glob(p, ns))) return false;
  if (ns && match.excludedNamespaces?.some((p) => glob(p, ns))) return false;
  if (match.labelSelector && !selects(match.labelSelector, object.metadata.labels ?? {})) return false;
  if (match.namespaceSelector && (isNamespace || namespaced)) {
    const labels = isNamespace ? object.metadata.labels : namespace?.metadata.labels;
    if (!isNamespace && !namespace)
      return { error: `the namespaceSelector needs the Namespace ${ns}, which is not rendered` };
    if (!selects(match.namespaceSelector, labels ?? {})) return false;
  }
  if (match.name && !glob(match.name, object.metadata.name) && !globPrefix(match.name, generateName(object)))
    return false;
  return true;
}

/** Gatekeeper's wildcard: an asterisk at the front, the end or both, or an exact name. */
export function glob(pattern: string, value: string): boolean {
  if (pattern.length > 1 && pattern.startsWith('*') && pattern.endsWith('*'))
    return value.includes(pattern.slice(1, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

/**
 * A name pattern against a `generateName`: only what the prefix can decide (a glob at the end
 * or both ends); the rest of the name is not known yet.
 */
function globPrefix(pattern: string, prefix: string | undefined): boolean {
  if (!prefix) return false;
  if (pattern.length > 1 && pattern.startsWith('*') && pattern.endsWith('*'))
    return prefix.includes(pattern.slice(1, -1));
  return pattern.endsWith('*') && prefix.startsWith(pattern.slice(0, -1));
}

const generateName = (o: K8sObject): string | undefined => {
  const g = (o.metadata as { generateName?: unknown }).generateName;
  return typeof g === 'string' ? g : undefined;
};

/** A Kubernetes label selector: matchLabels and every expression, ANDed. */
export function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const ok =
      e.operator === 'In'
        ? has && (e.values ?? []).includes(labels[e.key]!)
        : e.operator === 'NotIn'
          ? !has || !(e.values ?? []).includes(labels[e.key]!)
          : e.operator === 'Exists'
            ? has
            : !has;
    if (!ok) return false;
  }
  return true;
}
