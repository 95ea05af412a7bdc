// Serving: one tier after another, each in the mode the rollout strategy and the cluster
// profile call for (serving-mode.ts).
import type { RenderContext } from '../base/context.js';
import { servingMode } from '../base/serving-mode.js';
import { renderServingTier } from './tier.js';

export function renderServing(ctx: RenderContext): void {
  const mode = servingMode(ctx.system);
  for (const tier of Object.keys(ctx.system.spec.serving.tiers).sort()) renderServingTier(ctx, { tier, mode });
}
