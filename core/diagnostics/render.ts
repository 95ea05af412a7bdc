import { sortDiagnostics, type Diagnostic } from './diagnostic.js';

export interface RenderOptions {
  readonly color: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

function where(d: Diagnostic): string {
  if (!d.location) return '';
  return `${d.location.file}:${d.location.line}:${d.location.column}: `;
}

/** `file:line:col: error[code]: message (at /pointer)` followed by an indented hint. */
export function renderText(diagnostics: readonly Diagnostic[], options: RenderOptions): string {
  const lines: string[] = [];
  for (const d of sortDiagnostics(diagnostics)) {
    const sev =
      d.severity === 'error' ? paint(options.color, '31;1', 'error') : paint(options.color, '33;1', 'warning');
    const at = d.pointer !== undefined && d.pointer !== '' ? ` (at ${d.pointer})` : '';
    lines.push(`${paint(options.color, '1', where(d))}${sev}[${d.code}]: ${d.message}${at}`);
    if (d.hint) lines.push(`  ${paint(options.color, '36', 'hint')}: ${d.hint}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Plain JSON objects with a flat location, for machines. */
export function toJson(diagnostics: readonly Diagnostic[]): object[] {
  return sortDiagnostics(diagnostics).map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.location ? { file: d.location.file, line: d.location.line, column: d.location.column } : {}),
    ...(d.pointer !== undefined ? { pointer: d.pointer } : {}),
  }));
}
