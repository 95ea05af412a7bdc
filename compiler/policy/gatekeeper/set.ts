// The Gatekeeper folders of the platform config (`policy.gatekeeper`), read and compiled once in
// the main thread so that a template or constraint Gatekeeper would refuse stops the run before
// anything is judged, at its file and line.
import { error, type Diagnostic } from '../../../core/diagnostics/diagnostic.js';
import type { PolicyInfo } from '../metadata.js';
import { constraintInfo, type GatekeeperSetSpec } from './admission.js';
import { compileTemplate } from './evaluate.js';
import { pairUp, readResources, yamlFiles } from './load.js';

export function loadGatekeeperSet(
  folders: readonly string[],
  cwd: string,
): { spec?: GatekeeperSetSpec; policies: PolicyInfo[]; diagnostics: Diagnostic[] } {
  const { resources, diagnostics } = readResources(yamlFiles(folders), cwd);
  diagnostics.push(...pairUp(resources));
  const used = new Set(resources.constraints.map((c) => c.kind));
  for (const t of resources.templates) {
    if (!t.rego || !used.has(t.kind)) continue;
    const compiled = compileTemplate(t);
    if (!compiled.ok)
      for (const e of compiled.errors)
        diagnostics.push(
          error('gatekeeper_template', e.message, {
            location: { file: t.file, line: e.line, column: 1 },
            hint: 'Fix the template’s Rego: Gatekeeper would refuse it too.',
          }),
        );
  }
  if (diagnostics.length > 0) return { policies: [], diagnostics };
  const constraints = resources.constraints.filter((c) => c.severity !== undefined);
  const templates = resources.templates.filter((t) => constraints.some((c) => c.kind === t.kind));
  return {
    spec: { templates, constraints, expansions: resources.expansions },
    policies: constraints.map(constraintInfo),
    diagnostics,
  };
}
