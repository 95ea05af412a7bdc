// The accelerator quotas of an environment, enforced by the cluster rather than only checked at
// compile time. They belong to a team namespace (or, for Kueue's ClusterQueues and flavors, to
// the cluster), not to any one system, so the environment level writes them beside the
// Namespaces (compiler/emit/layout.ts), once however many systems share the namespace.
//
//   ResourceQuota mlspec-accelerators    per team namespace: `requests.<resource>` for every
//                                        accelerator resource of the cluster. A MIG slice counts
//                                        under its own resource (`nvidia.com/mig-1g.10gb`); on
//                                        GKE, slices and whole GPUs share `nvidia.com/gpu`, so the
//                                        limit there is their sum (Kueue tells them apart)
//   ResourceFlavor <cluster>-<type>[-<mig>]  with Kueue: one per accelerator and MIG profile of
//                                        the cluster profile, by its node labels (two profiles
//                                        may label the same accelerator differently), plus
//                                        `<env>-default` for CPU and memory
//   ClusterQueue <team>-<env>            the team's `gpuQuota` and `migQuota` per flavor, and
//                                        room for its queued pods' CPU, memory and scratch
//   LocalQueue <team>-training           in each of the team's namespaces, feeding the ClusterQueue
//
// When one namespace holds systems of several teams, its ResourceQuota allows the sum of their
// quotas; when its systems run on several clusters, each resource gets the largest limit any of
// those clusters computes (one object is applied to all of them). A team whose systems of one
// environment run on two clusters with Kueue gets the flavors of both in its ClusterQueue.
import { compareCodeUnits } from '../../../core/compare.js';
import { LABEL, MANAGED_BY } from '../base/labels.js';
import type { K8sObject } from '../base/manifest-set.js';
import { canonicalObject } from '../base/synth.js';
import { clusterQueueName, KUEUE_API_VERSION, localQueueName } from '../base/kueue.js';
import { objectName, sanitize } from '../base/names.js';
import type { AcceleratorFlavor, NamespaceQuotaUse } from './quota-use.js';

export const RESOURCE_QUOTA_NAME = 'mlspec-accelerators';
const DEFAULT_FLAVOR = 'default';

const labelsOf = (environment: string, teams: readonly string[]) => ({
  [LABEL.managedBy]: MANAGED_BY,
  [LABEL.environment]: environment,
  ...(teams.length === 1 ? { [LABEL.team]: teams[0]! } : {}),
});

const quotaOf = (use: NamespaceQuotaUse, f: AcceleratorFlavor): number =>
  f.mig ? (use.quota.mig[f.type]?.[f.mig] ?? 0) : (use.quota.gpu[f.type] ?? 0);

export const flavorName = (cluster: string, f: Pick<AcceleratorFlavor, 'type' | 'mig'>): string =>
  objectName(cluster, f.type, ...(f.mig ? [sanitize(f.mig)] : []));

const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

/** Per resource, the sum of the quotas of the flavors that request it, for one team on one cluster. */
function teamLimits(use: NamespaceQuotaUse): Map<string, number> {
  const limits = new Map<string, number>();
  for (const f of use.flavors) limits.set(f.resource, (limits.get(f.resource) ?? 0) + quotaOf(use, f));
  return limits;
}

function resourceQuota(environment: string, namespace: string, uses: readonly NamespaceQuotaUse[]): K8sObject[] {
  // Each (cluster, team) once, however many of its systems share the namespace.
  const pairs = new Map(uses.map((u) => [JSON.stringify([u.cluster, u.team]), u]));
  const byCluster = new Map<string, Map<string, number>>();
  for (const use of pairs.values()) {
    const sum = byCluster.get(use.cluster) ?? new Map<string, number>();
    for (const [resource, n] of teamLimits(use)) sum.set(resource, (sum.get(resource) ?? 0) + n);
    byCluster.set(use.cluster, sum);
  }
  const hard = new Map<string, number>();
  for (const sums of byCluster.values())
    for (const [resource, n] of sums) hard.set(resource, Math.max(hard.get(resource) ?? 0, n));
  if (hard.size === 0) return [];
  return [
    canonicalObject({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: {
        name: RESOURCE_QUOTA_NAME,
        namespace,
        labels: labelsOf(environment, unique(uses.map((u) => u.team)).sort(compareCodeUnits)),
      },
      // Extended resources take only `requests.` quotas (they are never overcommitted).
      spec: { hard: Object.fromEntries([...hard].map(([resource, n]) => [`requests.${resource}`, String(n)])) },
    }),
  ];
}

function kueueObjects(environment: string, uses: readonly NamespaceQuotaUse[]): K8sObject[] {
  const queued = uses.filter((u) => u.kueue);
  if (queued.length === 0) return [];
  const objects: K8sObject[] = [];
  const flavors = new Map<string, AcceleratorFlavor>();
  for (const use of queued) for (const f of use.flavors) flavors.set(flavorName(use.cluster, f), f);
  const defaultFlavor = objectName(environment, DEFAULT_FLAVOR);
  for (const [name, f] of [...flavors].sort(([a], [b]) => compareCodeUnits(a, b)))
    objects.push(
      canonicalObject({
        apiVersion: KUEUE_API_VERSION,
        kind: 'ResourceFlavor',
        metadata: { name, labels: labelsOf(environment, []) },
        // Pods carry the accelerator's tolerations themselves; the labels pick the nodes.
        spec: { nodeLabels: { ...f.nodeLabels } },
      }),
    );
  objects.push(
    canonicalObject({
      apiVersion: KUEUE_API_VERSION,
      kind: 'ResourceFlavor',
      metadata: { name: defaultFlavor, labels: labelsOf(environment, []) },
      spec: {},
    }),
  );
  for (const team of unique(queued.map((u) => u.team)).sort(compareCodeUnits)) {
    const mine = queued.filter((u) => u.team === team);
    const namespaces = unique(mine.map((u) => u.namespace)).sort(compareCodeUnits);
    // One run per system at a time: the systems' queued footprints add up.
    const total = mine.reduce(
      (t, u) => ({
        cpu: t.cpu + u.queued.cpuMillis,
        memory: t.memory + u.queued.memoryMib,
        ephemeral: t.ephemeral + u.queued.ephemeralMib,
      }),
      { cpu: 0, memory: 0, ephemeral: 0 },
    );
    // Each flavor of each of the team's clusters once, with the quota the team has for it.
    const teamFlavors = new Map<string, { use: NamespaceQuotaUse; flavor: AcceleratorFlavor }>();
    for (const use of mine)
      for (const f of use.flavors) teamFlavors.set(flavorName(use.cluster, f), { use, flavor: f });
    const resources = unique([...teamFlavors.values()].map((t) => t.flavor.resource)).sort(compareCodeUnits);
    objects.push(
      canonicalObject({
        apiVersion: KUEUE_API_VERSION,
        kind: 'ClusterQueue',
        metadata: { name: clusterQueueName(team, environment), labels: labelsOf(environment, [team]) },
        spec: {
          namespaceSelector: {
            matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: namespaces }],
          },
          queueingStrategy: 'BestEffortFIFO',
          resourceGroups: [
            {
              coveredResources: ['cpu', 'memory', 'ephemeral-storage'],
              flavors: [
                {
                  name: defaultFlavor,
                  resources: [
                    { name: 'cpu', nominalQuota: `${total.cpu}m` },
                    { name: 'memory', nominalQuota: `${total.memory}Mi` },
                    { name: 'ephemeral-storage', nominalQuota: `${total.ephemeral}Mi` },
                  ],
                },
              ],
            },
            // One group per accelerator resource: a flavor belongs to one group only.
            ...resources.map((resource) => ({
              coveredResources: [resource],
              flavors: [...teamFlavors]
                .filter(([, t]) => t.flavor.resource === resource)
                .map(([name, t]) => ({
                  name,
                  resources: [{ name: resource, nominalQuota: String(quotaOf(t.use, t.flavor)) }],
                })),
            })),
          ],
        },
      }),
    );
    for (const namespace of namespaces)
      objects.push(
        canonicalObject({
          apiVersion: KUEUE_API_VERSION,
          kind: 'LocalQueue',
          metadata: { name: localQueueName(team), namespace, labels: labelsOf(environment, [team]) },
          spec: { clusterQueue: clusterQueueName(team, environment) },
        }),
      );
  }
  return objects;
}

/** The quota objects of one environment, from what its system-environments reported. */
export function namespaceObjects(uses: readonly NamespaceQuotaUse[]): K8sObject[] {
  const out: K8sObject[] = [];
  const environments = unique(uses.map((u) => u.environment)).sort(compareCodeUnits);
  for (const environment of environments) {
    const here = uses.filter((u) => u.environment === environment);
    for (const namespace of unique(here.map((u) => u.namespace)).sort(compareCodeUnits))
      out.push(
        ...resourceQuota(
          environment,
          namespace,
          here.filter((u) => u.namespace === namespace),
        ),
      );
    out.push(...kueueObjects(environment, here));
  }
  return out;
}
