// A render worker (render-pool.ts). It is started before the specs are analysed and loads the
// render stage (cdk8s, cdk8s-plus) meanwhile; then it runs one job: render its systems and
// write their files into the staged tree, or compare them with out/ (--check), sending back
// only a summary and paths.
import { parentPort } from 'node:worker_threads';
import { checkOutputs, writeOutputs } from './compile.js';
import type { RenderJob } from './render-pool.js';

parentPort!.once('message', (job: RenderJob) => {
  const { task } = job;
  const result =
    task.kind === 'write'
      ? writeOutputs(job.systems, job.options, task.target)
      : checkOutputs(job.systems, job.options, task.outDir);
  parentPort!.postMessage(result);
  parentPort!.close();
});
