// A worker thread of `compileToTreeParallel`: renders its share of the systems and posts back
// their files (strings copy cheaply between threads; objects would not).
import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedSystem } from '../resolve/resolved.js';
import type { RenderOptions } from '../render/context.js';
import { renderOutputs } from './compile.js';

const { systems, options } = workerData as { systems: ResolvedSystem[]; options: RenderOptions };
parentPort!.postMessage(renderOutputs(systems, options));
