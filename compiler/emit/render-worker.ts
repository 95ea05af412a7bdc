// A render worker (render-pool.ts). It is started before the specs are analysed and loads the
// render stage (cdk8s, cdk8s-plus) meanwhile; then it runs one job: render its systems and
// either write their files into the staged tree (only a summary goes back) or post the files
// back (--check).
import { parentPort } from 'node:worker_threads';
import { renderOutputs, writeOutputs } from './compile.js';
import type { RenderJob } from './render-pool.js';

parentPort!.once('message', (job: RenderJob) => {
  const result = job.writeTo === undefined ? renderOutputs(job.systems, job.options) : writeOutputs(job.systems, job.options, job.writeTo);
  parentPort!.postMessage(result);
  parentPort!.close();
});
