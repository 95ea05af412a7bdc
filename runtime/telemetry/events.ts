// The optional JSONL stream of A/B assignments and outcomes, for offline analysis.
// Sampling: a request with a sticky key is kept when hash(key) falls under the rate, so a
// sampled user's whole history is kept (what an A/B analysis needs); others are sampled at
// random. Personal-data fields (`events.redactFields`) never reach the file: they are removed
// from the features and, when the sticky key comes from one of them, the key is left out.
// Writes are asynchronous; when the file cannot keep up, events are dropped and counted rather
// than buffered without bound.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { RuntimeConfig } from '../contract/config.js';
import { murmur3, unitInterval } from '../router/hash.js';

export interface AssignmentEvent {
  readonly time: string;
  readonly model: string;
  readonly variant: string;
  readonly version: string;
  readonly reason: string;
  readonly key?: string;
  readonly status: number;
  readonly latencySeconds: number;
  /** Features of the first row, by name. */
  readonly features?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

const MAX_BUFFERED_BYTES = 1 << 20;
const SAMPLING_SEED = 0x5eed;

export class EventWriter {
  readonly #stream: WriteStream;
  readonly #rate: number;
  readonly #redact: ReadonlySet<string>;
  readonly #keyRedacted: boolean;
  readonly #random: () => number;
  readonly #count: (outcome: 'written' | 'dropped') => void;

  constructor(
    config: NonNullable<RuntimeConfig['events']>,
    sticky: RuntimeConfig['traffic']['stickyKey'],
    count: (outcome: 'written' | 'dropped') => void,
    random: () => number = Math.random,
  ) {
    this.#stream = createWriteStream(config.path, { flags: 'a' });
    this.#stream.on('error', () => count('dropped'));
    this.#rate = config.sampleRate;
    this.#redact = new Set(config.redactFields);
    const keySource = sticky?.field ?? sticky?.header;
    this.#keyRedacted = keySource !== undefined && this.#redact.has(keySource);
    this.#random = random;
    this.#count = count;
  }

  sampled(key: string | undefined): boolean {
    if (this.#rate <= 0) return false;
    const x = key === undefined ? this.#random() : unitInterval(murmur3(key, SAMPLING_SEED));
    return x < this.#rate;
  }

  write(event: AssignmentEvent): void {
    if (this.#stream.writableLength > MAX_BUFFERED_BYTES || this.#stream.destroyed) {
      this.#count('dropped');
      return;
    }
    this.#stream.write(`${JSON.stringify(this.#redacted(event))}\n`);
    this.#count('written');
  }

  #redacted(event: AssignmentEvent): AssignmentEvent {
    const { key, features, ...rest } = event;
    const kept = features && Object.fromEntries(Object.entries(features).filter(([k]) => !this.#redact.has(k)));
    return {
      ...rest,
      ...(key !== undefined && !this.#keyRedacted ? { key } : {}),
      ...(kept ? { features: kept } : {}),
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#stream.end(resolve));
  }
}
