// The review as data, for other tools.
import { toJson } from '../../../core/diagnostics/render.js';
import { type CheckReport, reportPasses } from '../report.js';

export function jsonReport(report: CheckReport): string {
  const review = report.review;
  return `${JSON.stringify(
    {
      ok: reportPasses(report),
      tool: report.tool,
      diagnostics: toJson(report.diagnostics),
      policiesSkipped: report.policiesSkipped,
      policyRoots: report.policyRoots,
      systems: report.systems,
      policies: review?.policies ?? [],
      counts: review?.counts,
      findings: (review?.findings ?? []).map((f) => ({
        policy: f.policy,
        title: f.title,
        severity: f.severity,
        waived: f.waiver !== undefined,
        ...(f.waiver
          ? {
              waiver: {
                justification: f.waiver.justification,
                approvedBy: f.waiver.approvedBy,
                expires: f.waiver.expires,
                file: f.waiver.origin.file,
                pointer: f.waiver.origin.pointer,
              },
            }
          : {}),
        system: f.system,
        environment: f.environment,
        message: f.message,
        ...(f.remediation ? { remediation: f.remediation } : {}),
        controls: f.controls ?? [],
        pointer: f.pointer,
        ...(f.location ? { file: f.location.file, line: f.location.line, column: f.location.column } : {}),
        ...(f.object ? { object: { ...f.object, file: f.objectFile } } : {}),
      })),
      ...(report.changes ? { changes: report.changes } : {}),
      ...(report.experiments
        ? {
            experiments: report.experiments.map((e) => ({
              ...e,
              ...(e.problems ? { problems: toJson(e.problems) } : {}),
            })),
          }
        : {}),
    },
    null,
    2,
  )}\n`;
}
