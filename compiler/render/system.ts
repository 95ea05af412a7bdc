// ResolvedSystem → ManifestSet: one chart per system and environment, filled by one renderer
// per concept, then synthesised. Renderers are independent (each adds its own objects and
// network allows; synthesis fixes the order), so adding a concept is one line below.
import type { ResolvedSystem } from '../resolve/resolved.js';
import { createContext, type RenderContext, type RenderOptions } from './base/context.js';
import type { ManifestSet } from './base/manifest-set.js';
import { renderNetworkBase } from './network/default-deny.js';
import { renderServing } from './serving/serving.js';
import { renderMonitoring } from './monitoring/monitoring.js';
import { renderMesh } from './network/mesh.js';
import { renderFeatureStore } from './features/feature-store.js';
import { renderTraining } from './training/pipeline.js';
import { synthesize } from './base/synth.js';

export interface ConceptRenderer {
  readonly concept: string;
  readonly render: (ctx: RenderContext) => void;
}

export const RENDERERS: readonly ConceptRenderer[] = [
  { concept: 'network', render: renderNetworkBase },
  { concept: 'serving', render: renderServing },
  { concept: 'monitoring', render: renderMonitoring },
  { concept: 'mesh', render: renderMesh },
  { concept: 'features', render: renderFeatureStore },
  { concept: 'training', render: renderTraining },
];

export function renderSystem(
  system: ResolvedSystem,
  options: RenderOptions = {},
  renderers: readonly ConceptRenderer[] = RENDERERS,
): ManifestSet {
  const ctx = createContext(system, options);
  for (const r of renderers) r.render(ctx);
  return synthesize(ctx);
}
