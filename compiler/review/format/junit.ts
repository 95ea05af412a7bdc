// JUnit XML: one test case per policy × system × environment, failed by its unwaived deny
// findings (warn findings are reported as system-out, not failures), so CI dashboards count them.
import type { CheckReport } from '../report.js';
import type { LocatedFinding } from '../review.js';

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 has no place for most control characters.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const line = (f: LocatedFinding) =>
  `${f.location ? `${f.location.file}:${f.location.line}: ` : ''}${f.severity}: ${f.message}`;

export function junitReport(report: CheckReport): string {
  const review = report.review;
  const cases: string[] = [];
  let failures = 0;
  for (const p of review?.policies ?? []) {
    for (const key of review?.checked ?? []) {
      const [environment, system] = key.split('/') as [string, string];
      const found = (review?.findings ?? []).filter(
        (f) => f.policy === p.id && f.system === system && f.environment === environment,
      );
      const denied = found.filter((f) => f.severity === 'deny' && !f.waiver);
      const name = xml(`${p.id} ${system}/${environment}`);
      const classname = xml(`mlspec.${system}.${environment}`);
      const body: string[] = [];
      if (denied.length > 0) {
        failures++;
        body.push(
          `      <failure message="${xml(denied[0]!.message)}" type="${xml(p.id)}">` +
            `${xml(denied.map(line).join('\n'))}</failure>`,
        );
      }
      const rest = found.filter((f) => !denied.includes(f));
      if (rest.length > 0)
        body.push(
          `      ` +
            `<system-out>${xml(rest.map((f) => `${line(f)}${f.waiver ? ' (waived)' : ''}`).join('\n'))}</system-out>`,
        );
      cases.push(
        body.length
          ? `    <testcase name="${name}" classname="${classname}">\n${body.join('\n')}\n    </testcase>`
          : `    <testcase name="${name}" classname="${classname}"/>`,
      );
    }
  }
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) {
    const at = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}` : 'mlspec';
    cases.push(
      `    <testcase name="${xml(`${d.code} ${at}`)}" classname="mlspec.specs">\n` +
        `      <error message="${xml(d.message)}" type="${xml(d.code)}"/>\n    </testcase>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mlspec check" tests="${cases.length}" failures="${failures}" errors="${errors.length}">`,
    `  <testsuite name="mlspec policies" tests="${cases.length}" failures="${failures}" errors="${errors.length}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
