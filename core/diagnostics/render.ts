// Diagnostics as people (text) and machines (JSON) read them. Messages quote values through
// quote.ts; as a last guard, a message or hint is cut short here too, and a pointer's long
// segments are cut in text (JSON keeps the exact pointer for tools): nothing a spec holds, or
// a Jsonnet file or policy computed, is echoed whole into a CI log.
import { sortDiagnostics, type Diagnostic } from './diagnostic.js';
import { cutShort, QUOTE_LIMIT } from './quote.js';

/** Characters of a message or hint shown at most. */
const TEXT_LIMIT = 1000;

export interface RenderOptions {
  readonly color: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

function where(d: Diagnostic): string {
  if (!d.location) return '';
  return `${cutShort(d.location.file, TEXT_LIMIT)}:${d.location.line}:${d.location.column}: `;
}

const pointerShown = (pointer: string) =>
  pointer
    .split('/')
    .map((segment) => cutShort(segment, QUOTE_LIMIT))
    .join('/');

/** `file:line:col: error[code]: message (at /pointer)` followed by an indented hint. */
export function renderText(diagnostics: readonly Diagnostic[], options: RenderOptions): string {
  const lines: string[] = [];
  for (const d of sortDiagnostics(diagnostics)) {
    const sev =
      d.severity === 'error' ? paint(options.color, '31;1', 'error') : paint(options.color, '33;1', 'warning');
    const at = d.pointer !== undefined && d.pointer !== '' ? ` (at ${pointerShown(d.pointer)})` : '';
    lines.push(`${paint(options.color, '1', where(d))}${sev}[${d.code}]: ${cutShort(d.message, TEXT_LIMIT)}${at}`);
    if (d.hint) lines.push(`  ${paint(options.color, '36', 'hint')}: ${cutShort(d.hint, TEXT_LIMIT)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Plain JSON objects with a flat location, for machines. */
export function toJson(diagnostics: readonly Diagnostic[]): object[] {
  return sortDiagnostics(diagnostics).map((d) => ({
    code: d.code,
    severity: d.severity,
    message: cutShort(d.message, TEXT_LIMIT),
    ...(d.hint ? { hint: cutShort(d.hint, TEXT_LIMIT) } : {}),
    ...(d.location ? { file: d.location.file, line: d.location.line, column: d.location.column } : {}),
    ...(d.pointer !== undefined ? { pointer: d.pointer } : {}),
  }));
}
