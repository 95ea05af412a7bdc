// The HTTP API end to end: the Open Inference Protocol endpoints, both request forms, typed
// tensors in JSON, and the hardening (status codes, limits, timeouts, graceful drain).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../runtime/contract/config.js';
import { Runtime } from '../../runtime/runtime.js';
import { RuntimeServer } from '../../runtime/server.js';
import { silentLogger } from '../../runtime/log.js';
import { lrConfig } from './helpers/config.js';
import { fixture } from './helpers/fixture.js';
import { gatedPool, json, startHarness, until, type Harness } from './helpers/harness.js';
import {
  logisticReference,
  ratioModel,
  treeClassifier,
  treeClassifierReference,
  typedModel,
  TYPED_SIGNATURE,
} from './helpers/models.js';
import { logisticRegression } from './helpers/models.js';

const fx = fixture();
let h: Harness;
const lr = fx.model('lr', logisticRegression());

beforeAll(async () => {
  h = await startHarness(fx, lrConfig(lr));
});
afterAll(async () => {
  await h.stop();
  fx.cleanup();
});

const rows = [
  [3, 2, 7, 1],
  [0.5, 8, 1, 4],
];
const v2 = (data: number[][]) => ({
  id: 'req-1',
  inputs: [{ name: 'x', datatype: 'FP32', shape: [data.length, 4], data: data.flat() }],
});

describe('Open Inference Protocol endpoints', () => {
  it('health, server and model metadata', async () => {
    expect(await json(fetch(`${h.url}/v2/health/live`))).toEqual({ live: true });
    expect(await json(fetch(`${h.url}/v2/health/ready`))).toEqual({ ready: true });
    expect(await json(fetch(`${h.url}/v2`))).toMatchObject({ name: 'mlspec', extensions: [] });
    expect(await json(fetch(`${h.url}/v2/models/churn`))).toEqual({
      name: 'churn',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'probability', datatype: 'FP32', shape: [-1, 1] }],
      parameters: { features: { x: ['age', 'tenure', 'spend', 'visits'] } },
    });
    expect(await json(fetch(`${h.url}/v2/models/churn/ready`))).toEqual({ name: 'churn', ready: true });
    expect((await fetch(`${h.url}/v2/models/churn/versions/1/ready`)).status).toBe(200);
  });

  it('infers a V2 batch and names the variant in a header and the body', async () => {
    const res = await h.post('/v2/models/churn/infer', v2(rows));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-mlspec-variant')).toBe('stable');
    expect(res.headers.get('x-mlspec-model-version')).toBe('1');
    const body = await json(res);
    expect(body).toMatchObject({
      model_name: 'churn',
      model_version: '1',
      id: 'req-1',
      parameters: { variant: 'stable' },
    });
    expect(body.outputs[0]).toMatchObject({ name: 'probability', datatype: 'FP32', shape: [2, 1] });
    rows.forEach((x, i) => expect(body.outputs[0].data[i]).toBeCloseTo(logisticReference(x), 6));
  });

  it('infers one record keyed by feature name', async () => {
    const res = await h.post('/v2/models/churn/infer', { age: 3, tenure: 2, spend: 7, visits: 1 });
    const body = await json(res);
    expect(body).toMatchObject({ model_name: 'churn', variant: 'stable' });
    expect(body.outputs.probability).toBeCloseTo(logisticReference(rows[0]!), 6);
  });
});

describe('hardening', () => {
  it.each([
    ['malformed JSON', '/v2/models/churn/infer', '{"inputs": [', 400, 'malformed_json'],
    [
      'a wrong shape',
      '/v2/models/churn/infer',
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] },
      400,
      'bad_tensor_shape',
    ],
    ['an unknown model', '/v2/models/fraud/infer', v2(rows), 404, 'not_found'],
    ['an unknown version', '/v2/models/churn/versions/9/infer', v2(rows), 404, 'not_found'],
    ['an unknown path', '/v3/whatever', {}, 404, 'not_found'],
  ])('%s → JSON error', async (_, path, body, status, code) => {
    const res = await h.post(path, body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    const error = await json(res);
    expect(error.code).toBe(code);
    expect(typeof error.error).toBe('string');
  });

  it('405 with Allow for a wrong method', async () => {
    const res = await fetch(`${h.url}/v2/models/churn/infer`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('413 above the body limit', async () => {
    const big = { inputs: [{ name: 'x', datatype: 'FP32', shape: [20_000, 4], data: Array(80_000).fill(1.25) }] };
    const res = await h.post('/v2/models/churn/infer', big);
    expect(res.status).toBe(413);
    expect((await json(res)).code).toBe('body_too_large');
  });

  it('reads a body that arrives in pieces, even split inside a UTF-8 character', async () => {
    const body = Buffer.from(JSON.stringify({ ...v2(rows), id: 'zoë-1' }));
    const cut = body.indexOf(Buffer.from('ë')) + 1; // between the two bytes of ë
    const socket = connect(Number(new URL(h.url).port), '127.0.0.1');
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d) => (text += d.toString('utf8')));
      socket.on('end', () => resolve(text));
    });
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      'POST /v2/models/churn/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(body.subarray(0, cut));
    await until(() => h.server.inflight === 1, 'the request to start');
    await new Promise((r) => setTimeout(r, 20)); // the first piece is read on its own
    socket.write(body.subarray(cut));
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1.1 200 /);
    const out = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
    expect(out.id).toBe('zoë-1');
    rows.forEach((x, i) => expect(out.outputs[0].data[i]).toBeCloseTo(logisticReference(x), 6));
  });

  it('does not wait forever for a client that leaves mid-body', async () => {
    const socket = connect(Number(new URL(h.url).port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      'POST /v2/models/churn/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1000\r\n\r\n{"inputs": [',
    );
    await until(() => h.server.inflight === 1, 'the request to start');
    socket.destroy();
    await until(() => h.server.inflight === 0, 'the abandoned request to finish');
  });

  it('counts answers per variant and code, and never logs bodies', async () => {
    const m = await h.metrics();
    expect(m).toMatch(/mlspec_requests_total\{model="churn",variant="stable",code="200"\} \d+/);
    expect(m).toMatch(/mlspec_request_client_errors_total\{model="churn",variant="",code="400"\} \d+/);
    expect(m).toMatch(/mlspec_request_duration_seconds_bucket\{le="0.005",model="churn",variant="stable"\} \d+/);
    expect(m).toMatch(
      /mlspec_model_info\{model="churn",variant="stable",version="1",role="stable",sha256="[0-9a-f]{64}"\} 1/,
    );
    expect(m).toMatch(/mlspec_traffic_weight_ratio\{model="churn",variant="stable"\} 1/);
    expect(JSON.stringify(h.logs)).not.toMatch(/"inputs"|1\.25/);
  });
});

describe('typed tensors over JSON', () => {
  it('FP64, BOOL, INT64, INT32 and BYTES in and out; INT64 labels of a tree classifier', async () => {
    const fx2 = fixture();
    const typed = fx2.model('typed', typedModel());
    const config: RuntimeConfig = {
      ...lrConfig(typed),
      model: { name: 'typed', ...TYPED_SIGNATURE },
      drift: {
        windowSeconds: 60,
        minSamples: 10,
        alpha: 0.01,
        correction: 'bonferroni',
        features: [{ name: 'name', kind: 'categorical', categories: { a: 1, b: 1 }, other: 0, threshold: 0.2 }],
      },
    };
    const h2 = await startHarness(fx2, config);
    try {
      const res = await h2.post('/v2/models/typed/infer', {
        inputs: [
          { name: 'x', datatype: 'FP64', shape: [2, 2], data: [0.1, 0.2, 1, 2] },
          { name: 'flag', datatype: 'BOOL', shape: [2, 1], data: [true, false] },
          { name: 'count', datatype: 'INT64', shape: [2, 1], data: [41, -5] },
          { name: 'n', datatype: 'INT32', shape: [2, 1], data: [7, -3] },
          { name: 'name', datatype: 'BYTES', shape: [2, 1], data: ['zoë', ''] },
        ],
      });
      const out = Object.fromEntries((await json(res)).outputs.map((o: { name: string }) => [o.name, o]));
      expect(out.sum).toEqual({ name: 'sum', datatype: 'FP64', shape: [2, 1], data: [0.1 + 0.2, 3] });
      expect(out.not_flag.data).toEqual([false, true]);
      expect(out.count_plus_one).toMatchObject({ datatype: 'INT64', data: [42, -4] });
      expect(out.n_twice).toMatchObject({ datatype: 'INT32', data: [14, -6] });
      expect(out.name_out).toMatchObject({ datatype: 'BYTES', data: ['zoë', ''] });
    } finally {
      await h2.stop();
    }
    const clf = fx2.model('clf', treeClassifier());
    const h3 = await startHarness(fx2, {
      ...lrConfig(clf),
      model: {
        name: 'churn',
        inputs: lrConfig(clf).model.inputs,
        outputs: [
          { name: 'label', dtype: 'INT64', shape: [-1] },
          { name: 'probabilities', dtype: 'FP32', shape: [-1, 3] },
        ],
      },
    });
    try {
      const body = await json(h3.post('/v2/models/churn/infer', v2(rows)));
      expect(body.outputs[0]).toEqual({
        name: 'label',
        datatype: 'INT64',
        shape: [2],
        data: rows.map((x) => treeClassifierReference(x).label),
      });
    } finally {
      await h3.stop();
      fx2.cleanup();
    }
  });
});

describe('not ready, timeouts and drain', () => {
  it('answers 503 while the model is not loaded, but stays live', async () => {
    const fx3 = fixture();
    fx3.publish(lrConfig(fx3.model('lr', logisticRegression())));
    const runtime = new Runtime({
      configPath: fx3.configPath,
      logger: silentLogger,
      watch: false,
      processMetrics: false,
    });
    const server = new RuntimeServer(runtime, silentLogger);
    const { port } = await server.listen(0, '127.0.0.1', 1000);
    try {
      expect((await fetch(`http://127.0.0.1:${port}/v2/health/live`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/v2/health/ready`)).status).toBe(503);
      const res = await fetch(`http://127.0.0.1:${port}/v2/models/churn/infer`, {
        method: 'POST',
        body: JSON.stringify(v2(rows)),
      });
      expect(res.status).toBe(503);
      expect((await json(res)).code).toBe('not_ready');
    } finally {
      await server.shutdown(100);
      fx3.cleanup();
    }
  });

  it('refuses an answer JSON cannot carry (NaN) with 500, counted as an error of the variant', async () => {
    const fx7 = fixture();
    const h7 = await startHarness(fx7, lrConfig(fx7.model('ratio', ratioModel())));
    try {
      const ok = await h7.post('/v2/models/churn/infer', v2([[1, 1, 0, 0]]));
      expect(ok.status).toBe(200);
      const res = await h7.post('/v2/models/churn/infer', v2([[0, 0, 0, 0]])); // 0 / 0
      expect(res.status).toBe(500);
      expect(await json(res)).toMatchObject({
        code: 'non_finite_output',
        error: expect.stringMatching(/output `probability` element 0 is NaN/),
      });
      expect(await h7.metrics()).toMatch(/mlspec_request_errors_total\{model="churn",variant="stable",code="500"\} 1/);
    } finally {
      await h7.stop();
      fx7.cleanup();
    }
  });

  it('504 when inference outlasts the request timeout', async () => {
    const fx4 = fixture();
    const gate = gatedPool();
    const config = {
      ...lrConfig(fx4.model('lr', logisticRegression())),
      server: { port: 8080, bodyLimitBytes: 65536, requestTimeoutMs: 50, shutdownTimeoutMs: 1000 },
    };
    const h4 = await startHarness(fx4, config, { pool: gate.pool });
    try {
      const res = await h4.post('/v2/models/churn/infer', v2(rows));
      expect(res.status).toBe(504);
      expect((await json(res)).code).toBe('timeout');
      expect(await h4.metrics()).toMatch(/mlspec_request_errors_total\{model="churn",variant="stable",code="504"\} 1/);
    } finally {
      gate.open();
      await h4.stop();
      fx4.cleanup();
    }
  });

  it('drains in-flight requests on shutdown and refuses new connections', async () => {
    const fx5 = fixture();
    const gate = gatedPool();
    const h5 = await startHarness(fx5, lrConfig(fx5.model('lr', logisticRegression())), { pool: gate.pool });
    try {
      const pending = h5.post('/v2/models/churn/infer', v2(rows));
      while (gate.runs() === 0) await new Promise((r) => setTimeout(r, 2));
      const shutdown = h5.server.shutdown(10_000);
      await expect(fetch(`${h5.url}/v2/health/live`)).rejects.toThrow();
      gate.open();
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.headers.get('connection')).toBe('close');
      expect(await shutdown).toEqual({ drained: true });
    } finally {
      await h5.runtime.close();
      fx5.cleanup();
    }
  });

  it('drains several in-flight requests whose answers are written together at the end of the turn', async () => {
    const fx6 = fixture();
    const gate = gatedPool();
    const h6 = await startHarness(fx6, lrConfig(fx6.model('lr', logisticRegression())), { pool: gate.pool });
    try {
      const pending = [0, 1, 2].map(() => h6.post('/v2/models/churn/infer', v2(rows)));
      while (gate.runs() < 3) await new Promise((r) => setTimeout(r, 2));
      const shutdown = h6.server.shutdown(10_000);
      gate.open();
      const answers = await Promise.all(pending);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(answers.map((r) => r.headers.get('connection'))).toEqual(['close', 'close', 'close']);
      for (const r of answers) expect((await r.json()) as { outputs: unknown[] }).toHaveProperty('outputs');
      expect(await shutdown).toEqual({ drained: true });
    } finally {
      await h6.runtime.close();
      fx6.cleanup();
    }
  });
});
