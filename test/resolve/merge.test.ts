import { describe, expect, it } from 'vitest';
import { mergeOverride } from '../../compiler/resolve/merge.js';
import { parseYaml } from '../../core/source/yaml.js';
import { locate } from '../../core/source/source-map.js';

function doc(text: string) {
  const { documents, diagnostics } = parseYaml(text, 'spec.yaml');
  expect(diagnostics).toEqual([]);
  return documents[0]!;
}

describe('environment overrides', () => {
  const base = doc(
    [
      'serving:',
      '  tiers:',
      '    cpu: { replicas: { min: 2, max: 10 }, resources: { cpu: 1 } }',
      '    gpu: { replicas: { min: 1, max: 4 } }',
      'owners: [a, b, c]',
      'rollout: { strategy: canary }',
      'environments:',
      '  dev:',
      '    overrides:',
      '      serving: { tiers: { cpu: { replicas: { max: 2 } }, gpu: null } }',
      '      owners: [d]',
      '      rollout: null',
      '      added: { deep: { value: 1 } }',
    ].join('\n'),
  );
  const overrides = (base.value as { environments: { dev: { overrides: unknown } } }).environments.dev.overrides;
  const merged = mergeOverride(base, overrides, base.locations, '/environments/dev/overrides');

  it('merges maps key by key, replaces lists and scalars, removes keys set to null', () => {
    const v = merged.value as Record<string, unknown>;
    expect(v.serving).toEqual({ tiers: { cpu: { replicas: { min: 2, max: 2 }, resources: { cpu: 1 } } } });
    expect(v.owners).toEqual(['d']);
    expect(v).not.toHaveProperty('rollout');
    expect(v.added).toEqual({ deep: { value: 1 } });
  });

  it('leaves the base untouched', () => {
    expect((base.value as { owners: string[] }).owners).toEqual(['a', 'b', 'c']);
    expect((base.value as { rollout: unknown }).rollout).toEqual({ strategy: 'canary' });
  });

  it('locates each merged value where it was written: base or override', () => {
    expect(locate(merged.locations, '/serving/tiers/cpu/replicas/min')?.line).toBe(3);
    expect(locate(merged.locations, '/serving/tiers/cpu/replicas/max')?.line).toBe(10);
    expect(locate(merged.locations, '/owners/0')?.line).toBe(11);
    expect(merged.locations.has('/owners/2')).toBe(false);
    expect(merged.locations.has('/serving/tiers/gpu')).toBe(false);
    expect(locate(merged.locations, '/added/deep/value')?.line).toBe(13);
  });
});
