// Assignment events as the runtime ships them (runtime/contract/events.ts): CloudEvents in
// structured mode, one per line, possibly mixed with the runtime's log lines (stdout) or
// collected from the file sink and its rotated files. Only `io.mlspec.assignment.v1` of the
// experiment's system and environment counts; other versions and sources are skipped and counted.
import type { ValidateFunction } from 'ajv';
import { type Diagnostic, error } from '../../core/diagnostics/diagnostic.js';
import { schemaAjv } from '../../core/schema/ajv.js';
import { ASSIGNMENT_EVENT_TYPE, AssignmentRecordV1 } from '../../runtime/contract/events.js';
import { type InputFile, isObject, type LocatedRecord, readRecords } from './json-lines.js';

/** One randomized assignment: the unit (sticky key hash, else the request) and its variant. */
export interface Assignment {
  readonly unit: string;
  readonly variant: string;
  readonly requestId: string;
}

export interface EventCounts {
  readonly read: number;
  /** Log lines beside the events (no `specversion`). */
  readonly logLines: number;
  /** CloudEvents of another type or version. */
  readonly otherTypes: number;
  /** Events of another system, environment or tier. */
  readonly otherSources: number;
  /** Requests routed by override or pinned version: not randomized, so left out. */
  readonly notRandomized: number;
}

export interface EventScope {
  readonly system: string;
  readonly environment: string;
  readonly tier?: string;
}

let validateRecord: ValidateFunction | undefined;

export function readAssignments(
  files: readonly InputFile[],
  scope: EventScope,
  diagnostics: Diagnostic[],
): { assignments: Assignment[]; counts: EventCounts } {
  validateRecord ??= schemaAjv().compile(AssignmentRecordV1);
  const counts = { read: 0, logLines: 0, otherTypes: 0, otherSources: 0, notRandomized: 0 };
  const assignments: Assignment[] = [];
  for (const input of files) {
    for (const record of readRecords(input, 'a CloudEvent or a log line', diagnostics)) {
      const event = record.value;
      if (!isObject(event)) {
        diagnostics.push(located(record, 'malformed_event', 'record is not a JSON object', 'remove the line'));
        continue;
      }
      if (event.specversion === undefined) {
        counts.logLines++;
        continue;
      }
      if (event.type !== ASSIGNMENT_EVENT_TYPE) {
        counts.otherTypes++;
        continue;
      }
      counts.read++;
      if (!inScope(event.source, scope)) {
        counts.otherSources++;
        continue;
      }
      const data = event.data;
      if (!validateRecord(data)) {
        const e = validateRecord.errors?.[0];
        const where = e ? `data${e.instancePath}` : 'data';
        diagnostics.push(
          located(
            record,
            'malformed_event',
            `${ASSIGNMENT_EVENT_TYPE} event: ${where} ${e?.message ?? 'is invalid'}`,
            'the record must follow runtime/contract/events.ts; was the line cut or edited?',
          ),
        );
        continue;
      }
      const r = data as AssignmentRecordV1;
      if (r.reason !== 'split' && r.reason !== 'sticky') {
        counts.notRandomized++;
        continue;
      }
      assignments.push({ unit: unitOf(r.keyHash, r.requestId), variant: r.variant, requestId: r.requestId });
    }
  }
  return { assignments, counts };
}

/** The randomization unit: the sticky key (its hash) when there is one, else the request. */
export function unitOf(keyHash: string | undefined, requestId: string): string {
  return keyHash !== undefined ? `key:${keyHash}` : `request:${requestId}`;
}

function inScope(source: unknown, scope: EventScope): boolean {
  if (typeof source !== 'string') return false;
  const [, mlspec, system, environment, tier] = source.split('/');
  return (
    mlspec === 'mlspec' &&
    system === scope.system &&
    environment === scope.environment &&
    (scope.tier === undefined || tier === scope.tier)
  );
}

export function located(record: LocatedRecord, code: string, message: string, hint: string): Diagnostic {
  return error(code, message, {
    location: { file: record.file, line: record.line, column: 1 },
    hint,
    ...(record.pointer ? { pointer: record.pointer } : {}),
  });
}
