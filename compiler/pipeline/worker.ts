// A render worker (pool.ts). It starts before the specs are analysed and loads the render stage
// (cdk8s, cdk8s-plus) meanwhile; then it runs one batch: each of its systems through
// render → policy → sink (system.ts), sending back only the small results.
import { parentPort } from 'node:worker_threads';
import { preparePolicies } from '../policy/stage.js';
import type { WorkerBatch, WorkerReply } from './pool.js';
import { compileSystem } from './system.js';

parentPort!.once('message', (batch: WorkerBatch) => {
  let reply: WorkerReply;
  try {
    const policies = preparePolicies(batch.policies);
    reply = { ok: true, results: batch.systems.map((s) => compileSystem(s, batch.job, policies)) };
  } catch (e) {
    reply = { ok: false, message: (e as Error)?.stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
  parentPort!.close();
});
