// The inference pool: worker threads that own onnxruntime sessions, so a long model call never
// blocks the event loop that answers health probes and enforces timeouts. onnxruntime-node's
// `run` is one synchronous native call; on the event loop a 3 s call stalls every other request
// and every timer for 3 s.
//
// The main thread keeps the queue: a worker runs one call at a time and is handed the next one
// when it answers. Live calls always go before shadow copies, and a call whose deadline passed
// while it waited is dropped (its 504 has been sent) instead of run. A model is either loaded in
// every worker (any idle worker takes its calls) or, when it is too large to copy, in one.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Tensor } from 'onnxruntime-node';
import type { Feeds, Outputs } from './feeds.js';
import type { ModelMetadata, WireTensor, WorkerReply, WorkerRequest } from './worker-protocol.js';
import { transferablesOf, wireTensor } from './worker-protocol.js';

export type Lane = 'live' | 'shadow';

/** A call dropped from the queue because its deadline passed before a worker was free. */
export class ExpiredError extends Error {
  constructor() {
    super('the call waited past its deadline and was not run');
    this.name = 'ExpiredError';
  }
}

export interface WorkerRun {
  readonly outputs: Outputs;
  /** Time of the model call itself in the worker, milliseconds. */
  readonly ms: number;
}

interface Job {
  readonly key: string;
  readonly feeds: readonly WireTensor[];
  readonly deadline: number;
  readonly resolve: (r: WorkerRun) => void;
  readonly reject: (e: Error) => void;
}

interface Pending {
  readonly resolve: (r: WorkerReply) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly index: number;
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Models whose load has finished here: only those are given calls. */
  readonly ready: Set<string>;
  bytes: number;
  busy: boolean;
}

// From TypeScript sources (the test suite) the worker is the `.ts` file, which Node runs through
// the loader the test configuration registers; built, it is the `.js` beside this module.
const BUILT = new URL('./inference-worker.js', import.meta.url);
const ENTRY = existsSync(fileURLToPath(BUILT)) ? BUILT : new URL('./inference-worker.ts', import.meta.url);

export class WorkerPool {
  readonly #slots: Slot[];
  readonly #live: Job[] = [];
  readonly #shadow: Job[] = [];
  #nextId = 1;
  #failure: Error | undefined;
  #closed = false;

  constructor(
    size: number,
    private readonly onFailure: (e: Error) => void = () => {},
  ) {
    this.#slots = Array.from({ length: Math.max(1, size) }, (_, index) => this.#spawn(index));
  }

  get size(): number {
    return this.#slots.length;
  }

  /** False once a worker died: the process can no longer serve every model and should restart. */
  get healthy(): boolean {
    return this.#failure === undefined;
  }

  /** Calls waiting for a worker. */
  get queued(): number {
    return this.#live.length + this.#shadow.length;
  }

  /**
   * Loads a model into every worker, or into the least loaded one (`everywhere` false, for
   * models too large to copy). Resolves with the model's metadata once it is ready.
   */
  async load(key: string, source: string | Uint8Array, bytes: number, everywhere: boolean): Promise<ModelMetadata> {
    const targets = everywhere ? this.#slots : [this.#slots.reduce((a, b) => (b.bytes < a.bytes ? b : a))];
    const replies = await Promise.allSettled(
      targets.map(async (slot) => {
        const reply = await this.#request(slot, { type: 'load', id: 0, key, source });
        slot.ready.add(key);
        slot.bytes += bytes;
        return reply;
      }),
    );
    const failed = replies.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      // Loaded in some workers only: unload it from those, so a retry starts clean.
      await this.release(key, bytes).catch(() => undefined);
      throw failed.reason;
    }
    this.#pump();
    const first = (replies[0] as PromiseFulfilledResult<WorkerReply>).value as Extract<WorkerReply, { type: 'loaded' }>;
    return { inputs: first.inputs, outputs: first.outputs };
  }

  async release(key: string, bytes: number): Promise<void> {
    await Promise.all(
      this.#slots
        .filter((s) => s.ready.has(key))
        .map(async (slot) => {
          slot.ready.delete(key);
          slot.bytes -= bytes;
          await this.#request(slot, { type: 'release', id: 0, key });
        }),
    );
  }

  /** Runs a call on a worker holding `key`: live calls first, each in arrival order. */
  run(key: string, feeds: Feeds, lane: Lane, deadline: number): Promise<WorkerRun> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (!this.#slots.some((s) => s.ready.has(key)))
      return Promise.reject(new Error(`no inference worker holds model ${key.split('\0')[0]}`));
    return new Promise<WorkerRun>((resolve, reject) => {
      const wire = Object.entries(feeds).map(([name, t]) => wireTensor(name, t, true));
      (lane === 'live' ? this.#live : this.#shadow).push({ key, feeds: wire, deadline, resolve, reject });
      this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const stopped = new Error('the inference pool is closed');
    for (const job of [...this.#live.splice(0), ...this.#shadow.splice(0)]) job.reject(stopped);
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }

  /** Hands waiting calls to idle workers. */
  #pump(): void {
    for (const slot of this.#slots) {
      if (slot.busy || slot.ready.size === 0) continue;
      const job = this.#take(this.#live, slot) ?? this.#take(this.#shadow, slot);
      if (!job) continue;
      slot.busy = true;
      const done = () => {
        slot.busy = false;
        this.#pump();
      };
      this.#request(slot, { type: 'run', id: 0, key: job.key, feeds: job.feeds }, transferablesOf(job.feeds)).then(
        (reply) => {
          const r = reply as Extract<WorkerReply, { type: 'result' }>;
          const outputs: Outputs = {};
          for (const t of r.outputs) outputs[t.name] = new Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
          job.resolve({ outputs, ms: r.ms });
          done();
        },
        (e: Error) => {
          job.reject(e);
          done();
        },
      );
    }
  }

  /** The first call of `queue` this worker can run; calls past their deadline are dropped on the way. */
  #take(queue: Job[], slot: Slot): Job | undefined {
    const now = performance.now();
    for (let i = 0; i < queue.length; i++) {
      const job = queue[i]!;
      if (job.deadline <= now) {
        queue.splice(i--, 1);
        job.reject(new ExpiredError());
        continue;
      }
      if (!slot.ready.has(job.key)) continue;
      queue.splice(i, 1);
      return job;
    }
    return undefined;
  }

  #request(slot: Slot, message: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      // A worker with a request keeps the process alive (an idle one does not): a shutdown
      // waiting for its models to be released must not find the event loop empty.
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...message, id }, transfer);
    });
  }

  #spawn(index: number): Slot {
    const worker = new Worker(ENTRY);
    const slot: Slot = { index, worker, pending: new Map(), ready: new Set(), bytes: 0, busy: false };
    worker.on('message', (reply: WorkerReply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) slot.worker.unref();
      if (reply.type === 'error') p.reject(new Error(reply.message));
      else p.resolve(reply);
    });
    const fail = (e: Error) => {
      if (this.#closed) return;
      this.#failure ??= e;
      for (const p of slot.pending.values()) p.reject(e);
      slot.pending.clear();
      slot.worker.unref();
      this.onFailure(e);
    };
    worker.on('error', (e) => fail(new Error(`inference worker ${index} failed: ${e.message}`)));
    worker.on('exit', (code) => fail(new Error(`inference worker ${index} exited with code ${code}`)));
    worker.unref();
    return slot;
  }
}
