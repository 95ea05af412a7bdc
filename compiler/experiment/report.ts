// The one entry of the A/B analysis: the experiment as declared and the data as shipped in,
// the report (or the located problems of the data, which stop it: no verdict on bad data) out.
import { type Diagnostic, hasErrors, sortDiagnostics } from '../../core/diagnostics/diagnostic.js';
import { type AbReport, analyzeExperiment, type Experiment } from './analysis.js';
import { type AbInputs, collectSamples } from './samples.js';

export type { AbReport, Experiment } from './analysis.js';
export type { AbInputs } from './samples.js';
export { experimentOf } from './definition.js';
export { abMarkdown, abText } from './format.js';

export function abReport(
  experiment: Experiment,
  inputs: AbInputs,
): { report?: AbReport; diagnostics: readonly Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { samples, summary } = collectSamples(experiment, inputs, diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics: sortDiagnostics(diagnostics) };
  return { report: analyzeExperiment(experiment, samples, summary), diagnostics: sortDiagnostics(diagnostics) };
}
