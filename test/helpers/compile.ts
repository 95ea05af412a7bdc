// Compiling into memory through the pipeline's one door, for tests that read the file tree.
import type { FileTree } from '../../compiler/emit/layout.js';
import { compile, type CompileOptions, type CompileOutcome } from '../../compiler/pipeline/pipeline.js';
import type { ResolvedSystem } from '../../compiler/resolve/resolved.js';

export type InMemory = CompileOutcome & { readonly tree: FileTree };

export async function compileInMemory(
  systems: readonly ResolvedSystem[],
  options: Omit<CompileOptions, 'sink'> = {},
): Promise<InMemory> {
  const outcome = await compile(systems, { ...options, sink: { kind: 'memory' } });
  const tree = outcome.result?.kind === 'memory' ? outcome.result.tree : new Map<string, string>();
  return { ...outcome, tree };
}
