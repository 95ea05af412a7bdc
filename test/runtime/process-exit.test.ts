// The runtime as the kubelet runs it: its own process, stopped with SIGTERM. After the drain it
// must end by itself with exit code 0 and a `stopped` line (not be cut short with an unsettled
// shutdown), having released its models on the inference workers.
import { afterEach, describe, expect, it } from 'vitest';
import { lrConfig } from './helpers/config.js';
import { fixture, type Fixture } from './helpers/fixture.js';
import { logisticRegression } from './helpers/models.js';
import { freePort, type Replica, startReplica } from './helpers/processes.js';

let fx: Fixture | undefined;
let replica: Replica | undefined;
afterEach(async () => {
  await replica?.kill();
  fx?.cleanup();
});

describe('mlspec serve as a process', () => {
  it('SIGTERM after serving: drains, releases its models and exits 0', async () => {
    fx = fixture();
    const config = lrConfig(fx.model('stable', logisticRegression()));
    fx.publish({ ...config, server: { ...config.server, drainDelayMs: 200 } });
    replica = await startReplica(fx.configPath, await freePort());
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${replica.url}/v2/models/churn/infer`, {
        method: 'POST',
        body: JSON.stringify({ age: 1, tenure: 2, spend: 3, visits: i }),
      });
      expect(res.status).toBe(200);
    }
    expect(await replica.stop()).toBe(0);
    expect(replica.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['draining', 'stopped']));
  });
});
