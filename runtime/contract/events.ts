// Assignment events (A/B analysis): where the runtime ships them and the record it ships. The
// record is versioned: every event is a CloudEvent (structured JSON on stdout and in files,
// binary mode over HTTP, as KServe's payload logger sends them) whose `type` names the
// version of `data`. A reader checks `type` and ignores versions it does not know.
import { type Static, Type } from '@sinclair/typebox';
import { Closed, StringEnum } from '../../core/schema/typebox.js';
import { EVENTS_DEFAULTS } from './constants.js';

export const EventsConfig = Closed(
  {
    path: Type.Optional(
      Type.String({ minLength: 1, description: 'JSON lines file, relative to the config folder; rotated.' }),
    ),
    maxFileBytes: Type.Optional(Type.Integer({ minimum: 4096, default: EVENTS_DEFAULTS.maxFileBytes })),
    maxFiles: Type.Optional(
      Type.Integer({ minimum: 1, default: EVENTS_DEFAULTS.maxFiles, description: 'Rotated files kept.' }),
    ),
    stdout: Type.Optional(
      Type.Boolean({ default: false, description: 'JSON lines on standard output (the log pipeline).' }),
    ),
    sink: Type.Optional(
      Closed({
        url: Type.String({
          pattern: '^https?://',
          description: 'CloudEvents HTTP receiver (binary mode, one POST each).',
        }),
        timeoutMs: Type.Optional(Type.Integer({ minimum: 1, default: EVENTS_DEFAULTS.sinkTimeoutMs })),
        maxBuffered: Type.Optional(Type.Integer({ minimum: 1, default: EVENTS_DEFAULTS.sinkMaxBuffered })),
        maxConcurrent: Type.Optional(Type.Integer({ minimum: 1, default: EVENTS_DEFAULTS.sinkMaxConcurrent })),
      }),
    ),
    sampleRate: Type.Number({ minimum: 0, maximum: 1 }),
    redactFields: Type.Array(Type.String(), {
      description: 'Personal-data fields never written to events (header names match in any case).',
    }),
  },
  { description: 'At least one of `path`, `stdout` and `sink`.' },
);
export type EventsConfig = Static<typeof EventsConfig>;

export const ASSIGNMENT_EVENT_TYPE = 'io.mlspec.assignment.v1';

/** `data` of an `io.mlspec.assignment.v1` event: one answered request. */
export const AssignmentRecordV1 = Closed({
  requestId: Type.String({ description: 'V2 `id`, else the `x-request-id` header, else a generated UUID.' }),
  model: Type.String(),
  variant: Type.String(),
  version: Type.String(),
  reason: StringEnum(['override', 'version', 'sticky', 'split'] as const),
  keyHash: Type.Optional(
    Type.String({ pattern: '^[a-f0-9]{64}$', description: 'sha256 (hex) of the UTF-8 sticky key.' }),
  ),
  key: Type.Optional(Type.String({ description: 'The sticky key, unless its header or field is redacted.' })),
  status: Type.Integer({ description: 'HTTP status of the answer.' }),
  latencySeconds: Type.Number(),
  features: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'First row, redacted.' })),
  outputs: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'First row.' })),
});
export type AssignmentRecordV1 = Static<typeof AssignmentRecordV1>;

/** The CloudEvents envelope (structured mode) of one record. */
export const AssignmentEvent = Closed({
  specversion: Type.Literal('1.0'),
  type: Type.Literal(ASSIGNMENT_EVENT_TYPE),
  source: Type.String({ description: '`/mlspec/<system>/<environment>/<tier>`' }),
  id: Type.String(),
  time: Type.String({ description: 'RFC 3339, when the answer was written.' }),
  datacontenttype: Type.Literal('application/json'),
  data: AssignmentRecordV1,
});
export type AssignmentEvent = Static<typeof AssignmentEvent>;
