// The Rego engine's one door: code outside compiler/rego imports this module only.
//
//   const engine = RegoEngine.load([{ file: 'k8s.rego', source }], { data });
//   if (!engine.ok) report(engine.errors);                 // RegoError[]: code, message, location, hint
//   const deny = engine.value.prepare('data.k8s.deny');
//   if (!deny.ok) report(deny.errors);
//   const out = deny.value.evaluate(input);                // { ok, results } or { ok: false, error }
//
// Besides the engine: the loader for policy folders (`opa eval -d`), the test runner and its
// reports (`opa test`), OPA's output formats (`opa eval --format`), and value conversions.
// Locations are `{file, line, column}`, 1-based; OPA's wire format (`row`/`col`) appears only
// in the rendered JSON (`opaLocation`).
export type { RegoVersion } from './ast/nodes.js';
export { RegoError, type ErrorCode, type Location } from './errors.js';
export type { EvalLimits } from './eval/limits.js';
export type {
  EngineOptions,
  EvalOptions,
  EvalOutcome,
  ExpressionValue,
  ModuleSource,
  PolicyEngine,
  PreparedQuery,
  QueryResult,
  Result,
} from './policy-engine.js';
export { asRegoError, RegoEngine, termValue } from './rego-engine.js';
export { type LoadedFiles, loadInputFile, loadPolicyPaths } from './loader.js';
export { errorsJson, errorsText, opaLocation, resultsJson, resultsPretty } from './format.js';
export { runTests, summarize, type RunOptions, type TestResult, type TestSummary } from './tester/runner.js';
export { renderTestJson, renderTestText } from './tester/report.js';
export { fromJS, type Value } from './value.js';
export { toJS, toJSONText } from './convert.js';
