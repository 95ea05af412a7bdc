// Resolved systems → the file tree of `out/`: render each system and environment, lay its
// objects out as files, then add the environment-level files. Systems are independent, so
// many of them can be rendered on worker threads (`jobs`); the tree is the same either way.
// The CLI and tests call this; writing or checking is separate.
import { Worker } from 'node:worker_threads';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolvedSystem } from '../resolve/resolved.js';
import { renderSystem, type ConceptRenderer, RENDERERS } from '../render/system.js';
import { NameCollisionError } from '../render/synth.js';
import type { RenderOptions } from '../render/context.js';
import { assemble, systemOutput, type FileTree, type SystemOutput } from './layout.js';

export interface CompileOptions extends RenderOptions {
  /** Test hook; workers always use the standard renderers. */
  readonly renderers?: readonly ConceptRenderer[];
}

export interface CompileResult {
  readonly tree: FileTree;
  /** Systems that could not be rendered (a tier name colliding with a generated name). */
  readonly diagnostics: readonly Diagnostic[];
  readonly systems: number;
  readonly objects: number;
}

export interface RenderedOutputs {
  readonly outputs: SystemOutput[];
  readonly diagnostics: Diagnostic[];
}

export function renderOutputs(systems: readonly ResolvedSystem[], options: CompileOptions = {}): RenderedOutputs {
  const outputs: SystemOutput[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const system of systems) {
    try {
      const set = renderSystem(system, options, options.renderers ?? RENDERERS);
      const namespace = { environment: system.environment, namespace: system.namespace, team: system.team, istio: system.cluster.components.istio };
      outputs.push(systemOutput({ set, source: system.source.file, namespace }));
    } catch (e) {
      if (!(e instanceof NameCollisionError)) throw e;
      diagnostics.push(error('name_collision', e.message, { location: { file: system.source.file, line: 1, column: 1 }, pointer: '/serving/tiers' }));
    }
  }
  return { outputs, diagnostics };
}

function result({ outputs, diagnostics }: RenderedOutputs): CompileResult {
  return { tree: assemble(outputs), diagnostics, systems: outputs.length, objects: outputs.reduce((n, o) => n + o.objects, 0) };
}

export function compileToTree(systems: readonly ResolvedSystem[], options: CompileOptions = {}): CompileResult {
  return result(renderOutputs(systems, options));
}

function renderOnWorker(systems: readonly ResolvedSystem[], options: RenderOptions): Promise<RenderedOutputs> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./render-worker.js', import.meta.url), { workerData: { systems, options } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`render worker exited with code ${code}`))));
  });
}

/**
 * The same result as `compileToTree`, rendered by `jobs` worker threads, each taking every
 * `jobs`-th system (so each gets a mix of examples). Outputs are put back in input order.
 */
export async function compileToTreeParallel(systems: readonly ResolvedSystem[], options: RenderOptions, jobs: number): Promise<CompileResult> {
  if (jobs <= 1 || systems.length < 2) return compileToTree(systems, options);
  const chunks = Array.from({ length: Math.min(jobs, systems.length) }, (_, j) => systems.filter((_, i) => i % jobs === j));
  const parts = await Promise.all(chunks.map((chunk) => renderOnWorker(chunk, { ...(options.gitCommit ? { gitCommit: options.gitCommit } : {}) })));
  // Chunk j holds systems j, j+jobs, ...: interleave back. Failed systems only add diagnostics.
  const outputs = parts.flatMap((p) => p.outputs);
  const order = new Map(systems.map((s, i) => [`${s.environment}/${s.name}`, i]));
  outputs.sort((a, b) => order.get(`${a.environment}/${a.system}`)! - order.get(`${b.environment}/${b.system}`)!);
  return result({ outputs, diagnostics: parts.flatMap((p) => p.diagnostics) });
}
