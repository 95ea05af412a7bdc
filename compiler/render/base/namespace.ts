// The Namespace of a system-environment, as out/ writes it once per environment (emit) and as
// the policy stage sees it (a constraint's namespaceSelector is matched against its labels).
import { compareCodeUnits } from '../../../core/compare.js';
import { LABEL, MANAGED_BY, NAMESPACE_ANNOTATIONS } from './labels.js';
import type { ResolvedSystem } from '../../resolve/resolved.js';
import type { K8sObject } from './manifest-set.js';

/** Namespace facts the environment level needs (not part of any one system). */
export interface NamespaceUse {
  readonly environment: string;
  readonly namespace: string;
  readonly team: string;
  /** The system's cluster runs Istio: the namespace gets sidecar injection. */
  readonly istio: boolean;
}

/**
 * A namespace shared by several systems is written once per environment. Its labels make the
 * API server enforce the restricted Pod Security Standard on everything in it.
 */
export function namespaceObject(name: string, uses: readonly NamespaceUse[]): K8sObject {
  const teams = [...new Set(uses.map((u) => u.team))].sort(compareCodeUnits);
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      // Out-of-band Secrets live in the namespace: Argo CD and Flux must never prune it, even
      // when a team's last system is removed.
      annotations: { ...NAMESPACE_ANNOTATIONS },
      labels: {
        [LABEL.managedBy]: MANAGED_BY,
        [LABEL.environment]: uses[0]!.environment,
        ...(teams.length === 1 ? { [LABEL.team]: teams[0] } : {}),
        ...(uses.some((u) => u.istio) ? { 'istio-injection': 'enabled' } : {}),
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  };
}

/** What the environment level needs to know of a system's namespace. */
export function namespaceUse(system: ResolvedSystem): NamespaceUse {
  return {
    environment: system.environment,
    namespace: system.namespace,
    team: system.team,
    istio: system.cluster.components.istio,
  };
}
