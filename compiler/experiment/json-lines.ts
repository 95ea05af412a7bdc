// Records shipped as JSON lines (log pipelines, the runtime's file sink) or as one JSON array
// (a CloudEvents batch dump). Each record is handed on with its line, so every problem found
// later points at the line that holds it.
import { type Diagnostic, error } from '../../core/diagnostics/diagnostic.js';

export interface InputFile {
  /** As shown to users (relative to the working directory). */
  readonly file: string;
  readonly text: string;
}

export interface LocatedRecord {
  readonly value: unknown;
  readonly file: string;
  readonly line: number;
  /** The record's index in a JSON array, as a JSON pointer. */
  readonly pointer?: string;
}

export function readRecords(input: InputFile, what: string, diagnostics: Diagnostic[]): LocatedRecord[] {
  const { file, text } = input;
  if (text.trimStart().startsWith('[')) return readArray(input, what, diagnostics);
  const records: LocatedRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      diagnostics.push(
        error('malformed_record', `line is not JSON: ${(e as Error).message}`, {
          location: { file, line: i + 1, column: 1 },
          hint: `each line must be one JSON object (${what}); remove or repair the line`,
        }),
      );
      return;
    }
    records.push({ value, file, line: i + 1 });
  });
  return records;
}

function readArray({ file, text }: InputFile, what: string, diagnostics: Diagnostic[]): LocatedRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    diagnostics.push(
      error('malformed_record', `file is not a JSON array: ${(e as Error).message}`, {
        location: { file, line: 1, column: 1 },
        hint: `give JSON lines or one JSON array of ${what}`,
      }),
    );
    return [];
  }
  if (!Array.isArray(value)) return [];
  // A JSON array has no per-record line without a positional parser; the pointer names the record.
  return value.map((v, i) => ({ value: v, file, line: 1, pointer: `/${i}` }));
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
