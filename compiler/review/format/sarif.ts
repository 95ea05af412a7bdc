// SARIF 2.1.0 for code scanning: one rule per policy with its metadata, one result per finding
// at its spec line (waived findings carry an accepted suppression with the justification).
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.js';
import { sha256Hex } from '../../../core/hash.js';
import type { FindingSeverity } from '../../policy/finding.js';
import { WAIVER_POLICY } from '../../policy/waivers.js';
import type { CheckReport } from '../report.js';
import type { LocatedFinding } from '../review.js';

const LEVEL: Readonly<Record<FindingSeverity, 'error' | 'warning' | 'note'>> = {
  deny: 'error',
  warn: 'warning',
  info: 'note',
};

/** The rule for problems that stop a check (invalid specs, policies that do not compile). */
const SPEC_RULE = 'mlspec.spec';

const region = (l: { line: number; column: number }) => ({ startLine: l.line, startColumn: l.column });

function physical(file: string, at?: { line: number; column: number }) {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(file), uriBaseId: '%SRCROOT%' },
      ...(at ? { region: region(at) } : {}),
    },
  };
}

function findingResult(f: LocatedFinding, ruleIndex: number) {
  const file = f.location?.file ?? f.objectFile;
  return {
    ruleId: f.policy,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    message: {
      text: `${f.message} (${f.environment ? `${f.system}/${f.environment}` : f.system})${
        f.remediation ? `. Fix: ${f.remediation}` : ''
      }`,
    },
    ...(file ? { locations: [physical(file, f.location)] } : {}),
    ...(f.objectFile && f.location ? { relatedLocations: [{ id: 1, ...physical(f.objectFile) }] } : {}),
    partialFingerprints: {
      'mlspecFinding/v1': sha256Hex(JSON.stringify([f.policy, f.system, f.environment, f.pointer, f.message])),
    },
    ...(f.waiver
      ? {
          suppressions: [
            {
              // No `status`: the 2.1.0 schema this output is checked against does not define it.
              kind: f.waiver.origin.document === 'spec' ? 'inSource' : 'external',
              justification:
                `${f.waiver.justification} ` + `(approved by ${f.waiver.approvedBy}, until ${f.waiver.expires})`,
            },
          ],
        }
      : {}),
    properties: { system: f.system, environment: f.environment, pointer: f.pointer, controls: f.controls ?? [] },
  };
}

function diagnosticResult(d: Diagnostic, ruleIndex: number) {
  return {
    ruleId: SPEC_RULE,
    ruleIndex,
    level: d.severity === 'error' ? 'error' : 'warning',
    message: { text: `${d.code}: ${d.message}${d.hint ? `. ${d.hint}` : ''}` },
    ...(d.location ? { locations: [physical(d.location.file, d.location)] } : {}),
  };
}

export function sarifReport(report: CheckReport): string {
  const policies = report.review?.policies ?? [];
  const rules = [
    ...policies.map((p) => ({
      id: p.id,
      name: p.title,
      shortDescription: { text: p.title },
      ...(p.description ? { fullDescription: { text: p.description } } : {}),
      ...(p.remediation ? { help: { text: p.remediation } } : {}),
      defaultConfiguration: { level: LEVEL[p.severity] },
      properties: { tags: ['compliance', ...p.controls], file: p.file },
    })),
    {
      id: WAIVER_POLICY,
      name: 'Waivers',
      shortDescription: { text: 'Waivers are current, name a policy, and are used' },
      defaultConfiguration: { level: 'error' },
    },
    {
      id: SPEC_RULE,
      name: 'Valid specs',
      shortDescription: { text: 'Specs load, validate and resolve against the platform config' },
      defaultConfiguration: { level: 'error' },
    },
  ];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = [
    ...report.diagnostics.map((d) => diagnosticResult(d, index.get(SPEC_RULE)!)),
    ...(report.review?.findings ?? []).map((f) => findingResult(f, index.get(f.policy) ?? -1)),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            informationUri: 'https://mlspec.io',
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the repository.' } } },
        results,
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
