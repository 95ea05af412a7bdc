// The document policies see as `input`: one system in one environment, resolved, and the
// objects rendered for it. Policies report findings with a JSON pointer into the spec
// (`pointer`), or name a rendered object (`object`); the review turns either back into
// file:line:column through the spec's source map (an object is located at the spec element it
// was made from), so a finding lands on the line that caused it.
import type { K8sObject } from '../render/base/manifest-set.js';
import type { ResolvedSystem } from '../resolve/resolved.js';
import { TRAINING_STEPS } from '../resolve/resolved.js';

export const POLICY_INPUT_KIND = 'PolicyInput';

/** A container image the system deploys, and where it comes from. */
export interface ImageUse {
  readonly image: string;
  /** JSON pointer into the spec, or `platform:<key>` for images the platform config supplies. */
  readonly pointer: string;
}

export function imagesOf(system: ResolvedSystem): ImageUse[] {
  const images: ImageUse[] = TRAINING_STEPS.map((step) => ({
    image: system.spec.training.pipeline[step].image,
    pointer: `/training/pipeline/${step}/image`,
  }));
  for (const [key, image] of Object.entries(system.platform.images)) {
    if (typeof image === 'string') images.push({ image, pointer: `platform:/images/${key}` });
  }
  return images;
}

export function policyInput(system: ResolvedSystem, objects: readonly K8sObject[] = []) {
  return {
    apiVersion: 'mlspec.io/v1alpha1',
    kind: POLICY_INPUT_KIND,
    system: {
      name: system.name,
      team: system.team,
      environment: system.environment,
      namespace: system.namespace,
      file: system.source.file,
      specDigest: system.source.specDigest,
    },
    spec: system.spec,
    cluster: system.cluster,
    platform: system.platform,
    features: system.features,
    variants: system.variants,
    placement: system.placement,
    images: imagesOf(system),
    /** What will run: every object rendered for this system-environment, as in out/. */
    objects,
  };
}

export type PolicyInput = ReturnType<typeof policyInput>;
