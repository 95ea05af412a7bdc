// Models that are not one column per feature: token ids of any length ([batch, seq] INT64)
// served without a feature mapping (drift only on the declared features), and weights kept in
// ONNX external data files, each pinned by sha256 like the model.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../runtime/config/load.js';
import type { RuntimeConfig } from '../../runtime/contract/config.js';
import { verifyModelFiles } from '../../runtime/model/verify.js';
import { sha256Hex } from '../../core/hash.js';
import { lrConfig } from './helpers/config.js';
import { fixture, type Fixture } from './helpers/fixture.js';
import { json, sample, startHarness, type Harness } from './helpers/harness.js';
import { externalWeightsModel, logisticReference, tokenModel, tokenReference } from './helpers/models.js';

let fx: Fixture;
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  fx.cleanup();
});

function tokenConfig(): RuntimeConfig {
  fx = fixture();
  const base = lrConfig(fx.model('tokens', tokenModel()));
  return {
    ...base,
    model: {
      name: 'ranker',
      inputs: [
        { name: 'input_ids', dtype: 'INT64', shape: [-1, -1] },
        { name: 'x', dtype: 'FP32', shape: [-1, 2], features: ['a', 'b'] },
      ],
      outputs: [{ name: 'score', dtype: 'FP32', shape: [-1, 1] }],
    },
    drift: {
      ...base.drift,
      minSamples: 2,
      features: [{ name: 'a', kind: 'numeric', edges: [1, 2], counts: [28, 1, 1], threshold: 0.2 }],
    },
    events: { stdout: true, sampleRate: 1, redactFields: [] },
  };
}

describe('inputs without a feature per column', () => {
  it('serves token ids of any length in the V2 form and in a record, drift on declared features only', async () => {
    const lines: string[] = [];
    const config = tokenConfig();
    h = await startHarness(fx, config, { stdout: (l) => lines.push(l) });
    const v2 = await json(
      h.post('/v2/models/ranker/infer', {
        inputs: [
          { name: 'input_ids', datatype: 'INT64', shape: [2, 3], data: [1, 2, 3, 9, 0, 0] },
          { name: 'x', datatype: 'FP32', shape: [2, 2], data: [1, 2, 3, 1] },
        ],
      }),
    );
    expect(v2.outputs[0].shape).toEqual([2, 1]);
    expect(v2.outputs[0].data[0]).toBeCloseTo(tokenReference([1, 2, 3], [1, 2]), 6);
    expect(v2.outputs[0].data[1]).toBeCloseTo(tokenReference([9, 0, 0], [3, 1]), 6);
    // A longer sequence, as a record: the input is given whole under its name.
    const rec = await json(h.post('/v2/models/ranker/infer', { input_ids: [4, 4, 5, 6, 7], a: 0.5, b: 2 }));
    expect(rec.outputs.score).toBeCloseTo(tokenReference([4, 4, 5, 6, 7], [0.5, 2]), 6);
    const bad = await h.post('/v2/models/ranker/infer', { input_ids: [[1, 2], [3]], a: 0.5, b: 2 });
    expect(bad.status).toBe(400);
    expect((await json(bad)).code).toBe('bad_tensor_shape');
    const meta = await json(fetch(`${h.url}/v2/models/ranker`));
    expect(meta.parameters.features).toEqual({ x: ['a', 'b'] });
    // Events list the features, not the token ids.
    expect(JSON.parse(lines[0]!).data.features).toEqual({ a: 1, b: 2 });
    h.runtime.current.drift.closeWindow(Date.now());
    expect(sample(await h.metrics(), 'mlspec_drift_psi', { feature: 'a' })).toBeGreaterThan(0);
  });

  it('validates a config whose input has no features, and rejects a drift baseline for a token column', () => {
    const config = tokenConfig();
    const bad = {
      ...config,
      drift: {
        ...config.drift,
        features: [{ name: 'input_ids', kind: 'numeric', edges: [1], counts: [1, 1], threshold: 0.2 }],
      },
    };
    fx.publish(bad);
    return loadConfigFile(fx.configPath).then((out) => {
      expect(out.ok).toBe(false);
      if (!out.ok)
        expect(out.diagnostics[0]).toMatchObject({ code: 'unknown_feature', pointer: '/drift/features/0/name' });
    });
  });
});

describe('ONNX external data', () => {
  function externalConfig() {
    fx = fixture();
    const { model, weights } = externalWeightsModel('lr.weights');
    const file = fx.model('lr', model); // <dir>/models/lr.onnx
    const weightsPath = join(fx.dir, 'models', 'lr.weights');
    writeFileSync(weightsPath, weights);
    const c = lrConfig(file);
    const variant = { ...c.variants[0]!, externalData: [{ path: '../models/lr.weights', sha256: sha256Hex(weights) }] };
    return { config: { ...c, variants: [variant] }, weightsPath };
  }

  it('loads a model whose weights are an external file, pinned by sha256', async () => {
    const { config } = externalConfig();
    h = await startHarness(fx, config);
    const out = await json(h.post('/v2/models/churn/infer', { age: 1, tenure: 2, spend: 3, visits: 4 }));
    expect(out.outputs.probability).toBeCloseTo(logisticReference([1, 2, 3, 4]), 6);
  });

  it('refuses the model when an external file does not match its digest; --verify-only names the file', async () => {
    const { config, weightsPath } = externalConfig();
    writeFileSync(weightsPath, new Uint8Array(new Float32Array([9, 9, 9, 9]).buffer));
    fx.publish(config);
    await expect(startHarness(fx, config)).rejects.toThrow(/lr\.weights has sha256 [0-9a-f]{64}, but the config pins/);
    const loaded = await loadConfigFile(fx.configPath);
    if (!loaded.ok) throw new Error('config invalid');
    const results = await verifyModelFiles(loaded.value);
    expect(results.map((r) => [r.path.split('/').pop(), r.ok])).toEqual([
      ['lr.onnx', true],
      ['lr.weights', false],
    ]);
  });
});
