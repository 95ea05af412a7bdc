// The policy stage: after a system-environment is rendered, its policies judge what was asked
// (the resolved spec) and what will run (the rendered objects). It runs where the system was
// rendered (a render worker, or this thread), so the rendered objects never cross threads.
import type { ManifestSet } from '../render/base/manifest-set.js';
import type { ResolvedSystem } from '../resolve/resolved.js';
import type { Finding } from './finding.js';

/** The policies of a run as plain data, so that every render worker can prepare them once. */
export interface PolicySetSpec {
  readonly modules: readonly { readonly file: string; readonly source: string }[];
  readonly data?: unknown;
}

/** Policies ready to evaluate, prepared once per thread. */
export interface PreparedPolicies {
  evaluate(system: ResolvedSystem, rendered: ManifestSet): Finding[];
}

/** No policies (`--no-policies`, or none configured): the stage passes everything through. */
export const NO_POLICIES: PreparedPolicies = { evaluate: () => [] };

export function preparePolicies(spec: PolicySetSpec | undefined): PreparedPolicies {
  if (!spec || spec.modules.length === 0) return NO_POLICIES;
  throw new Error('internal: policy evaluation is not wired yet');
}
