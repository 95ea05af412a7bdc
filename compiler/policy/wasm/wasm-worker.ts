// The thread an OPA Wasm module runs on (see wasm-engine.ts): it compiles the module once, keeps
// an instance per memory limit, and answers each request on its port, then raises the shared
// flag. An instance that failed is dropped: a trap can leave the module's heap inconsistent.
import { workerData } from 'node:worker_threads';
import type { ErrorData, Reply, Request, WorkerData } from './protocol.js';
import { PolicyInstance } from './instance.js';
import { RegoError } from '../../rego/engine.js';

const { port, flag } = workerData as WorkerData;
const signal = new Int32Array(flag);

let module: WebAssembly.Module | undefined;
let data = '{}';
const instances = new Map<number, PolicyInstance>();

const errorData = (e: unknown): ErrorData => {
  if (e instanceof RegoError) return { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  return { code: 'eval_internal_error', message: e instanceof Error ? e.message : String(e) };
};

function instanceFor(maxBytes: number): PolicyInstance {
  let instance = instances.get(maxBytes);
  if (!instance) {
    instance = new PolicyInstance(module!, data, maxBytes);
    instances.set(maxBytes, instance);
  }
  return instance;
}

function handle(request: Request): Reply {
  if (request.kind === 'load') {
    try {
      module = new WebAssembly.Module(request.wasm);
      data = request.data;
      instances.clear();
      return { ok: true, entrypoints: instanceFor(request.maxMemoryBytes).entrypoints };
    } catch (e) {
      const error = errorData(e);
      return {
        ok: false,
        error: e instanceof WebAssembly.CompileError ? { ...error, code: 'rego_compile_error' } : error,
      };
    }
  }
  const printed: string[] = [];
  try {
    const instance = instanceFor(request.limits.maxMemoryBytes);
    const out = instance.evaluate(request.entrypoint, request.input, {
      strictBuiltinErrors: request.strictBuiltinErrors,
      limits: request.limits,
      env: request.env,
      print: (m) => printed.push(m),
      ...(request.timeNs !== undefined ? { timeNs: BigInt(request.timeNs) } : {}),
    });
    if (!out.ok) {
      instances.delete(request.limits.maxMemoryBytes);
      return { ok: false, error: errorData(out.error), printed };
    }
    return { ok: true, resultSet: out.resultSet, builtinErrors: out.builtinErrors.map(errorData), printed };
  } catch (e) {
    instances.delete(request.limits.maxMemoryBytes);
    return { ok: false, error: errorData(e), printed };
  }
}

port.on('message', (request: Request) => {
  port.postMessage(handle(request));
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
