// The benchmark's models and configs: two logistic regressions over 32 FP32 features (two
// variants, so routing has a real choice), drift baselines for all 32 features; the same with
// online retrieval of 8 features; a model whose call takes about 50 ms.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { RuntimeConfig } from '../runtime/contract/config.js';
import { sha256Hex } from '../core/hash.js';
import { slowModel } from '../test/runtime/helpers/models.js';
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

/** Features the retrieval cell fetches from the feature server (the rest come with the request). */
export const FETCHED = featureNames.slice(24);

/** One record: all 32 features, or (`online`) the entity key and the 24 features not fetched. */
export function recordBody(online: boolean): string {
  const values = Object.fromEntries(featureNames.map((f, i) => [f, (i * 0.37) % 1]));
  if (!online) return JSON.stringify(values);
  for (const f of FETCHED) delete values[f];
  return JSON.stringify({ user_id: 7, ...values });
}

/** The base config with online retrieval of FETCHED from the feature server at `url`. */
export function writeOnlineConfig(dir: string, url: string): string {
  const base = JSON.parse(readFileSync(join(dir, 'runtime.json'), 'utf8')) as RuntimeConfig;
  const config: RuntimeConfig = {
    ...base,
    onlineFeatures: {
      url,
      timeoutMs: 100,
      entities: [{ joinKey: 'user_id', dtype: 'INT64' }],
      features: FETCHED.map((f) => ({ name: f, ref: `user_stats:${f}` })),
    },
  };
  const path = join(dir, 'runtime-online.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

/**
 * A model whose call takes about `targetMs` for one request of the returned row count (the slow
 * model of the tests, calibrated on this machine), served with calls on workers (`workers`) and
 * with every call on the event loop (`inline`, what the runtime did before workers).
 */
export async function writeSlowFixture(
  dir: string,
  targetMs: number,
): Promise<{ workers: string; inline: string; rows: number }> {
  const bytes = slowModel();
  const path = join(dir, 'slow.onnx');
  writeFileSync(path, bytes);
  const session = await InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const time = async (rows: number) => {
    const x = new Tensor('float32', new Float32Array(rows * 4).fill(0.25), [rows, 4]);
    const start = performance.now();
    await session.run({ x });
    return performance.now() - start;
  };
  await time(64);
  const perRow = Math.min(await time(200), await time(200), await time(200)) / 200;
  await session.release();
  const rows = Math.max(1, Math.round(targetMs / perRow));
  const base = JSON.parse(readFileSync(join(dir, 'runtime.json'), 'utf8')) as RuntimeConfig;
  const config: RuntimeConfig = {
    ...base,
    model: {
      name: 'bench',
      inputs: [{ name: 'x', dtype: 'FP32', shape: [-1, 4], features: ['a', 'b', 'c', 'd'] }],
      outputs: [{ name: 'probability', dtype: 'FP32', shape: [-1, 1] }],
    },
    variants: [{ name: 'stable', version: '1', role: 'stable', path, sha256: sha256Hex(bytes) }],
    traffic: { strategy: 'single', weights: { stable: 100 }, overrideHeader: 'x-mlspec-variant' },
    drift: { ...base.drift, features: [] },
  };
  const workers = join(dir, 'runtime-slow.json');
  writeFileSync(workers, JSON.stringify(config));
  const inline = join(dir, 'runtime-slow-inline.json');
  writeFileSync(inline, JSON.stringify({ ...config, server: { ...config.server, inference: { inlineMaxMs: 1e9 } } }));
  return { workers, inline, rows };
}

/** One V2 request of `rows` rows for the slow model. */
export function slowBody(rows: number): string {
  return JSON.stringify({
    inputs: [{ name: 'x', datatype: 'FP32', shape: [rows, 4], data: Array(rows * 4).fill(0.25) }],
  });
}
