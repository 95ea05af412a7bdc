// A valid runtime config for the logistic-regression model, to be varied per test.
import type { RuntimeConfig } from '../../../runtime/contract/config.js';

export const FEATURES = ['age', 'tenure', 'spend', 'visits'] as const;

/** Baseline: 10 quantile bins of 100 training rows each over the integers 0..9 per feature. */
export const EDGES = [1, 2, 3, 4, 5, 6, 7, 8, 9];

export interface VariantFile {
  readonly path: string;
  readonly sha256: string;
}

export function lrConfig(stable: VariantFile, extra: Partial<RuntimeConfig> = {}): RuntimeConfig {
  return {
    apiVersion: 'mlspec.io/v1alpha1',
    kind: 'RuntimeConfig',
    system: 'churn',
    environment: 'test',
    tier: 'cpu',
    server: { port: 8080, bodyLimitBytes: 65536, requestTimeoutMs: 5000, shutdownTimeoutMs: 5000 },
    model: {
      name: 'churn',
      inputs: [{ name: 'x', dtype: 'FP32', shape: [-1, 4], features: [...FEATURES] }],
      outputs: [{ name: 'probability', dtype: 'FP32', shape: [-1, 1] }],
    },
    variants: [{ name: 'stable', version: '1', role: 'stable', path: stable.path, sha256: stable.sha256 }],
    traffic: { strategy: 'single', weights: { stable: 100 }, overrideHeader: 'x-mlspec-variant' },
    drift: {
      windowSeconds: 3600,
      minSamples: 100,
      alpha: 0.01,
      correction: 'benjamini-hochberg',
      features: FEATURES.map((name) => ({
        name,
        kind: 'numeric' as const,
        edges: EDGES,
        counts: EDGES.map(() => 100).concat(100),
        threshold: 0.2,
      })),
    },
    ...extra,
  };
}

type CanaryPolicy = NonNullable<RuntimeConfig['traffic']['canary']>;

/** `stable` plus a `canary` variant (version 2) under the canary strategy, `weight` % to the canary. */
export function canaryConfig(
  stable: VariantFile,
  canary: VariantFile,
  weight: number,
  policy: Pick<CanaryPolicy, 'steps' | 'gate'>,
): RuntimeConfig {
  return lrConfig(stable, {
    variants: [
      { name: 'stable', version: '1', role: 'stable', ...stable },
      { name: 'canary', version: '2', role: 'canary', ...canary },
    ],
    traffic: {
      strategy: 'canary',
      weights: { stable: 100 - weight, canary: weight },
      overrideHeader: 'x-mlspec-variant',
      canary: { stable: 'stable', canary: 'canary', ...policy },
    },
  });
}
