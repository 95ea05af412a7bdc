// What rendering produced, before and after it is laid out as the tree of `out/`. Kept apart
// from compile.ts so that the main thread can assemble workers' results without loading cdk8s.
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { assemble, type FileTree, type SystemEntry, type SystemOutput } from './layout.js';

export interface RenderedOutputs {
  readonly outputs: SystemOutput[];
  /** Systems that could not be rendered (a tier name colliding with a generated name). */
  readonly diagnostics: Diagnostic[];
}

/** A system whose files are written: what the environment level and the summary need. */
export type WrittenSystem = SystemEntry & { readonly files: number; readonly objects: number };

export interface WrittenOutputs {
  readonly written: WrittenSystem[];
  readonly diagnostics: Diagnostic[];
}

export interface CompileResult {
  readonly tree: FileTree;
  readonly diagnostics: readonly Diagnostic[];
  readonly systems: number;
  readonly objects: number;
}

export function compileResult({ outputs, diagnostics }: RenderedOutputs): CompileResult {
  return {
    tree: assemble(outputs),
    diagnostics,
    systems: outputs.length,
    objects: outputs.reduce((n, o) => n + o.objects, 0),
  };
}

/** A checked system: what the environment level needs, and every path it would write. */
export type CheckedSystem = WrittenSystem & { readonly paths: readonly string[] };

/** Systems rendered and compared with `out/` (compile --check). */
export interface CheckedOutputs {
  readonly checked: CheckedSystem[];
  readonly differing: string[];
  readonly missing: string[];
  readonly diagnostics: Diagnostic[];
}
