// The emit stage: ManifestSets → files in `out/` (layout), written atomically or compared.
export {
  assemble,
  environmentFiles,
  systemOutput,
  objectFileName,
  type FileTree,
  type LayoutInput,
  type NamespaceUse,
  type SystemEntry,
  type SystemOutput,
} from './layout.js';
export { KUSTOMIZATION } from '../../core/generated-files.js';
export {
  writeTree,
  recoverInterruptedSwap,
  stageTree,
  commitTree,
  discardTree,
  writeFiles,
  fileTarget,
  removeTree,
  type FileTarget,
  type StagedTree,
  type WriteOptions,
} from './write.js';
export { checkResult, compareFiles, isClean, type CheckResult, type FileComparison } from './check.js';
export { checkOutputs, compileToTree, renderOutputs, writeOutputs, type CompileOptions } from './compile.js';
export {
  compileResult,
  type CheckedOutputs,
  type CheckedSystem,
  type CompileResult,
  type RenderedOutputs,
  type WrittenOutputs,
  type WrittenSystem,
} from './result.js';
export { checkDir, compileToDir, type CheckSummary, type EmitOptions, type EmitSummary } from './emit.js';
export { RenderPool, workersAvailable, type RenderJob, type RenderTask } from './render-pool.js';
