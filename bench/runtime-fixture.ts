// The benchmark's models and config: two logistic regressions over 32 FP32 features (two
// variants, so routing has a real choice), drift baselines for all 32 features.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeConfig } from '../runtime/contract/config.js';
import { sha256Hex } from '../core/hash.js';
import { buildModel } from '../test/runtime/helpers/onnx-builder.js';

export const FEATURES = 32;

export function lr32(seed: number): Uint8Array {
  return buildModel({
    inputs: [{ name: 'x', elem: 'float', shape: ['N', FEATURES] }],
    outputs: [{ name: 'probability', elem: 'float', shape: ['N', 1] }],
    initializers: [
      {
        name: 'w',
        elem: 'float',
        dims: [FEATURES, 1],
        values: Array.from({ length: FEATURES }, (_, i) => Math.sin(i + seed) * 0.3),
      },
      { name: 'b', elem: 'float', dims: [1], values: [0.1 * seed] },
    ],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'w'], outputs: ['xw'] },
      { op: 'Add', inputs: ['xw', 'b'], outputs: ['z'] },
      { op: 'Sigmoid', inputs: ['z'], outputs: ['probability'] },
    ],
  });
}

export const featureNames = Array.from({ length: FEATURES }, (_, i) => `f${i}`);

/** One request: a single row with values spread over the baseline bins. */
export function requestBody(): string {
  return JSON.stringify({
    inputs: [
      {
        name: 'x',
        datatype: 'FP32',
        shape: [1, FEATURES],
        data: Array.from({ length: FEATURES }, (_, i) => (i * 0.37) % 1),
      },
    ],
  });
}

/** Writes the models, `runtime.json` and `runtime-batched.json` (the same plus micro-batching). */
export function writeFixture(dir: string): { configPath: string; batchedConfigPath: string; modelPath: string } {
  mkdirSync(dir, { recursive: true });
  const variants = [1, 2].map((seed) => {
    const bytes = lr32(seed);
    const path = join(dir, `lr32-${seed}.onnx`);
    writeFileSync(path, bytes);
    return {
      name: seed === 1 ? 'stable' : 'canary',
      version: String(seed),
      role: (seed === 1 ? 'stable' : 'canary') as 'stable' | 'canary',
      path,
      sha256: sha256Hex(bytes),
    };
  });
  const edges = Array.from({ length: 9 }, (_, i) => (i + 1) / 10);
  const config: RuntimeConfig = {
    apiVersion: 'mlspec.io/v1alpha1',
    kind: 'RuntimeConfig',
    system: 'bench',
    environment: 'bench',
    tier: 'cpu',
    server: { port: 8080, bodyLimitBytes: 1048576, requestTimeoutMs: 5000, shutdownTimeoutMs: 5000 },
    model: {
      name: 'bench',
      inputs: [{ name: 'x', dtype: 'FP32', shape: [-1, FEATURES], features: featureNames }],
      outputs: [{ name: 'probability', dtype: 'FP32', shape: [-1, 1] }],
    },
    variants,
    traffic: { strategy: 'abTest', weights: { stable: 90, canary: 10 }, overrideHeader: 'x-mlspec-variant' },
    drift: {
      windowSeconds: 60,
      minSamples: 1000,
      alpha: 0.01,
      correction: 'benjamini-hochberg',
      features: featureNames.map((name) => ({
        name,
        kind: 'numeric' as const,
        edges,
        counts: Array(10).fill(1000),
        threshold: 0.2,
      })),
    },
  };
  const configPath = join(dir, 'runtime.json');
  writeFileSync(configPath, JSON.stringify(config));
  const batchedConfigPath = join(dir, 'runtime-batched.json');
  writeFileSync(batchedConfigPath, JSON.stringify({ ...config, batching: { maxBatchSize: 16, maxDelayMs: 1 } }));
  return { configPath, batchedConfigPath, modelPath: variants[0]!.path };
}
