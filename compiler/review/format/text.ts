// The terminal review: a summary, then each finding with where to fix it and how.
import { renderText } from '../../../core/diagnostics/render.js';
import { experimentSummary } from '../experiments.js';
import { type CheckReport, reportPasses, scopeOf, where } from '../report.js';

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
const SEVERITY_COLOR = { deny: '31;1', warn: '33;1', info: '36' } as const;

export function textReport(report: CheckReport, color: boolean): string {
  const lines: string[] = [];
  if (report.diagnostics.length > 0) lines.push(renderText(report.diagnostics, { color }).trimEnd());
  const review = report.review;
  if (review) {
    for (const f of review.findings) {
      const sev = paint(color, SEVERITY_COLOR[f.severity], f.severity);
      const mark = f.waiver ? ` (waived until ${f.waiver.expires}, approved by ${f.waiver.approvedBy})` : '';
      const at = where(f);
      lines.push(`${at ? `${paint(color, '1', at)}: ` : ''}${sev}[${f.policy}] ${scopeOf(f)}: ${f.message}${mark}`);
      if (f.objectFile && f.location) lines.push(`  object: ${f.objectFile}`);
      if (f.remediation && !f.waiver) lines.push(`  ${paint(color, '36', 'fix')}: ${f.remediation}`);
    }
    const c = review.counts;
    const systems = new Set(review.checked.map((k) => k.split('/')[1])).size;
    lines.push(
      `${systems} system(s), ${review.checked.length} system-environment(s), ${review.policies.length} policies: ` +
        `${c.deny} deny, ${c.warn} warn, ${c.info} info, ${c.waived} waived`,
    );
  }
  if (report.policiesSkipped) lines.push('compliance policies SKIPPED (--no-policies): this is not a review');
  if (report.changes) {
    for (const e of report.changes.environments) {
      if (e.added + e.changed + e.removed === 0) continue;
      lines.push(
        `${e.environment}: ${e.added} added, ${e.changed} changed, ${e.removed} removed (vs ${report.changes.base})`,
      );
    }
  }
  for (const e of report.experiments ?? []) lines.push(experimentSummary(e));
  lines.push(reportPasses(report) ? 'check passed' : 'check FAILED');
  return `${lines.join('\n')}\n`;
}
