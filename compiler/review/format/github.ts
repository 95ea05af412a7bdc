// GitHub Actions workflow commands: each finding becomes an annotation on its file and line.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.js';
import { type CheckReport, scopeOf } from '../report.js';

/** Data and property values are escaped as the runner expects (%, CR, LF; and `:` `,` in properties). */
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function command(level: 'error' | 'warning' | 'notice', props: Record<string, string | number>, text: string) {
  const list = Object.entries(props)
    .map(([k, v]) => `${k}=${property(String(v))}`)
    .join(',');
  return `::${level}${list ? ` ${list}` : ''}::${data(text)}`;
}

const diagnosticLine = (d: Diagnostic) =>
  command(
    d.severity === 'error' ? 'error' : 'warning',
    {
      ...(d.location ? { file: d.location.file, line: d.location.line, col: d.location.column } : {}),
      title: `mlspec ${d.code}`,
    },
    d.hint ? `${d.message}\n${d.hint}` : d.message,
  );

export function githubReport(report: CheckReport): string {
  const lines = report.diagnostics.map(diagnosticLine);
  for (const f of report.review?.findings ?? []) {
    const level = f.waiver ? 'notice' : f.severity === 'deny' ? 'error' : f.severity === 'warn' ? 'warning' : 'notice';
    const file = f.location?.file ?? f.objectFile;
    const props = {
      ...(file ? { file } : {}),
      ...(f.location ? { line: f.location.line, col: f.location.column } : {}),
      title: `${f.title} (${scopeOf(f)})${f.waiver ? ' waived' : ''}`,
    };
    const text = [f.message, f.remediation && !f.waiver ? `Fix: ${f.remediation}` : undefined]
      .filter(Boolean)
      .join('\n');
    lines.push(command(level, props, text));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
