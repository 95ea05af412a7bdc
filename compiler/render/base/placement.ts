// Accelerator placement: a pod that requests GPUs gets the cluster profile's node selector,
// tolerations and the extended resource (`nvidia.com/gpu`, `nvidia.com/mig-1g.10gb`) in its
// container's requests and limits. Pods without a Placement get none of it.
//
// cdk8s-plus has tolerations (used) but neither nodeSelector nor extended resources, so those
// two go through JSON patches on the underlying object. The patches are applied before the
// generated k8s types serialise the object, and those read quantities as `Quantity` objects:
// a plain string there renders as null, so the count is passed as `k8s.Quantity`.
import { escapePointerSegment } from '../../../core/json-pointer.js';
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Placement } from '../../resolve/resolved.js';
import { podSpecPath } from './workload.js';
import { taint } from './tolerations.js';

/** Place a cdk8s-plus workload; `container` names the container that uses the accelerator. */
export function placeWorkload(
  workload: kplus.AbstractPod & { scheduling?: kplus.WorkloadScheduling },
  container: string,
  placement: Placement,
): void {
  const index = workload.containers.findIndex((c) => c.name === container);
  if (index < 0) throw new Error(`internal: no container \`${container}\` to place`);
  const scheduling = (workload as { scheduling?: kplus.WorkloadScheduling }).scheduling;
  if (!scheduling) throw new Error('internal: placement needs a workload with scheduling');
  if (placement.tolerations.length) scheduling.tolerate(kplus.Node.tainted(...placement.tolerations.map(taint)));
  // Required node affinity: whole GPUs never land on nodes whose GPUs are partitioned.
  if (placement.avoidNodeLabels.length)
    scheduling.attract(
      kplus.Node.labeled(...placement.avoidNodeLabels.map((k) => kplus.NodeLabelQuery.doesNotExist(k))),
    );
  const base = podSpecPath(workload);
  const resource = escapePointerSegment(placement.resource);
  const count = kplus.k8s.Quantity.fromString(String(placement.count));
  ApiObject.of(workload).addJsonPatch(
    JsonPatch.add(`${base}/nodeSelector`, { ...placement.nodeSelector }),
    JsonPatch.add(`${base}/containers/${index}/resources/requests/${resource}`, count),
    JsonPatch.add(`${base}/containers/${index}/resources/limits/${resource}`, count),
  );
}

export interface PlacementJson {
  nodeSelector: Record<string, string>;
  tolerations: Record<string, string>[];
  affinity?: Record<string, unknown>;
}

/** Node selector, tolerations and node affinity as plain JSON, for pod specs inside custom resources. */
export function placementJson(placement: Placement): PlacementJson {
  const avoid = placement.avoidNodeLabels;
  return {
    nodeSelector: { ...placement.nodeSelector },
    ...(avoid.length
      ? {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: avoid.map((key) => ({ key, operator: 'DoesNotExist' })) }],
              },
            },
          },
        }
      : {}),
    tolerations: placement.tolerations.map((t) => ({
      key: t.key,
      operator: t.operator,
      ...(t.value !== undefined ? { value: t.value } : {}),
      ...(t.effect ? { effect: t.effect } : {}),
    })),
  };
}
