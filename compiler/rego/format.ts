// Query results and errors as `opa eval` prints them: `--format json` gives
// {"result": [{"expressions": [...], "bindings": {...}}]} ({} when undefined) or
// {"errors": [...]}; `--format pretty` gives the values as indented JSON.
import type { Location, RegoError } from './errors.js';
import type { QueryResult } from './policy-engine.js';
import { ObjectValue, type Value } from './value.js';
import { toJSONText } from './convert.js';

/** A location in OPA's wire format (`{file, row, col}`): the one place lines become rows. */
export function opaLocation(l: Location): { file: string; row: number; col: number } {
  return { file: l.file, row: l.line, col: l.column };
}

function indent(text: string, by: number): string {
  return text.replace(/\n/g, `\n${' '.repeat(by)}`);
}

function bindingsText(b: Readonly<Record<string, Value>>, depth: number): string {
  const names = Object.keys(b);
  if (names.length === 0) return '{}';
  const pad = ' '.repeat(2 * (depth + 1));
  const lines = names.map((n) => `${pad}${JSON.stringify(n)}: ${indent(toJSONText(b[n]!, 2), 2 * (depth + 1))}`);
  return `{\n${lines.join(',\n')}\n${' '.repeat(2 * depth)}}`;
}

/** `opa eval --format json` (keys sorted, numbers written exactly). */
export function resultsJson(results: readonly QueryResult[]): string {
  if (results.length === 0) return '{}\n';
  const result = results.map((r) => {
    const expressions = r.expressions.map((e) =>
      ObjectValue.fromRecord({
        value: e.value,
        text: e.text,
        location: ObjectValue.fromRecord({ row: e.location.line, col: e.location.column }),
      }),
    );
    const out = ObjectValue.fromRecord({ expressions });
    if (Object.keys(r.bindings).length > 0) out.put('bindings', ObjectValue.fromRecord(r.bindings));
    return out;
  });
  return `${toJSONText(ObjectValue.fromRecord({ result }), 2)}\n`;
}

/** `opa eval --format pretty`: bindings when the query has vars, else the expression values. */
export function resultsPretty(results: readonly QueryResult[]): string {
  if (results.length === 0) return 'undefined\n';
  return `${results
    .map((r) => {
      if (Object.keys(r.bindings).length > 0) return bindingsText(r.bindings, 0);
      return r.expressions.map((e) => toJSONText(e.value, 2)).join('\n');
    })
    .join('\n')}\n`;
}

export function errorsJson(errors: readonly RegoError[]): string {
  const items = errors.map((e) => ({
    message: e.message,
    code: e.code,
    ...(e.location ? { location: opaLocation(e.location) } : {}),
    ...(e.details ? { details: e.details } : {}),
    ...(e.hint ? { hint: e.hint } : {}),
  }));
  return `${JSON.stringify({ errors: items }, null, 2)}\n`;
}

/** `file:line:column: code: message` lines, then the details and the hint, indented. */
export function errorsText(errors: readonly RegoError[]): string {
  return `${errors
    .map((e) => {
      const at = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : '';
      const details = (e.details ?? []).map((l) => `\n  ${l}`).join('');
      return `${at}${e.code}: ${e.message}${details}${e.hint ? `\n  hint: ${e.hint}` : ''}`;
    })
    .join('\n')}\n`;
}
