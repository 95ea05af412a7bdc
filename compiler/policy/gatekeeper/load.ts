// Reading Gatekeeper YAML: every ConstraintTemplate and constraint in the files and folders
// given (other documents, such as test objects and suites, are not Gatekeeper's resources and
// are passed over). A resource Gatekeeper would refuse stops the run, at its file and line.
import { filesUnder } from '../../../core/files.js';
import { readFileSync } from 'node:fs';
import { extname, relative } from 'node:path';
import { error, type Diagnostic } from '../../../core/diagnostics/diagnostic.js';
import { locate } from '../../../core/source/source-map.js';
import { parseYaml } from '../../../core/source/yaml.js';
import { EXPANSION_GROUP, type ExpansionTemplate, readExpansion } from './expansion.js';
import { parameterProblem } from './parameters.js';
import {
  CONSTRAINT_GROUP,
  type GatekeeperConstraint,
  type GatekeeperTemplate,
  groupOf,
  readConstraint,
  readTemplate,
  TEMPLATE_GROUP,
} from './resources.js';

export interface GatekeeperResources {
  readonly templates: GatekeeperTemplate[];
  readonly constraints: GatekeeperConstraint[];
  readonly expansions: ExpansionTemplate[];
  /** Every document read, for suites that name an object file. */
  readonly objects: { readonly value: Record<string, unknown>; readonly file: string; readonly line: number }[];
}

const YAML = new Set(['.yaml', '.yml', '.json']);
const HINT = 'See Gatekeeper’s ConstraintTemplate and constraint reference; mlspec reads them as the cluster would.';

/** The YAML files under `paths` (folders walked in name order), as absolute paths. */
export function yamlFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) => filesUnder(p, (name) => YAML.has(extname(name).toLowerCase())));
}

export function readResources(
  files: readonly string[],
  cwd: string,
): { resources: GatekeeperResources; diagnostics: Diagnostic[] } {
  const resources: GatekeeperResources = { templates: [], constraints: [], expansions: [], objects: [] };
  const diagnostics: Diagnostic[] = [];
  for (const abs of files) {
    const file = relative(cwd, abs).split('\\').join('/') || abs;
    const parsed = parseYaml(readFileSync(abs, 'utf8'), file);
    diagnostics.push(...parsed.diagnostics);
    for (const doc of parsed.documents) {
      if (!doc.value || typeof doc.value !== 'object' || Array.isArray(doc.value)) continue;
      const value = doc.value as Record<string, unknown>;
      const at = locate(doc.locations, '') ?? { file, line: 1, column: 1 };
      const where = { file, line: at.line };
      resources.objects.push({ value, ...where });
      const group = groupOf(value.apiVersion);
      const fail = (message: string) =>
        diagnostics.push(error('gatekeeper_resource', message, { location: { ...at }, hint: HINT }));
      if (group === TEMPLATE_GROUP && value.kind === 'ConstraintTemplate') {
        const t = readTemplate(value, where);
        if (!t.ok) fail(t.message);
        else resources.templates.push(withRegoLines(t.value, doc.locations));
      } else if (group === EXPANSION_GROUP && value.kind === 'ExpansionTemplate') {
        const e = readExpansion(value, where);
        if (!e.ok) fail(e.message);
        else resources.expansions.push(e.value);
      } else if (group === CONSTRAINT_GROUP) {
        const c = readConstraint(value, where);
        if (!c.ok) fail(c.message);
        else resources.constraints.push(c.value);
      }
    }
  }
  return { resources, diagnostics };
}

/** Where the Rego and its libs are written in the file, so that their errors point into the YAML. */
function withRegoLines(t: GatekeeperTemplate, locations: Parameters<typeof locate>[0]): GatekeeperTemplate {
  if (!t.rego) return t;
  const line = (pointer: string) => locations.get(pointer)?.value.line;
  const libLines = t.rego.libs.map((_, i) => line(`${t.rego!.pointer}/libs/${i}`) ?? t.line);
  return { ...t, rego: { ...t.rego, line: line(`${t.rego.pointer}/rego`) ?? t.line, libLines } };
}

/** Templates and constraints that belong together, or why not (a constraint without its template). */
export function pairUp(resources: GatekeeperResources): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const at = (r: { file: string; line: number }) => ({ location: { file: r.file, line: r.line, column: 1 } });
  const kinds = new Map<string, GatekeeperTemplate>();
  for (const t of resources.templates) {
    const before = kinds.get(t.kind);
    if (before)
      diagnostics.push(
        error(
          'gatekeeper_duplicate',
          `a second ConstraintTemplate ${t.name} (the first is at ${before.file}:${before.line})`,
          at(t),
        ),
      );
    else kinds.set(t.kind, t);
  }
  const names = new Map<string, GatekeeperConstraint>();
  for (const c of resources.constraints) {
    const key = `${c.kind}/${c.name}`;
    const before = names.get(key);
    if (before)
      diagnostics.push(
        error(
          'gatekeeper_duplicate',
          `a second constraint ${key} (the first is at ${before.file}:${before.line})`,
          at(c),
        ),
      );
    names.set(key, c);
    const t = kinds.get(c.kind);
    if (!t)
      diagnostics.push(
        error('gatekeeper_no_template', `constraint ${key}: no ConstraintTemplate defines kind ${c.kind}`, {
          ...at(c),
          hint: 'Add its ConstraintTemplate to the folders the platform config lists under `policy.gatekeeper`.',
        }),
      );
    else if (parameterProblem(t.schema, c.parameters))
      diagnostics.push(
        error('gatekeeper_parameters', `constraint ${key}: ${parameterProblem(t.schema, c.parameters)}`, {
          ...at(c),
          hint: `Fix \`spec.parameters\` to fit ConstraintTemplate ${t.name}'s schema: Gatekeeper would refuse it.`,
        }),
      );
    else if (!t.rego)
      diagnostics.push(
        error(
          'gatekeeper_unsupported',
          `constraint ${key}: its ConstraintTemplate ${t.name} has only CEL code (${t.engines.join(', ')}), ` +
            `which mlspec does not evaluate`,
          { ...at(c), hint: 'Give the template Rego code too, or leave this constraint out of the folders checked.' },
        ),
      );
  }
  return diagnostics;
}
