// One model file served by onnxruntime. Every file (the model and its external data) is
// compared with its pinned sha256 before onnxruntime sees it, and the model's inputs and outputs
// with the configured signature, so a wrong model fails at load time, not on traffic.
//
// Where a call runs: a model small enough to copy has a session on the event loop and one in
// every inference worker. A call predicted to take at most `inlineMaxMs` (call-cost.ts) runs on
// the event loop, where the hop to a worker would cost more than the call; any other call, and
// every shadow copy, runs on a worker. A model too large to copy (or with external data) has
// one session, in one worker, and all of its calls run there.
import { readFile, stat } from 'node:fs/promises';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { OutputTensor, ServedInput } from '../contract/tensor.js';
import { sha256Hex } from '../../core/hash.js';
import { CallCost } from './call-cost.js';
import type { Feeds, Outputs } from './feeds.js';
import { sha256File } from './digest.js';
import { ORT_TYPE, type OrtType } from './dtypes.js';
import { SESSION_OPTIONS } from './session-options.js';
import { ModelLoadError } from '../load-error.js';
import { checkSignature } from './signature-check.js';
import type { ModelMetadata } from './worker-protocol.js';
import type { Lane, WorkerPool } from './workers.js';

export { ModelLoadError };

export type { Feeds, Outputs };

export interface RunOptions {
  /** Rows of the call (dimension 0). */
  readonly rows: number;
  readonly lane: Lane;
  /** `performance.now()` after which the answer is no longer wanted. */
  readonly deadline: number;
  /** Calls predicted to take at most this many milliseconds may run on the event loop. */
  readonly inlineMaxMs: number;
}

/** What the request pipeline needs from a model; tests substitute their own. */
export interface ModelSession {
  run(feeds: Feeds, options: RunOptions): Promise<Outputs>;
  release(): Promise<void>;
}

export interface PinnedPath {
  readonly path: string;
  readonly sha256: string;
}

export interface SessionSpec {
  readonly path: string;
  readonly sha256: string;
  readonly externalData?: readonly PinnedPath[];
  readonly inputs: readonly ServedInput[];
  readonly outputs: readonly OutputTensor[];
  /** Above this size (with external data) the model gets one session, in one worker. */
  readonly replicateMaxBytes?: number;
}

/** Where a call ran: reported for every call. */
export type CallPlace = 'event_loop' | 'worker';

/** Loads and checks a model; with `workers`, into the workers too (see the file comment). */
export async function loadModelSession(
  spec: SessionSpec,
  workers?: WorkerPool,
  onCall: (place: CallPlace) => void = () => {},
): Promise<ModelSession> {
  const files = [{ path: spec.path, sha256: spec.sha256 }, ...(spec.externalData ?? [])];
  const sizes = await Promise.all(files.map((f) => fileSize(f.path)));
  const bytes = sizes.reduce((a, b) => a + b, 0);
  const copyable = (spec.externalData ?? []).length === 0 && bytes <= (spec.replicateMaxBytes ?? Infinity);
  const key = `${spec.path}\0${spec.sha256}`;
  if (copyable) {
    // Hashed from the bytes the sessions are built from: a file swapped in between cannot slip through.
    const model = await readModel(spec.path);
    checkDigest(spec.path, sha256Hex(model), spec.sha256);
    const session = await createSession(spec.path, () => InferenceSession.create(model, SESSION_OPTIONS));
    await checkSignature(spec, { inputs: session.inputMetadata, outputs: session.outputMetadata }, () =>
      session.release(),
    );
    if (workers) await loadIntoWorkers(workers, key, model, bytes, true, spec);
    const served = new HybridSession(key, bytes, session, workers, onCall);
    if (workers) await served.warmUp(spec.inputs);
    return served;
  }
  // Too large to hold twice, or with external data that onnxruntime reads from disk: the files
  // are hashed as streams and the session is created from the path.
  for (const f of files) checkDigest(f.path, await digestOf(f.path), f.sha256);
  if (!workers) {
    const session = await createSession(spec.path, () => InferenceSession.create(spec.path, SESSION_OPTIONS));
    await checkSignature(spec, { inputs: session.inputMetadata, outputs: session.outputMetadata }, () =>
      session.release(),
    );
    return new HybridSession(key, bytes, session, undefined, onCall);
  }
  await loadIntoWorkers(workers, key, spec.path, bytes, false, spec);
  return new HybridSession(key, bytes, undefined, workers, onCall);
}

class HybridSession implements ModelSession {
  readonly #cost = new CallCost();

  constructor(
    private readonly key: string,
    private readonly bytes: number,
    private readonly inline: InferenceSession | undefined,
    private readonly workers: WorkerPool | undefined,
    private readonly onCall: (place: CallPlace) => void,
  ) {}

  run(feeds: Feeds, o: RunOptions): Promise<Outputs> {
    const inline = this.inline;
    if (inline && (!this.workers || (o.lane === 'live' && this.#cost.predict(o.rows) <= o.inlineMaxMs))) {
      this.onCall('event_loop');
      return this.#runInline(inline, feeds, o.rows);
    }
    this.onCall('worker');
    return this.workers!.run(this.key, feeds, o.lane, o.deadline).then((r) => {
      this.#cost.observe(r.ms, o.rows);
      return r.outputs;
    });
  }

  async #runInline(session: InferenceSession, feeds: Feeds, rows: number): Promise<Outputs> {
    // onnxruntime runs the call in an immediate queued by `run`: one queued just before it
    // marks the start, so the measure is the call and not the rest of the event-loop turn.
    let start = 0;
    setImmediate(() => (start = performance.now()));
    const out = await session.run(feeds);
    this.#cost.observe(performance.now() - start, rows);
    return out;
  }

  /** One call of zeros on a worker seeds the cost estimate; a model that refuses zeros learns from traffic. */
  async warmUp(inputs: readonly ServedInput[]): Promise<void> {
    const feeds: Feeds = {};
    for (const input of inputs) {
      const dims = input.shape.map((d) => (d === -1 ? 1 : d));
      const n = dims.reduce((a, b) => a * b, 1);
      const type = ORT_TYPE[input.dtype];
      feeds[input.name] =
        type === 'string' ? new Tensor('string', Array<string>(n).fill(''), dims) : zeros(type, n, dims);
    }
    await this.run(feeds, { rows: 1, lane: 'live', deadline: Infinity, inlineMaxMs: -1 }).catch(() => undefined);
  }

  async release(): Promise<void> {
    await Promise.all([this.inline?.release(), this.workers?.release(this.key, this.bytes)]);
  }
}

function zeros(type: Exclude<OrtType, 'string'>, n: number, dims: number[]): Tensor {
  switch (type) {
    case 'float32':
      return new Tensor('float32', new Float32Array(n), dims);
    case 'float64':
      return new Tensor('float64', new Float64Array(n), dims);
    case 'int32':
      return new Tensor('int32', new Int32Array(n), dims);
    case 'int64':
      return new Tensor('int64', new BigInt64Array(n), dims);
    case 'bool':
      return new Tensor('bool', new Uint8Array(n), dims);
  }
}

async function loadIntoWorkers(
  workers: WorkerPool,
  key: string,
  source: string | Uint8Array,
  bytes: number,
  everywhere: boolean,
  spec: SessionSpec,
): Promise<void> {
  let metadata: ModelMetadata;
  try {
    metadata = await workers.load(key, source, bytes, everywhere);
  } catch (e) {
    throw loadFailed(spec.path, e);
  }
  await checkSignature(spec, metadata, () => workers.release(key, bytes));
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    throw unreadable(path, e);
  }
}

async function readModel(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw unreadable(path, e);
  }
}

async function digestOf(path: string): Promise<string> {
  try {
    return await sha256File(path);
  } catch (e) {
    throw unreadable(path, e);
  }
}

function unreadable(path: string, e: unknown): ModelLoadError {
  return new ModelLoadError(
    `cannot read model file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    'check that the init container fetched the model (and its external data) into this path',
  );
}

function checkDigest(path: string, actual: string, pinned: string): void {
  if (actual !== pinned)
    throw new ModelLoadError(
      `model file ${path} has sha256 ${actual}, but the config pins ${pinned}`,
      'the file is not the artifact the spec names: fetch it again or fix the digest in the spec',
    );
}

function loadFailed(path: string, e: unknown): ModelLoadError {
  return new ModelLoadError(
    `onnxruntime cannot load ${path}: ${((e as Error)?.message ?? String(e)).split('\n')[0]}`,
    'the file is not a valid ONNX model for this onnxruntime version (or its external data is missing)',
  );
}

async function createSession(path: string, create: () => Promise<InferenceSession>): Promise<InferenceSession> {
  try {
    return await create();
  } catch (e) {
    throw loadFailed(path, e);
  }
}
