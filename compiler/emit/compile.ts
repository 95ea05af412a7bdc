// Resolved systems → the file tree of `out/`: render each system and environment, lay its
// objects out as files, then add the environment-level files. Systems are independent, so
// they can be rendered on worker threads (render-pool.ts); the tree is the same either way.
// Tests call this directly; the CLI goes through emit.ts.
import { error, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { ResolvedSystem } from '../resolve/resolved.js';
import { renderSystem, type ConceptRenderer, RENDERERS } from '../render/system.js';
import { NameCollisionError } from '../render/synth.js';
import type { RenderOptions } from '../render/context.js';
import { systemOutput, type NamespaceUse, type SystemOutput } from './layout.js';
import {
  compileResult,
  type CheckedOutputs,
  type CheckedSystem,
  type CompileResult,
  type RenderedOutputs,
  type WrittenOutputs,
  type WrittenSystem,
} from './result.js';
import { compareFiles, type FileComparison } from './check.js';
import { writeFiles, type FileTarget } from './write.js';

export type { CompileResult, RenderedOutputs, WrittenOutputs } from './result.js';

export interface CompileOptions extends RenderOptions {
  /** Test hook; workers always use the standard renderers. */
  readonly renderers?: readonly ConceptRenderer[];
}

/** What the environment level needs to know of a system's namespace. */
export function namespaceUse(system: ResolvedSystem): NamespaceUse {
  return {
    environment: system.environment,
    namespace: system.namespace,
    team: system.team,
    istio: system.cluster.components.istio,
  };
}

/** One system's files, or the diagnostic saying why it cannot be rendered. */
export function renderSystemOutput(system: ResolvedSystem, options: CompileOptions = {}): SystemOutput | Diagnostic {
  try {
    const set = renderSystem(system, options, options.renderers ?? RENDERERS);
    return systemOutput({ set, source: system.source.file, namespace: namespaceUse(system) });
  } catch (e) {
    if (!(e instanceof NameCollisionError)) throw e;
    return error('name_collision', e.message, {
      location: { file: system.source.file, line: 1, column: 1 },
      pointer: '/serving/tiers',
    });
  }
}

/**
 * Render each system and hand its files to `use` at once, so that they need not all be held;
 * a system that cannot be rendered becomes a diagnostic instead.
 */
function eachRendered<T>(
  systems: readonly ResolvedSystem[],
  options: CompileOptions,
  use: (out: SystemOutput) => T,
): { results: T[]; diagnostics: Diagnostic[] } {
  const results: T[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const system of systems) {
    const out = renderSystemOutput(system, options);
    if ('files' in out) results.push(use(out));
    else diagnostics.push(out);
  }
  return { results, diagnostics };
}

const summary = (out: SystemOutput): WrittenSystem => ({
  environment: out.environment,
  system: out.system,
  namespace: out.namespace,
  files: out.files.length,
  objects: out.objects,
});

export function renderOutputs(systems: readonly ResolvedSystem[], options: CompileOptions = {}): RenderedOutputs {
  const { results, diagnostics } = eachRendered(systems, options, (out) => out);
  return { outputs: results, diagnostics };
}

/** Render systems and write each one's files as soon as it is rendered. */
export function writeOutputs(
  systems: readonly ResolvedSystem[],
  options: CompileOptions,
  target: FileTarget,
): WrittenOutputs {
  const { results, diagnostics } = eachRendered(systems, options, (out) => {
    writeFiles(target, out.files);
    return summary(out);
  });
  return { written: results, diagnostics };
}

/** Render systems and compare each one's files with `outDir` as soon as it is rendered (--check). */
export function checkOutputs(
  systems: readonly ResolvedSystem[],
  options: CompileOptions,
  outDir: string,
): CheckedOutputs {
  const compared: FileComparison = { differing: [], missing: [] };
  const { results, diagnostics } = eachRendered(systems, options, (out): CheckedSystem => {
    compareFiles(outDir, out.files, compared);
    return { ...summary(out), paths: out.files.map(([path]) => path) };
  });
  return { checked: results, ...compared, diagnostics };
}

export function compileToTree(systems: readonly ResolvedSystem[], options: CompileOptions = {}): CompileResult {
  return compileResult(renderOutputs(systems, options));
}
