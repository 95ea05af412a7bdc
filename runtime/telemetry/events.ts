// Assignment events for A/B analysis, shipped off the pod: JSON lines on standard output for
// the cluster's log pipeline, CloudEvents over HTTP (one POST per event in binary mode, as
// KServe's payload logger sends them), and/or a local file that rotates at a size cap. The
// record is `io.mlspec.assignment.v1` (contract/events.ts).
//
// Sampling: a request with a sticky key is kept when hash(key) falls under the rate, so a
// sampled user's whole history is kept (what an A/B analysis needs); others are sampled at
// random. Personal data never leaves: fields in `redactFields` are removed from the features
// (names compared in any case, as HTTP header names are), the raw key is left out when its
// header or field is listed, and the key's sha256 is what analyses join on. No sink may hold
// the request path: each has a bounded buffer, and what does not fit is dropped and counted.
import { createHash, randomUUID } from 'node:crypto';
import type { RuntimeConfig } from '../contract/config.js';
import { EVENTS_DEFAULTS } from '../contract/constants.js';
import { ASSIGNMENT_EVENT_TYPE, type AssignmentEvent, type AssignmentRecordV1 } from '../contract/events.js';
import { murmur3, unitInterval } from '../router/hash.js';
import { FileSink, HttpSink, type EventSink, type SinkOutcome, StdoutSink } from './event-sinks.js';

const SAMPLING_SEED = 0x5eed;

/** What the pipeline reports; the writer hashes, redacts and wraps it. */
export type AssignmentFacts = Omit<AssignmentRecordV1, 'keyHash' | 'key'> & { readonly key?: string | undefined };

export interface EventWriterOptions {
  readonly config: NonNullable<RuntimeConfig['events']>;
  readonly sticky: RuntimeConfig['traffic']['stickyKey'];
  /** `/mlspec/<system>/<environment>/<tier>` */
  readonly source: string;
  /** The file sink's path, resolved against the config folder. */
  readonly path?: string;
  readonly stdout: (line: string) => void;
  readonly count: (sink: string, outcome: SinkOutcome) => void;
  readonly random?: () => number;
}

export class EventWriter {
  readonly #rate: number;
  readonly #redact: ReadonlySet<string>;
  readonly #keyRedacted: boolean;
  readonly #random: () => number;
  readonly #source: string;
  readonly #sinks: EventSink[] = [];

  constructor(o: EventWriterOptions) {
    const c = o.config;
    this.#rate = c.sampleRate;
    this.#redact = new Set(c.redactFields.map((f) => f.toLowerCase()));
    const keySource = o.sticky?.field ?? o.sticky?.header;
    this.#keyRedacted = keySource !== undefined && this.#redact.has(keySource.toLowerCase());
    this.#random = o.random ?? Math.random;
    this.#source = o.source;
    if (o.path)
      this.#sinks.push(
        new FileSink(
          o.path,
          c.maxFileBytes ?? EVENTS_DEFAULTS.maxFileBytes,
          c.maxFiles ?? EVENTS_DEFAULTS.maxFiles,
          (x) => o.count('file', x),
        ),
      );
    if (c.stdout) this.#sinks.push(new StdoutSink(o.stdout, (x) => o.count('stdout', x)));
    if (c.sink) this.#sinks.push(new HttpSink(c.sink, (x) => o.count('http', x)));
  }

  sampled(key: string | undefined): boolean {
    if (this.#rate <= 0) return false;
    const x = key === undefined ? this.#random() : unitInterval(murmur3(key, SAMPLING_SEED));
    return x < this.#rate;
  }

  write(facts: AssignmentFacts, time: Date): void {
    const event = this.envelope(facts, time);
    const line = `${JSON.stringify(event)}\n`;
    for (const sink of this.#sinks) sink.write(event, line);
  }

  /** The CloudEvent of one answered request, redacted. */
  envelope(facts: AssignmentFacts, time: Date): AssignmentEvent {
    const { key, features, ...rest } = facts;
    const data: AssignmentRecordV1 = {
      ...rest,
      ...(key !== undefined ? { keyHash: createHash('sha256').update(key).digest('hex') } : {}),
      ...(key !== undefined && !this.#keyRedacted ? { key } : {}),
      ...(features ? { features: this.#redacted(features) } : {}),
    };
    return {
      specversion: '1.0',
      type: ASSIGNMENT_EVENT_TYPE,
      source: this.#source,
      id: randomUUID(),
      time: time.toISOString(),
      datacontenttype: 'application/json',
      data,
    };
  }

  #redacted(features: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(features)) if (!this.#redact.has(k.toLowerCase())) out[k] = v;
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.#sinks.map((s) => s.close()));
  }
}
