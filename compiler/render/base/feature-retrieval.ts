// Online feature retrieval as serving needs it: which feature server a tier asks, with which
// entity keys, for which feature references, and how each model input column is filled. The
// serving runtime's config carries it (runtime-config.ts); the features
// concept reads it to admit exactly the tiers that retrieve features.
import type { ResolvedSystem } from '../../resolve/resolved.js';
import { objectName } from './names.js';

/** Port of `feast serve` (HTTP). */
export const FEATURE_SERVER_PORT = 6566;

export interface FeatureColumn {
  /** Model input feature (column) name. */
  readonly name: string;
  /** `view:feature` fetched from the feature server, or absent when the caller sends it. */
  readonly ref?: string;
}

export interface FeatureRetrievalPlan {
  /** `http://<system>-feature-server.<namespace>.svc:6566`: `POST /get-online-features`. */
  readonly url: string;
  /** The Feast feature service the model reads (Feast can be asked by service name). */
  readonly featureService: string;
  /** Join keys the request must carry, sorted: the entity rows of the lookup. */
  readonly entityKeys: readonly string[];
  /** Every `view:feature` fetched, in first-use order. */
  readonly featureRefs: readonly string[];
  /** Per model input tensor, its columns in order. */
  readonly inputs: Readonly<Record<string, readonly FeatureColumn[]>>;
}

/** The plan of a tier, or undefined when every model input comes with the request. */
export function featureRetrievalPlan(system: ResolvedSystem, tier: string): FeatureRetrievalPlan | undefined {
  if (!system.spec.serving.tiers[tier]) throw new Error(`internal: no tier \`${tier}\``);
  const byName = new Map(system.features.map((f) => [f.name, f]));
  const views = system.spec.features.views;
  const refs: string[] = [];
  const keys = new Set<string>();
  const inputs: Record<string, FeatureColumn[]> = {};
  for (const tensor of system.spec.model.signature.inputs) {
    inputs[tensor.name] = tensor.features.map((name) => {
      const source = byName.get(name)?.source;
      if (!source || !('view' in source)) return { name };
      const ref = `${source.view}:${name}`;
      if (!refs.includes(ref)) refs.push(ref);
      for (const entity of views[source.view]!.entities)
        for (const key of Object.keys(system.spec.features.entities[entity]!.joinKeys)) keys.add(key);
      return { name, ref };
    });
  }
  if (refs.length === 0) return undefined;
  return {
    url: `http://${objectName(system.name, 'feature-server')}.${system.namespace}.svc:${FEATURE_SERVER_PORT}`,
    featureService: system.spec.model.featureService,
    entityKeys: [...keys].sort(),
    featureRefs: refs,
    inputs,
  };
}
