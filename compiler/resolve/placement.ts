// Logical accelerator requests → node selection, tolerations and resource names, from the
// cluster profile. Only pods that request an accelerator get any of it.
import { quote } from '../../core/diagnostics/quote.js';
import type { AcceleratorRequest } from '../schema/common.js';
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
  return {
    accelerator: request.type,
    nodeSelector: profile.nodeSelector,
    tolerations: profile.tolerations,
    resource,
    count: request.count,
  };
}
