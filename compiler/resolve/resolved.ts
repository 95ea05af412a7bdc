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
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  /** Extended resource name: `nvidia.com/gpu` or a MIG resource. */
  readonly resource: string;
  readonly count: number;
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
    /** Spec file as shown to users (relative, `/`-separated). */
    readonly file: string;
    readonly fileDigest: string;
    /** Digest of the resolved spec: changes whenever anything this environment deploys changes. */
    readonly specDigest: string;
  };
  /** Model inputs in signature order. */
  readonly features: readonly ResolvedFeature[];
  readonly variants: readonly ResolvedVariant[];
  readonly placement: {
    readonly training: Readonly<Partial<Record<TrainingStepName, Placement>>>;
    readonly tiers: Readonly<Record<string, Placement | undefined>>;
  };
}
