// The emit stage: ManifestSets → files in `out/` (layout), written atomically or compared.
export { layout, assemble, systemOutput, objectFileName, KUSTOMIZATION, type FileTree, type LayoutInput, type NamespaceUse, type SystemOutput } from './layout.js';
export { writeTree, recoverInterruptedSwap, type WriteOptions } from './write.js';
export { checkTree, isClean, type CheckResult } from './check.js';
export { compileToTree, compileToTreeParallel, renderOutputs, type CompileOptions, type CompileResult } from './compile.js';
