// Where assignment events go (events.ts). Every sink is bounded: a sink that cannot keep up
// drops events and counts them rather than growing without limit or slowing requests.
import { createWriteStream, openSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { EVENTS_DEFAULTS } from '../contract/constants.js';
import type { EventsConfig } from '../contract/events.js';
import type { AssignmentEvent } from '../contract/events.js';
import { HttpFailed, JsonClient } from '../http-client.js';
import { LoadError } from '../load-error.js';

export type SinkOutcome = 'written' | 'dropped' | 'failed';

export interface EventSink {
  /** `line` is `event` as one JSON line. */
  write(event: AssignmentEvent, line: string): void;
  close(): Promise<void>;
}

/** Bytes a stream may hold unwritten before events are dropped. */
const MAX_BACKLOG_BYTES = 1 << 20;

/**
 * JSON lines appended to a file that rotates when it would pass `maxBytes`: `events.jsonl` →
 * `events.jsonl.1` → ... → `events.jsonl.<maxFiles>`, the oldest deleted. At most
 * (maxFiles + 1) × maxBytes on disk, so an `emptyDir` with a size limit is never filled.
 */
export class FileSink implements EventSink {
  #stream: WriteStream;
  #bytes: number;

  constructor(
    private readonly path: string,
    private readonly maxBytes: number,
    private readonly maxFiles: number,
    private readonly count: (o: SinkOutcome) => void,
  ) {
    this.#bytes = sizeOf(path);
    this.#stream = this.#open();
  }

  write(_event: AssignmentEvent, line: string): void {
    if (this.#stream.writableLength > MAX_BACKLOG_BYTES || this.#stream.destroyed) return this.count('dropped');
    const bytes = Buffer.byteLength(line);
    if (this.#bytes > 0 && this.#bytes + bytes > this.maxBytes) this.#rotate();
    this.#stream.write(line);
    this.#bytes += bytes;
    this.count('written');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#stream.end(resolve));
  }

  /** Opened at once (not when the stream gets round to it), so a rotation right after finds the file. */
  #open(): WriteStream {
    let fd: number;
    try {
      fd = openSync(this.path, 'a');
    } catch (e) {
      throw new LoadError(
        `cannot open the events file ${this.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        'mount a writable volume there, or ship events to stdout or a sink instead',
        'events_unwritable',
      );
    }
    const stream = createWriteStream(this.path, { fd });
    stream.on('error', () => this.count('failed'));
    return stream;
  }

  /** The open stream keeps writing what it holds into the renamed file (same inode), then closes. */
  #rotate(): void {
    try {
      rmSync(`${this.path}.${this.maxFiles}`, { force: true });
      for (let i = this.maxFiles - 1; i >= 1; i--) renameIfExists(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      renameSync(this.path, `${this.path}.1`);
    } catch {
      this.count('failed');
    }
    let next: WriteStream;
    try {
      next = this.#open();
    } catch {
      return this.count('failed'); // keep writing where we were rather than lose events
    }
    this.#stream.end();
    this.#stream = next;
    this.#bytes = 0;
  }
}

/** JSON lines on standard output, beside the logs; a CloudEvent line has `specversion` and `type`, a log line `msg`. */
export class StdoutSink implements EventSink {
  constructor(
    private readonly out: (line: string) => void,
    private readonly count: (o: SinkOutcome) => void,
  ) {}

  write(_event: AssignmentEvent, line: string): void {
    if (process.stdout.writableLength > MAX_BACKLOG_BYTES) return this.count('dropped');
    this.out(line);
    this.count('written');
  }

  async close(): Promise<void> {}
}

/** CloudEvents over HTTP, binary content mode: `ce-*` headers, the record as the JSON body. */
export class HttpSink implements EventSink {
  readonly #client: JsonClient;
  readonly #queue: AssignmentEvent[] = [];
  readonly #max: number;
  readonly #concurrency: number;
  readonly #timeoutMs: number;
  readonly #path: string;
  #inflight = 0;
  #idle: (() => void) | undefined;

  constructor(
    config: NonNullable<EventsConfig['sink']>,
    private readonly count: (o: SinkOutcome) => void,
  ) {
    const url = new URL(config.url);
    this.#path = `${url.pathname}${url.search}`;
    this.#client = new JsonClient(url.origin, config.maxConcurrent ?? EVENTS_DEFAULTS.sinkMaxConcurrent);
    this.#max = config.maxBuffered ?? EVENTS_DEFAULTS.sinkMaxBuffered;
    this.#concurrency = config.maxConcurrent ?? EVENTS_DEFAULTS.sinkMaxConcurrent;
    this.#timeoutMs = config.timeoutMs ?? EVENTS_DEFAULTS.sinkTimeoutMs;
  }

  write(event: AssignmentEvent): void {
    if (this.#queue.length >= this.#max) return this.count('dropped');
    this.#queue.push(event);
    this.#pump();
  }

  /** Sends what is buffered (within the time limit of each call), then closes the connections. */
  async close(): Promise<void> {
    if (this.#inflight > 0 || this.#queue.length > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
    this.#client.close();
  }

  #pump(): void {
    while (this.#inflight < this.#concurrency && this.#queue.length > 0) {
      const event = this.#queue.shift()!;
      this.#inflight++;
      this.#client
        .post(
          this.#path,
          JSON.stringify(event.data),
          {
            'ce-specversion': event.specversion,
            'ce-type': event.type,
            'ce-source': event.source,
            'ce-id': event.id,
            'ce-time': event.time,
          },
          this.#timeoutMs,
        )
        .then(
          (answer) => this.count(answer.status >= 200 && answer.status < 300 ? 'written' : 'failed'),
          (e: unknown) => {
            if (!(e instanceof HttpFailed)) throw e;
            this.count('failed');
          },
        )
        .finally(() => {
          this.#inflight--;
          this.#pump();
          if (this.#inflight === 0 && this.#queue.length === 0) this.#idle?.();
        });
    }
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
