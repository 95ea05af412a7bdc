// The model releases a rollout serves, with their roles and starting weights. The runtime
// config and the Argo Rollouts objects are both rendered from this one list.
import type { MLSystemBody } from '../schema/mlsystem.js';
import type { ResolvedVariant } from './resolved.js';

export function variantsOf(spec: MLSystemBody): ResolvedVariant[] {
  const model = spec.model;
  const current = { version: model.version, artifact: model.artifact };
  const rollout = spec.rollout;
  if (!rollout) return [{ name: 'primary', role: 'stable', ...current, weight: 100 }];
  const stable = rollout.stable ?? current;
  switch (rollout.strategy) {
    case 'canary': {
      const first = rollout.canary?.steps[0]?.weight ?? 0;
      return [
        { name: 'stable', role: 'stable', ...stable, weight: 100 - first },
        { name: 'canary', role: 'canary', ...current, weight: first },
      ];
    }
    case 'blueGreen':
      return [
        { name: 'active', role: 'stable', ...stable, weight: 100 },
        { name: 'preview', role: 'preview', ...current, weight: 0 },
      ];
    case 'shadow':
      return [
        { name: 'stable', role: 'stable', ...stable, weight: 100 },
        { name: 'shadow', role: 'shadow', ...current, weight: 0 },
      ];
    case 'abTest':
      return Object.keys(rollout.abTest?.variants ?? {})
        .sort()
        .map((name) => {
          const v = rollout.abTest!.variants[name]!;
          return {
            name,
            role: 'variant' as const,
            version: v.version ?? model.version,
            artifact: v.artifact ?? model.artifact,
            weight: v.weight,
          };
        });
  }
}
