// Logical accelerator requests → node selection, tolerations and resource names, from the
// cluster profile. Only pods that request an accelerator get any of it.
//
// MIG slices come in two ways (`migStrategy` of the accelerator):
//   mixed  the NVIDIA device plugin advertises each profile as its own resource
//          (`nvidia.com/mig-1g.10gb`): the resource alone picks the slice, and whole-GPU pods
//          (`nvidia.com/gpu`) only fit GPUs left whole.
//   gke    GKE partitions every GPU of a node pool alike, labels the nodes
//          `cloud.google.com/gke-gpu-partition-size: <profile>` and advertises the slices as
//          `nvidia.com/gpu`: a slice pod selects that label, and a whole-GPU pod must require
//          its absence, or it would be placed on a slice.
import { quote } from '../../core/diagnostics/quote.js';
import type { AcceleratorRequest } from '../schema/common.js';
import { GKE_PARTITION_LABEL } from '../schema/platform.js';
import { didYouMean } from '../../core/schema/suggest.js';
import type { Placement, ResolvedCluster } from './resolved.js';
import type { Reporter } from './report.js';

export function placementFor(
  request: AcceleratorRequest | undefined,
  cluster: ResolvedCluster,
  pointer: string,
  r: Reporter,
): Placement | undefined {
  if (!request) return undefined;
  const profile = cluster.accelerators[request.type];
  if (!profile) {
    const offered = Object.keys(cluster.accelerators);
    r.report(
      'unknown_accelerator',
      `cluster profile ${quote(cluster.name)} has no accelerator ${quote(request.type)}`,
      `${pointer}/type`,
      didYouMean(request.type, offered) ??
        (offered.length
          ? `available on ${quote(cluster.name)}: ${offered.join(', ')}`
          : `${quote(cluster.name)} offers no accelerators; use a CPU-only setup or another cluster profile`),
    );
    return undefined;
  }
  let resource = profile.resource;
  const gke = profile.migStrategy === 'gke';
  if (request.mig) {
    const mig = profile.migProfiles?.[request.mig];
    if (!mig) {
      const offered = Object.keys(profile.migProfiles ?? {});
      r.report(
        'unknown_accelerator',
        `accelerator ${quote(request.type)} on ${quote(cluster.name)} offers no MIG profile ${quote(request.mig)}`,
        `${pointer}/mig`,
        didYouMean(request.mig, offered) ??
          (offered.length
            ? `available: ${offered.join(', ')}`
            : 'this cluster does not partition these GPUs; request whole GPUs'),
      );
      return undefined;
    }
    resource = mig;
  }
  const partitioned = gke && Object.keys(profile.migProfiles ?? {}).length > 0;
  return {
    accelerator: request.type,
    ...(request.mig ? { mig: request.mig } : {}),
    nodeSelector:
      request.mig && gke ? { ...profile.nodeSelector, [GKE_PARTITION_LABEL]: request.mig } : profile.nodeSelector,
    avoidNodeLabels: partitioned && !request.mig ? [GKE_PARTITION_LABEL] : [],
    tolerations: profile.tolerations,
    resource,
    count: request.count,
  };
}
