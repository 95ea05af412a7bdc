// One system in one environment, after resolve: render → policy → sink. Run by a render worker,
// or in this thread. What comes back is small: counts, a receipt from the sink, the object claims
// for the ownership check, and the policy findings.
import { accept, type Receipt, type SinkSpec } from '../emit/sink.js';
import { type NamespaceUse, systemOutput, type SystemEntry } from '../emit/layout.js';
import { namespaceUse } from '../render/base/namespace.js';
import { claimOf, type ObjectClaim } from '../policy/ownership.js';
import type { Finding } from '../policy/finding.js';
import type { HeldObject } from '../policy/gatekeeper/admission.js';
import type { PreparedPolicies } from '../policy/stage.js';
import type { RenderOptions } from '../render/base/context.js';
import { type Footprint, footprint } from '../render/base/footprint.js';
import { type ConceptRenderer, RENDERERS, renderSystem } from '../render/system.js';
import type { ResolvedSystem } from '../resolve/resolved.js';
import { namespaceQuotaUse } from '../render/namespace/quota-use.js';

export interface SystemJob {
  readonly render: RenderOptions;
  readonly sink: SinkSpec;
  /** Test hook: renderers other than the standard ones (never on workers). */
  readonly renderers?: readonly ConceptRenderer[];
}

export interface SystemResult {
  readonly entry: SystemEntry;
  readonly objects: number;
  readonly files: number;
  readonly receipt: Receipt;
  readonly claims: readonly ObjectClaim[];
  readonly findings: readonly Finding[];
  /** Rendered objects the environment's Gatekeeper review needs (only when a constraint reads the inventory). */
  readonly held: readonly HeldObject[];
  readonly footprint: Footprint;
}

/** What the environment level needs to know of a system's namespace, its quotas included. */
function namespaceOf(system: ResolvedSystem): NamespaceUse {
  return { ...namespaceUse(system), quota: namespaceQuotaUse(system) };
}

export function compileSystem(system: ResolvedSystem, job: SystemJob, policies: PreparedPolicies): SystemResult {
  const set = renderSystem(system, job.render, job.renderers ?? RENDERERS);
  const { findings, held } = policies.evaluate(system, set);
  const out = systemOutput({ set, source: system.source.recordedFile, namespace: namespaceOf(system) });
  return {
    entry: { environment: out.environment, system: out.system, namespace: out.namespace },
    objects: out.objects,
    files: out.files.length,
    receipt: accept(job.sink, out),
    claims: set.objects.map((o, i) => claimOf(set.environment, set.system, o, set.sources[i]!)),
    findings,
    held,
    footprint: footprint(set.objects),
  };
}
