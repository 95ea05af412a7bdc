// Loading the runtime config: defaults, both formats, and errors that say where and what to do.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { validateConfig, type ConfigOutcome } from '../../../runtime/config/validate.js';
import { lrConfig } from '../helpers/config.js';

const FILE = '/etc/mlspec/runtime.json';
const stable = { path: '/models/stable.onnx', sha256: 'a'.repeat(64) };

function problems(outcome: ConfigOutcome) {
  if (outcome.ok) throw new Error('expected the config to be rejected');
  return outcome.diagnostics.map((d) => ({
    code: d.code,
    pointer: d.pointer,
    line: d.location?.line,
    message: d.message,
    hint: d.hint,
  }));
}

const text = (v: unknown) => JSON.stringify(v, null, 2);

describe('validateConfig', () => {
  it('accepts a valid config and fills in defaults', () => {
    const c = lrConfig(stable);
    const { overrideHeader: _, ...traffic } = c.traffic;
    const out = validateConfig(text({ ...c, traffic, server: {} }), FILE);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.value.config.traffic.overrideHeader).toBe('x-mlspec-variant');
    expect(out.value.config.server).toEqual({
      port: 8080,
      bodyLimitBytes: 1048576,
      requestTimeoutMs: 5000,
      shutdownTimeoutMs: 20000,
      drainDelayMs: 5000,
      maxConnections: 1024,
      maxRowsPerRequest: 4096,
    });
    expect(out.value.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads YAML as well as JSON', () => {
    expect(validateConfig(stringify(lrConfig(stable)), '/etc/mlspec/runtime.yaml').ok).toBe(true);
  });

  it('reports a syntax error with its line', () => {
    const p = problems(validateConfig('{\n  "apiVersion": "mlspec.io/v1alpha1",\n  "variants": [1, 2\n}', FILE));
    expect(p[0]).toMatchObject({ code: 'yaml_syntax' });
    expect(p[0]!.line).toBeGreaterThan(1);
  });

  it('reports schema errors at the JSON pointer and line of the offending value, with a hint', () => {
    const c = lrConfig(stable) as unknown as Record<string, any>;
    c.variants[0].sha256 = 'not-a-digest';
    c.traffic.weigths = {};
    const p = problems(validateConfig(text(c), FILE));
    const sha = p.find((x) => x.pointer === '/variants/0/sha256')!;
    expect(sha).toMatchObject({ code: 'invalid_format', hint: expect.stringMatching(/64 lowercase hex/) });
    expect(text(c).split('\n')[sha.line! - 1]).toContain('not-a-digest');
    expect(p.find((x) => x.pointer === '/traffic/weigths')).toMatchObject({ code: 'unknown_key' });
  });

  it('checks cross-references and sums, each at its pointer', () => {
    const c = lrConfig(stable, {
      variants: [
        { name: 'stable', version: '1', role: 'stable', path: 's.onnx', sha256: 'a'.repeat(64) },
        { name: 'shadowy', version: '2', role: 'preview', path: 'p.onnx', sha256: 'b'.repeat(64) },
      ],
      traffic: {
        strategy: 'shadow',
        weights: { stable: 80, shadowy: 10, ghost: 5 },
        overrideHeader: 'x-v',
        shadow: { variant: 'shadowy', percent: 10 },
      },
    });
    const p = problems(validateConfig(text(c), FILE));
    expect(p.map((x) => [x.code, x.pointer])).toEqual([
      ['weight_on_non_serving', '/traffic/weights/shadowy'],
      ['unknown_variant', '/traffic/weights/ghost'],
      ['weights_sum', '/traffic/weights'],
      ['wrong_role', '/traffic/shadow/variant'],
    ]);
    expect(p[1]!.hint).toBe('variants are: stable, shadowy');
  });

  it('checks canary roles and step weights', () => {
    const c = lrConfig(stable, {
      variants: [
        { name: 'stable', version: '1', role: 'stable', path: 's.onnx', sha256: 'a'.repeat(64) },
        { name: 'new', version: '2', role: 'variant', path: 'n.onnx', sha256: 'b'.repeat(64) },
      ],
      traffic: {
        strategy: 'canary',
        weights: { stable: 90, new: 10 },
        overrideHeader: 'x-v',
        canary: {
          stable: 'stable',
          canary: 'new',
          steps: [{ weight: 10, pauseSeconds: 1 }],
          gate: { windowSeconds: 60, minRequests: 10 },
        },
      },
    });
    expect(problems(validateConfig(text(c), FILE)).map((x) => x.pointer)).toEqual(['/traffic/canary/canary']);
  });

  it('checks drift baselines against the signature', () => {
    const c = lrConfig(stable);
    c.drift.features = [
      { name: 'age', kind: 'numeric', edges: [1, 3, 2], counts: [1, 1, 1, 1], threshold: 0.2 },
      { name: 'tenure', kind: 'numeric', edges: [1, 2], counts: [1, 1], threshold: 0.2 },
      { name: 'colour', kind: 'categorical', categories: { red: 1 }, other: 0, threshold: 0.2 },
    ];
    expect(problems(validateConfig(text(c), FILE)).map((x) => [x.code, x.pointer])).toEqual([
      ['edges_order', '/drift/features/0/edges/2'],
      ['bins_mismatch', '/drift/features/1/counts'],
      ['unknown_feature', '/drift/features/2/name'],
    ]);
  });

  it('requires a variable batch dimension for micro-batching, and features that fit the shape', () => {
    const c = lrConfig(stable, { batching: { maxBatchSize: 8, maxDelayMs: 2 } });
    c.model.inputs = [{ name: 'x', dtype: 'FP32', shape: [1, 3], features: ['age', 'tenure', 'spend', 'visits'] }];
    c.drift.features = [];
    expect(problems(validateConfig(text(c), FILE)).map((x) => [x.code, x.pointer])).toEqual([
      ['features_shape', '/model/inputs/0/features'],
      ['batching_needs_batch_dim', '/model/inputs/0/shape/0'],
    ]);
  });

  it('checks fetched features against the model inputs, and that events go somewhere', () => {
    const c = lrConfig(stable, {
      onlineFeatures: {
        url: 'http://feature-server:6566',
        entities: [
          { joinKey: 'user_id', dtype: 'INT64' },
          { joinKey: 'tenure', dtype: 'INT64' },
        ],
        features: [
          { name: 'tenure', ref: 'user_stats:tenure' },
          { name: 'income', ref: 'user_stats:income' },
        ],
      },
      events: { sampleRate: 1, redactFields: [] },
    });
    expect(problems(validateConfig(text(c), FILE)).map((x) => [x.code, x.pointer])).toEqual([
      ['unknown_feature', '/onlineFeatures/features/1/name'],
      ['entity_is_fetched', '/onlineFeatures/entities/1/joinKey'],
      ['events_without_sink', '/events'],
    ]);
  });
});
