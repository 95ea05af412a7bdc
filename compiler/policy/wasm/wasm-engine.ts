// The OPA Wasm backend: a bundle built by `opa build -t wasm` behind the engine's interface
// (`PolicyEngine.prepare` → `PreparedQuery.evaluate`), so a caller does not know which runs.
//
// Limits. A Wasm call cannot be interrupted from its own thread: a loop in the module would hold
// the process forever. So the module runs on a worker thread, and `evaluate` waits for its
// answer on a shared flag (Atomics.wait) no longer than the time limit; at the deadline the
// worker is terminated (V8 stops Wasm code in loops too) and the evaluation fails with
// eval_limit_error. Memory is bounded twice: the module's WebAssembly.Memory has the limit as its
// maximum (growing past it fails, and the policy's allocation aborts), and host builtins charge
// the engine's memory budget. A trap, an abort, a limit or a dead worker is an error, never a
// pass; the next evaluation starts a fresh instance (or worker).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import {
  DEFAULT_LIMITS,
  type EvalLimits,
  type EvalOptions,
  type EvalOutcome,
  fromJS,
  type PolicyEngine,
  type PreparedQuery,
  type QueryResult,
  RegoError,
  type Result,
} from '../../rego/engine.js';
import type { WasmBundle } from './bundle.js';
import { inputText } from './instance.js';
import type { ErrorData, Reply, Request, WorkerData } from './protocol.js';

/**
 * The compiled worker beside this module; run from the TypeScript sources (tests), the build's.
 * There is no worker without a build: evaluation refuses to run without its limits.
 */
function defaultWorker(): URL {
  const sibling = new URL('./wasm-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  return new URL('../../../dist/compiler/policy/wasm/wasm-worker.js', import.meta.url);
}

/** Time the worker may take to start and compile the module (not the policy's time). */
const STARTUP_MS = 120_000;
/** Beyond the time limit, for messages to cross: the host builtins' own deadline usually fires first. */
const GRACE_MS = 250;

export interface WasmEngineOptions {
  /** Data beside the bundle's own (`-d`); merged at the root. */
  readonly data?: Record<string, unknown>;
  /** Limits of every evaluation unless `evaluate` gives others. */
  readonly limits?: Partial<EvalLimits>;
  /** The worker script; default: the compiled `wasm-worker.js` (see defaultWorker). */
  readonly worker?: URL;
}

const toError = (e: ErrorData) => new RegoError(e.code as RegoError['code'], e.message, undefined, e.hint);

/** A worker with its module loaded, answering one request at a time. */
class ModuleThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor(script: URL) {
    const { port1, port2 } = new MessageChannel();
    const data: WorkerData = { port: port2, flag: this.flag.buffer as SharedArrayBuffer };
    this.worker = new Worker(script, { workerData: data, transferList: [port2] });
    this.worker.unref();
    this.port = port1;
    this.port.unref();
  }

  /** The reply, or undefined when none came in time (the worker is then ended). */
  request(message: Request, timeoutMs: number): Reply | undefined {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(message);
    const waited = Atomics.wait(this.flag, 0, 0, timeoutMs);
    const reply = receiveMessageOnPort(this.port);
    if (waited === 'timed-out' && !reply) {
      this.close();
      return undefined;
    }
    return reply?.message as Reply | undefined;
  }

  close(): void {
    void this.worker.terminate();
    this.port.close();
  }
}

export class WasmEngine implements PolicyEngine {
  private thread: ModuleThread | undefined;

  private constructor(
    private readonly bundle: WasmBundle,
    private readonly data: string,
    private readonly limits: EvalLimits,
    private readonly script: URL,
    /** Entrypoint name (`example/allow`) → id. */
    readonly entrypoints: Readonly<Record<string, number>>,
  ) {}

  /** Starts the module's worker and compiles the module; errors are the bundle's problems. */
  static load(bundle: WasmBundle, options: WasmEngineOptions = {}): Result<WasmEngine> {
    const fail = (message: string, hint?: string): Result<WasmEngine> => ({
      ok: false,
      errors: [new RegoError('rego_compile_error', `${bundle.file}: ${message}`, undefined, hint)],
    });
    const script = options.worker ?? defaultWorker();
    if (!existsSync(fileURLToPath(script)))
      return fail('the Wasm worker script is missing', 'run mlspec from its build (npm run build)');
    const data = { ...bundle.data };
    for (const [k, v] of Object.entries(options.data ?? {})) {
      if (Object.hasOwn(data, k)) return fail(`data \`${k}\` is given both by the bundle and by -d`);
      Object.defineProperty(data, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    const text = JSON.stringify(data);
    const thread = new ModuleThread(script);
    const reply = thread.request(
      { kind: 'load', wasm: bundle.wasm, data: text, maxMemoryBytes: limits.maxMemoryBytes },
      STARTUP_MS,
    );
    if (!reply) return fail('the Wasm module did not load in time');
    if (!reply.ok) {
      thread.close();
      return { ok: false, errors: [toError({ ...reply.error, message: `${bundle.file}: ${reply.error.message}` })] };
    }
    const engine = new WasmEngine(
      bundle,
      text,
      limits,
      script,
      (reply as { entrypoints: Record<string, number> }).entrypoints,
    );
    engine.thread = thread;
    return { ok: true, value: engine };
  }

  /** `data.example.allow` or `example/allow`: an entrypoint the bundle was built with. */
  prepare(query: string): Result<PreparedQuery> {
    const name = entrypointName(query);
    const id = name === undefined ? undefined : this.entrypoints[name];
    if (id === undefined) {
      const known = Object.keys(this.entrypoints).sort();
      return {
        ok: false,
        errors: [
          new RegoError(
            'rego_compile_error',
            `${this.bundle.file} has no entrypoint \`${query}\``,
            undefined,
            `its entrypoints: ${known.join(', ') || 'none'}; rebuild with \`opa build -t wasm -e <entrypoint>\``,
          ),
        ],
      };
    }
    const text = `data.${name!.split('/').join('.')}`;
    return { ok: true, value: { evaluate: (input, options) => this.evaluate(id, text, input, options) } };
  }

  /** Ends the worker (it is unreferenced: a process may also just exit). */
  close(): void {
    this.thread?.close();
    this.thread = undefined;
  }

  private evaluate(entrypoint: number, text: string, input: unknown, options: EvalOptions = {}): EvalOutcome {
    const limits = { ...this.limits, ...options.limits };
    let json: string | undefined;
    try {
      json = inputText(input);
    } catch (e) {
      return { ok: false, error: new RegoError('eval_type_error', `the input is not JSON: ${(e as Error).message}`) };
    }
    const thread = this.thread ?? this.restart();
    if (!thread) return { ok: false, error: new RegoError('eval_internal_error', 'the Wasm module could not restart') };
    const reply = thread.request(
      {
        kind: 'eval',
        entrypoint,
        input: json,
        strictBuiltinErrors: options.strictBuiltinErrors ?? false,
        limits,
        env: options.env ?? {},
        timeNs: options.timeNs?.toString(),
      },
      limits.timeoutMs + GRACE_MS,
    );
    if (!reply) {
      this.thread = undefined;
      return {
        ok: false,
        error: new RegoError(
          'eval_limit_error',
          `evaluation exceeded the time limit (${limits.timeoutMs} ms)`,
          undefined,
          'raise limits.timeoutMs or simplify the policy',
        ),
      };
    }
    for (const line of 'printed' in reply ? (reply.printed ?? []) : []) options.print?.(line);
    if (!reply.ok) return { ok: false, error: toError(reply.error) };
    if (!('resultSet' in reply)) return { ok: false, error: new RegoError('eval_internal_error', 'unexpected reply') };
    return resultsOf(reply.resultSet, text, reply.builtinErrors.map(toError));
  }

  private restart(): ModuleThread | undefined {
    const thread = new ModuleThread(this.script);
    const reply = thread.request(
      { kind: 'load', wasm: this.bundle.wasm, data: this.data, maxMemoryBytes: this.limits.maxMemoryBytes },
      STARTUP_MS,
    );
    if (!reply?.ok) {
      thread.close();
      return undefined;
    }
    this.thread = thread;
    return thread;
  }
}

/** `data.a.b` → `a/b`; `a/b` stays. */
function entrypointName(query: string): string | undefined {
  const q = query.trim();
  if (/^data(\.[A-Za-z_][\w]*)+$/.test(q)) return q.slice('data.'.length).split('.').join('/');
  if (/^[A-Za-z_][\w]*(\/[A-Za-z_][\w]*)*$/.test(q)) return q;
  return undefined;
}

const QUERY_LOCATION = { file: 'query', line: 1, column: 1 };

/** OPA Wasm's result set (`[{"result": v}]`, empty when undefined) as the engine's results. */
function resultsOf(resultSet: unknown, text: string, builtinErrors: RegoError[]): EvalOutcome {
  if (!Array.isArray(resultSet))
    return { ok: false, error: new RegoError('eval_internal_error', 'the Wasm module returned no result set') };
  const results: QueryResult[] = [];
  for (const r of resultSet) {
    if (typeof r !== 'object' || r === null || !('result' in r))
      return { ok: false, error: new RegoError('eval_internal_error', 'the Wasm module returned a malformed result') };
    const value = fromJS((r as { result: unknown }).result);
    results.push({ expressions: [{ value, text, location: QUERY_LOCATION }], bindings: {} });
  }
  return { ok: true, results, builtinErrors };
}
