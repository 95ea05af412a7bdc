// Optional micro-batching: requests for the same variant are stacked along dimension 0 and
// run as one call, then the outputs are cut back per request. One call of a small model costs
// about the same for 1 row as for 32, so under load this trades a bounded delay for throughput.
// Batches form while the model is busy: a request that finds the model idle runs at once (no
// added latency at low load); requests arriving during a run wait for it to finish and then go
// together, or earlier when `maxBatchSize` rows are waiting, and never longer than `maxDelayMs`.
import { Tensor } from 'onnxruntime-node';
import type { Feeds, ModelSession, Outputs, RunOptions } from './session.js';
import { slabArray } from './tensor-slab.js';

export interface Runner {
  /** `options.rows` is the size of dimension 0 shared by every input. */
  run(feeds: Feeds, options: RunOptions): Promise<Outputs>;
}

export function directRunner(session: ModelSession): Runner {
  return { run: (feeds, options) => session.run(feeds, options) };
}

interface Pending {
  readonly feeds: Feeds;
  readonly rows: number;
  readonly options: RunOptions;
  readonly resolve: (o: Outputs) => void;
  readonly reject: (e: unknown) => void;
}

export interface BatchOptions {
  readonly maxBatchSize: number;
  readonly maxDelayMs: number;
  /** Called with the number of rows of each call made. */
  readonly onBatch?: (rows: number) => void;
}

export class MicroBatcher implements Runner {
  #queue: Pending[] = [];
  #rows = 0;
  #timer: NodeJS.Timeout | undefined;
  #running = 0;

  constructor(
    private readonly session: ModelSession,
    private readonly options: BatchOptions,
  ) {}

  run(feeds: Feeds, options: RunOptions): Promise<Outputs> {
    const rows = options.rows;
    return new Promise<Outputs>((resolve, reject) => {
      const pending = { feeds, rows, options, resolve, reject };
      if (rows >= this.options.maxBatchSize || (this.#running === 0 && this.#queue.length === 0)) {
        this.#execute([pending], rows);
        return;
      }
      if (this.#queue.length > 0 && !sameTrailingDims(this.#queue[0]!.feeds, feeds)) this.#flush();
      this.#queue.push(pending);
      this.#rows += rows;
      if (this.#rows >= this.options.maxBatchSize) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.options.maxDelayMs);
    });
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue;
    const total = this.#rows;
    this.#queue = [];
    this.#rows = 0;
    if (batch.length > 0) this.#execute(batch, total);
  }

  #execute(batch: Pending[], total: number): void {
    this.options.onBatch?.(total);
    this.#running++;
    const done = () => {
      // The model is free again: whatever queued meanwhile goes now, as one batch.
      if (--this.#running === 0 && this.#queue.length > 0) this.#flush();
    };
    if (batch.length === 1) {
      const only = batch[0]!;
      this.session.run(only.feeds, only.options).then(
        (o) => {
          only.resolve(o);
          done();
        },
        (e) => {
          only.reject(e);
          done();
        },
      );
      return;
    }
    let feeds: Feeds;
    try {
      feeds = stack(batch, total);
    } catch (e) {
      batch.forEach((p) => p.reject(e));
      done();
      return;
    }
    // The batch runs as long as any of its requests still waits for it.
    let deadline = 0;
    for (const p of batch) deadline = Math.max(deadline, p.options.deadline);
    this.session.run(feeds, { ...batch[0]!.options, rows: total, deadline }).then(
      (outputs) => {
        try {
          const parts = unstack(outputs, batch, total);
          batch.forEach((p, i) => p.resolve(parts[i]!));
        } catch (e) {
          batch.forEach((p) => p.reject(e));
        }
        done();
      },
      (e) => {
        batch.forEach((p) => p.reject(e));
        done();
      },
    );
  }
}

function sameTrailingDims(a: Feeds, b: Feeds): boolean {
  for (const name of Object.keys(a)) {
    const da = a[name]!.dims;
    const db = b[name]?.dims;
    if (!db || da.length !== db.length) return false;
    for (let i = 1; i < da.length; i++) if (da[i] !== db[i]) return false;
  }
  return true;
}

type Data = Tensor['data'];

function concat(parts: Data[], length: number): Data {
  const first = parts[0]!;
  if (Array.isArray(first)) return ([] as string[]).concat(...(parts as string[][]));
  const out = slabArray(first.constructor as Parameters<typeof slabArray<Exclude<Data, string[]>>>[0], length);
  let offset = 0;
  for (const p of parts as Exclude<Data, string[]>[]) {
    (out as Float32Array).set(p as Float32Array, offset);
    offset += p.length;
  }
  return out;
}

function stack(batch: readonly Pending[], total: number): Feeds {
  const feeds: Feeds = {};
  for (const name of Object.keys(batch[0]!.feeds)) {
    const tensors = batch.map((p) => p.feeds[name]!);
    const length = tensors.reduce((n, t) => n + t.size, 0);
    const first = tensors[0]!;
    feeds[name] = new Tensor(
      first.type as 'float32',
      concat(
        tensors.map((t) => t.data),
        length,
      ) as Float32Array,
      [total, ...first.dims.slice(1)],
    );
  }
  return feeds;
}

function unstack(outputs: Outputs, batch: readonly Pending[], total: number): Outputs[] {
  const parts: Outputs[] = batch.map(() => ({}));
  for (const [name, t] of Object.entries(outputs)) {
    if (t.dims[0] !== total)
      throw new Error(
        `output \`${name}\` has ${t.dims[0]} rows for a batch of ${total}: it cannot be split per request`,
      );
    const rowSize = total === 0 ? 0 : t.size / total;
    let row = 0;
    batch.forEach((p, i) => {
      // Numbers as a view, not a copy: one ArrayBuffer per batch, not one per request (tensor-slab.ts).
      const from = row * rowSize;
      const to = from + p.rows * rowSize;
      const data = Array.isArray(t.data) ? t.data.slice(from, to) : (t.data as Float32Array).subarray(from, to);
      parts[i]![name] = new Tensor(t.type as 'float32', data, [p.rows, ...t.dims.slice(1)]);
      row += p.rows;
    });
  }
  return parts;
}
