// Count metrics from a snapshot of the runtime's counters in the Prometheus text exposition
// format (what `curl <pod>:<port>/metrics` or a federation endpoint returns). Series are summed
// by their `variant` label over every other label (model, code, pod, ...).
import { type Diagnostic, error } from '../../core/diagnostics/diagnostic.js';
import type { InputFile } from './json-lines.js';

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/** Per metric name, the sum of its samples per `variant` label value. */
export type CounterTotals = Map<string, Map<string, number>>;

export function readCounters({ file, text }: InputFile, diagnostics: Diagnostic[]): CounterTotals {
  const totals: CounterTotals = new Map();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = SAMPLE.exec(line);
    const labels = m ? parseLabels(m[2] ?? '') : undefined;
    const value = m ? Number(m[3]) : Number.NaN;
    if (!m || !labels || Number.isNaN(value)) {
      diagnostics.push(
        error('malformed_metrics', 'line is not a Prometheus sample', {
          location: { file, line: i + 1, column: 1 },
          hint: 'give the text exposition format: `name{label="value",...} number`',
        }),
      );
      return;
    }
    const variant = labels.get('variant');
    if (variant === undefined) return;
    let byVariant = totals.get(m[1]!);
    if (!byVariant) totals.set(m[1]!, (byVariant = new Map()));
    byVariant.set(variant, (byVariant.get(variant) ?? 0) + value);
  });
  return totals;
}

function parseLabels(text: string): Map<string, string> | undefined {
  const labels = new Map<string, string>();
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const m = LABEL.exec(text);
    if (!m) return text.slice(start).trim() === '' ? labels : undefined;
    labels.set(
      m[1]!,
      m[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c)),
    );
  }
  return labels;
}
