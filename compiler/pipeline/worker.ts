// A render worker (pool.ts). It starts before the specs are analysed and loads the render stage
// (cdk8s, cdk8s-plus) meanwhile; then it runs batches (a check with --base renders the head and
// then the base): each of its systems through render → policy → sink (system.ts), sending back
// only the small results. The pool ends it.
import { parentPort } from 'node:worker_threads';
import { preparePolicies } from '../policy/stage.js';
import type { WorkerBatch, WorkerReply } from './pool.js';
import { compileSystem } from './system.js';

parentPort!.on('message', (batch: WorkerBatch) => {
  let reply: WorkerReply;
  try {
    const policies = preparePolicies(batch.policies);
    const results = batch.systems.map((s) => {
      const r = compileSystem(s, batch.job, policies);
      parentPort!.postMessage({ progress: 1 });
      return r;
    });
    reply = { ok: true, results };
  } catch (e) {
    reply = { ok: false, message: (e as Error)?.stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
