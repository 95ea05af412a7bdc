// What one system-environment tells the environment level about its namespace's quotas: the
// team's accelerator quota, the accelerators of its cluster profile, and, with Kueue, what its
// queued training pods hold at once. Plain data (it crosses from render workers to the thread
// that writes the environment's files); `namespace-objects.ts` turns the uses of one environment
// into ResourceQuotas and Kueue objects.
import type { ResolvedSystem, TeamQuota } from '../../resolve/resolved.js';
import { TRAINING_STEPS } from '../../resolve/resolved.js';
import type { Toleration } from '../../schema/platform.js';
import { mebibytes, quantityValue, scratchResources } from '../base/resources.js';
import { GKE_PARTITION_LABEL } from '../../schema/platform.js';

/** One way to get an accelerator: a whole GPU of a type, or a MIG slice of one profile. */
export interface AcceleratorFlavor {
  readonly type: string;
  readonly mig?: string;
  /** The extended resource a pod requests. */
  readonly resource: string;
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

/** Requests of the queued training pods a system runs at once (its largest GPU step at full width). */
export interface QueuedFootprint {
  readonly cpuMillis: number;
  readonly memoryMib: number;
  readonly ephemeralMib: number;
}

export interface NamespaceQuotaUse {
  readonly environment: string;
  readonly namespace: string;
  readonly team: string;
  readonly cluster: string;
  readonly kueue: boolean;
  readonly flavors: readonly AcceleratorFlavor[];
  readonly quota: TeamQuota;
  readonly queued: QueuedFootprint;
}

/**
 * Per queued pod, for what is injected besides the step container: Argo's executor (`init`,
 * `wait`) and Istio's sidecar, whose requests the controllers' settings decide. Kueue counts
 * every container of a pod and admits nothing its ClusterQueue does not cover.
 */
export const INJECTED_ALLOWANCE: QueuedFootprint = { cpuMillis: 1000, memoryMib: 1024, ephemeralMib: 1024 };

/** Every accelerator flavor of the cluster profile, in a fixed order. */
export function acceleratorFlavors(system: ResolvedSystem): AcceleratorFlavor[] {
  const flavors: AcceleratorFlavor[] = [];
  for (const type of Object.keys(system.cluster.accelerators).sort()) {
    const a = system.cluster.accelerators[type]!;
    // Slices before whole GPUs: Kueue gives a pod the first flavor its node selector fits, and a
    // ResourceFlavor cannot require a label's absence, so a GKE slice pod also fits the whole-GPU
    // flavor (it falls back to it only when its own slice quota is used up).
    for (const mig of Object.keys(a.migProfiles ?? {}).sort()) {
      const nodeLabels = a.migStrategy === 'gke' ? { ...a.nodeSelector, [GKE_PARTITION_LABEL]: mig } : a.nodeSelector;
      flavors.push({ type, mig, resource: a.migProfiles![mig]!, nodeLabels, tolerations: a.tolerations });
    }
    flavors.push({ type, resource: a.resource, nodeLabels: a.nodeSelector, tolerations: a.tolerations });
  }
  return flavors;
}

/** Steps run one after another (one run per system at a time): per resource, the largest step. */
function queuedFootprint(system: ResolvedSystem): QueuedFootprint {
  let cpuMillis = 0;
  let memoryMib = 0;
  let ephemeralMib = 0;
  for (const step of TRAINING_STEPS) {
    if (!system.placement.training[step]) continue;
    const r = scratchResources(system.spec.training.pipeline[step].resources);
    const pods = step === 'train' ? (system.spec.training.pipeline.train.distributed?.workers ?? 1) : 1;
    cpuMillis = Math.max(cpuMillis, pods * (Math.ceil(quantityValue(r.cpu) * 1000) + INJECTED_ALLOWANCE.cpuMillis));
    memoryMib = Math.max(memoryMib, pods * (mebibytes(r.memory) + INJECTED_ALLOWANCE.memoryMib));
    ephemeralMib = Math.max(ephemeralMib, pods * (mebibytes(r.ephemeralStorage!) + INJECTED_ALLOWANCE.ephemeralMib));
  }
  return { cpuMillis, memoryMib, ephemeralMib };
}

export function namespaceQuotaUse(system: ResolvedSystem): NamespaceQuotaUse {
  return {
    environment: system.environment,
    namespace: system.namespace,
    team: system.team,
    cluster: system.cluster.name,
    kueue: system.cluster.components.kueue,
    flavors: acceleratorFlavors(system),
    quota: system.quota,
    queued: queuedFootprint(system),
  };
}
