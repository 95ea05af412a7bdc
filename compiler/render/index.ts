// The render stage: ResolvedSystem → ManifestSet. See README.md for the conventions.
export { renderSystem, RENDERERS, type ConceptRenderer } from './system.js';
export { createContext, type RenderContext, type RenderOptions } from './context.js';
export { synthesize, canonicalObject, NameCollisionError } from './synth.js';
export { compareObjects, KIND_ORDER, type K8sObject, type ManifestSet, type ObjectMeta } from './manifest-set.js';
export { systemNames, objectName, contentName, hash8, sanitize, MAX_NAME_LENGTH, type SystemNames } from './names.js';
export {
  LABEL,
  ANNOTATION,
  objectLabels,
  selectorLabels,
  systemLabels,
  lineageAnnotations,
  type ObjectRole,
} from './labels.js';
export * from './pod-security.js';
export { containerResources, resourcesJson, mebibytes, type ResourceRequirementsJson } from './resources.js';
export { placeWorkload, placementJson } from './placement.js';
export { serviceAccount, apiAccess, type AccessRule } from './identity.js';
export { securePod, secureContainer, type SecurePod, type SecureContainerProps } from './workload.js';
export { allowTraffic, onlineStoreRule, objectStorageRule, type Peer, type TrafficRule } from './network-policy.js';
export { customResource, type CustomResourceProps } from './custom-resource.js';
export { disruptionBudget, spreadWorkload, topologySpreadJson } from './availability.js';
export { serviceMonitor } from './monitoring.js';
export { meshPodAnnotations } from './mesh.js';
export { FEATURE_METRICS } from './feature-metrics.js';
export { toYaml } from './yaml.js';
