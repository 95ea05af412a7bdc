// `mlspec serve` as a user and the init container run it: refusing a bad config (exit 2, a
// located message, no stack trace), `--verify-only`, and a full start → serve → SIGTERM → drain.
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../compiler/cli/io.js';
import { main } from '../../compiler/cli/main.js';
import { createServeCommand } from '../../compiler/cli/serve.js';
import { lrConfig } from './helpers/config.js';
import { fixture } from './helpers/fixture.js';
import { json, until } from './helpers/harness.js';
import { logisticReference, logisticRegression } from './helpers/models.js';

const fx = fixture();
afterAll(() => fx.cleanup());

function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: fx.dir, env: {}, isTTY: false };
}

describe('mlspec serve', () => {
  it('refuses an invalid config: exit 2, file, line, pointer and hint, no stack trace', async () => {
    const lr = fx.model('lr', logisticRegression());
    const config = lrConfig(lr);
    fx.publish({ ...config, traffic: { ...config.traffic, weights: { stable: 60 } } });
    const t = io();
    expect(await main(['serve', '--config', fx.configPath], t)).toBe(2);
    const text = t.err.join('');
    expect(text).toContain(`refusing to start: ${fx.configPath} is not a valid runtime config`);
    expect(text).toMatch(
      new RegExp(
        `${fx.configPath}:\\d+:\\d+: error\\[weights_sum\\]: weights add up to 60, not 100 \\(at /traffic/weights\\)`,
      ),
    );
    expect(text).toMatch(/hint: weights are percents of live traffic/);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('refuses to start when a model file does not match its digest', async () => {
    const lr = fx.model('lr2', logisticRegression());
    fx.publish(lrConfig({ ...lr, sha256: '0'.repeat(64) }));
    const t = io();
    const code = await createServeCommand({ signals: new EventEmitter() }).run(
      ['--config', fx.configPath, '--port', '0'],
      t,
    );
    expect(code).toBe(2);
    expect(t.err.join('')).toMatch(
      /refusing to start: a model cannot be served[\s\S]*model_load_failed[\s\S]*but the config pins 0000/,
    );
  });

  it('--verify-only checks every variant file: 0 when all match, 2 otherwise', async () => {
    const lr = fx.model('lr3', logisticRegression());
    fx.publish(lrConfig(lr));
    const ok = io();
    expect(await main(['serve', '--config', fx.configPath, '--verify-only'], ok)).toBe(0);
    expect(ok.out.join('')).toMatch(/^ok {3}stable .*lr3\.onnx: sha256 matches/);
    writeFileSync(lr.path, 'tampered');
    const bad = io();
    expect(await main(['serve', '--config', fx.configPath, '--verify-only'], bad)).toBe(2);
    expect(bad.err.join('')).toMatch(/^FAIL stable .*lr3\.onnx: sha256 is [0-9a-f]{64}, expected/);
  });

  it('a port already in use: exit 2 with what to do, not an internal error', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      fx.publish(lrConfig(fx.model('lr5', logisticRegression())));
      const t = io();
      const code = await createServeCommand({ signals: new EventEmitter() }).run(
        ['--config', fx.configPath, '--port', String(port)],
        t,
      );
      expect(code).toBe(2);
      expect(t.err.join('')).toBe(
        `mlspec serve: cannot listen: all interfaces, port ${port} is already in use; ` +
          'stop the other process or choose another port (--port, or server.port in the config)\n',
      );
    } finally {
      busy.close();
    }
  });

  it('reports usage errors with the help text', async () => {
    const t = io();
    expect(await main(['serve'], t)).toBe(2);
    expect(t.err.join('')).toMatch(/--config FILE is required[\s\S]*Usage: mlspec serve/);
  });

  it('serves until SIGTERM, then drains and exits 0, logging JSON lines', async () => {
    const lr = fx.model('lr4', logisticRegression());
    fx.publish(lrConfig(lr));
    const signals = new EventEmitter();
    const t = io();
    const exit = createServeCommand({ signals }).run(['--config', fx.configPath, '--port', '0'], t);
    const logs = () =>
      t.out
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    await until(() => logs().some((l) => l.msg === 'ready'), 'the server to be ready');
    const port = logs().find((l) => l.msg === 'listening')!.port as number;
    const res = await fetch(`http://127.0.0.1:${port}/v2/models/churn/infer`, {
      method: 'POST',
      body: JSON.stringify({ age: 1, tenure: 2, spend: 3, visits: 4 }),
    });
    expect((await json(res)).outputs.probability).toBeCloseTo(logisticReference([1, 2, 3, 4]), 6);
    signals.emit('SIGTERM');
    expect(await exit).toBe(0);
    expect(logs().map((l) => l.msg)).toEqual(['listening', 'config applied', 'ready', 'draining', 'stopped']);
    expect(logs().every((l) => typeof l.time === 'string' && typeof l.level === 'string')).toBe(true);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});
