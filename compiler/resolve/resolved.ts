// The resolve stage's output: one system in one environment, with everything the renderers
// need decided (namespace, placement, variants, feature origins). Renderers make no lookups
// in the platform config and report no errors: what could be wrong was found here.
import type { MLSystemBody } from '../schema/mlsystem.js';
import type { ClusterProfile, Platform, Toleration } from '../schema/platform.js';
import type { FeatureDtype } from '../schema/features.js';
import type { Artifact } from '../schema/model.js';
import type { VariantRole } from '../../runtime/contract/config.js';

/** Where a pod needing accelerators runs, and what it requests. */
export interface Placement {
  readonly accelerator: string;
  /** MIG profile of a slice (`1g.10gb`); absent for whole accelerators. */
  readonly mig?: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Node labels that must be absent (whole GPUs kept off GKE's partitioned nodes). */
  readonly avoidNodeLabels: readonly string[];
  readonly tolerations: readonly Toleration[];
  /** Extended resource name: `nvidia.com/gpu` or a MIG resource. */
  readonly resource: string;
  readonly count: number;
}

/** The team's accelerator quota in this environment (platform `teams.<team>`). */
export interface TeamQuota {
  /** Whole accelerators per type. */
  readonly gpu: Readonly<Record<string, number>>;
  /** MIG slices per type and profile. */
  readonly mig: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** Where the gateway exposes a serving tier. */
export interface ResolvedRoute {
  readonly hostnames: readonly string[];
  /** Path prefix at the gateway (`/` or `/a/b`), removed before the runtime sees the request. */
  readonly path: string;
}

/** A model release served by this system in this environment. */
export interface ResolvedVariant {
  /** DNS label; the runtime and metrics name the variant by it. */
  readonly name: string;
  readonly role: VariantRole;
  readonly version: string;
  readonly artifact: Artifact;
  /** Percent of live traffic at the start of the rollout. */
  readonly weight: number;
}

/** Where a model input comes from. */
export interface ResolvedFeature {
  readonly name: string;
  readonly dtype: FeatureDtype;
  readonly personalData: boolean;
  /** The feature view, or `request` for features the caller sends. */
  readonly source: { readonly view: string } | { readonly request: true };
}

/** A host and port a workload reaches, and the approved endpoint of the profile that allows it. */
export interface EndpointUse {
  /** Name of the approved endpoint (`clusters.<name>.endpoints`). */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
}

/** What each part of the system reaches over the network, all approved (see endpoints.ts). */
export interface ResolvedEgress {
  /** Object storage of every model release served (the fetch init containers). */
  readonly models: readonly EndpointUse[];
  /** The training datasets. */
  readonly datasets: readonly EndpointUse[];
  /** The profile's Feast registry. */
  readonly registry: readonly EndpointUse[];
  /** Per feature view: its batch source. */
  readonly batch: Readonly<Record<string, readonly EndpointUse[]>>;
  /** Per streamed view: brokers (or Kinesis) and the schema registry. */
  readonly streams: Readonly<Record<string, readonly EndpointUse[]>>;
}

export interface ResolvedCluster extends ClusterProfile {
  readonly name: string;
}

export type TrainingStepName = 'preprocess' | 'train' | 'validate' | 'register';
export const TRAINING_STEPS: readonly TrainingStepName[] = ['preprocess', 'train', 'validate', 'register'];

/** Identifies a system in an environment (maps keyed by system-environment use it). */
export const systemKey = (environment: string, system: string): string => `${environment}\u0000${system}`;

export interface ResolvedSystem {
  readonly name: string;
  readonly team: string;
  readonly environment: string;
  readonly namespace: string;
  /** The spec with this environment's overrides merged and defaults applied. */
  readonly spec: MLSystemBody;
  readonly cluster: ResolvedCluster;
  readonly platform: Pick<Platform, 'registries' | 'regions' | 'images'> & { readonly name: string };
  readonly source: {
    /** Spec file as shown to users in diagnostics (relative to the working directory, `/`-separated). */
    readonly file: string;
    /**
     * Spec file as recorded in the output (annotations, headers): relative to the directory that
     * holds the platform config, `/`-separated, so the output is the same from any working directory.
     */
    readonly recordedFile: string;
    readonly fileDigest: string;
    /** Digest of the resolved spec: changes whenever anything this environment deploys changes. */
    readonly specDigest: string;
  };
  /** Model inputs in signature order. */
  readonly features: readonly ResolvedFeature[];
  readonly variants: readonly ResolvedVariant[];
  readonly egress: ResolvedEgress;
  readonly placement: {
    readonly training: Readonly<Partial<Record<TrainingStepName, Placement>>>;
    readonly tiers: Readonly<Record<string, Placement | undefined>>;
  };
  readonly quota: TeamQuota;
  /** Per tier, when the cluster profile routes gateway traffic (`gateway.routes`). */
  readonly routes: Readonly<Record<string, ResolvedRoute>>;
}
