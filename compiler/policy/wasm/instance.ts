// One OPA Wasm module, instantiated with mlspec as its host. Evaluation itself goes through the
// SDK's `LoadedPolicy` (@open-policy-agent/opa-wasm: data, heap, both ABI evaluation paths);
// the imports are ours, because the SDK's own loader dispatches a builtin to its short table of
// JavaScript implementations (sprintf through sprintf-js, yaml through yaml 1.x) before the
// caller's, and those differ from OPA. Every builtin a module imports is called in mlspec's
// builtin table, shared with the engine, with arguments and results passed as Rego values
// (`opa_value_dump` / `opa_value_parse`, as OPA's own Go host does), so sets stay sets.
//
// This runs synchronously and cannot be interrupted; wasm-engine.ts runs it on a worker thread
// that it ends at the deadline.
import { createRequire } from 'node:module';
import {
  type BuiltinHost,
  builtinHost,
  type EvalOptions,
  fromJS,
  RegoError,
  termValue,
  toJSONText,
  valueToString,
} from '../../rego/engine.js';

type Sdk = typeof import('@open-policy-agent/opa-wasm');
// The package's ESM entry exports only `loadPolicy`; LoadedPolicy is on its CommonJS export.
const sdk = createRequire(import.meta.url)('@open-policy-agent/opa-wasm') as Sdk;

const PAGE = 64 * 1024;

/** JSON results of one evaluation (`[{"result": ...}]`), or why it failed. */
export type InstanceOutcome =
  | { readonly ok: true; readonly resultSet: unknown; readonly builtinErrors: RegoError[] }
  | { readonly ok: false; readonly error: RegoError };

interface Exports {
  readonly builtins: () => number;
  readonly opa_json_dump: (addr: number) => number;
  readonly opa_value_dump: (addr: number) => number;
  readonly opa_value_parse: (addr: number, len: number) => number;
  readonly opa_malloc: (len: number) => number;
  readonly opa_wasm_abi_version?: WebAssembly.Global;
  readonly opa_wasm_abi_minor_version?: WebAssembly.Global;
}

/** Per evaluation: the builtin host (clock, memo, budget) and what the policy's builtins said. */
interface Call {
  host: BuiltinHost;
  strict: boolean;
  print: (message: string) => void;
  builtinErrors: RegoError[];
}

export class PolicyInstance {
  private readonly policy: InstanceType<Sdk['LoadedPolicy']>;
  private readonly memory: WebAssembly.Memory;
  readonly entrypoints: Readonly<Record<string, number>>;
  private call: Call | undefined;

  /** Compiles nothing: `module` is compiled once by the caller and instantiated per memory limit. */
  constructor(
    module: WebAssembly.Module,
    data: string,
    private readonly maxBytes: number,
  ) {
    // Wasm32 memory holds at most 65536 pages (4 GiB).
    const maxPages = Math.min(65536, Math.max(1, Math.floor(maxBytes / PAGE)));
    const declared = WebAssembly.Module.imports(module).find((i) => i.kind === 'memory');
    if (!declared) throw new RegoError('rego_compile_error', 'the Wasm module imports no memory: not an OPA policy');
    // OPA's modules ask for 2 pages; the SDK starts with 5.
    this.memory = new WebAssembly.Memory({ initial: Math.min(5, maxPages), maximum: maxPages });
    const names: Record<number, string> = {};
    const instance = new WebAssembly.Instance(module, { env: this.imports(names) });
    const exports = instance.exports as unknown as Exports;
    const abi = exports.opa_wasm_abi_version?.value as number | undefined;
    if (abi !== undefined && abi !== 1)
      throw new RegoError('rego_compile_error', `the Wasm module needs OPA Wasm ABI ${abi}; mlspec runs ABI 1`);
    for (const [name, id] of Object.entries(this.readJSON(exports, exports.builtins()) as Record<string, number>))
      names[id] = name;
    const minor = (exports.opa_wasm_abi_minor_version?.value as number | undefined) ?? 0;
    const LoadedPolicy = sdk.LoadedPolicy as unknown as new (
      instance: WebAssembly.Instance,
      memory: WebAssembly.Memory,
      minor: number,
    ) => InstanceType<Sdk['LoadedPolicy']>;
    this.policy = new LoadedPolicy(instance, this.memory, minor);
    this.policy.setData(new TextEncoder().encode(data).buffer as ArrayBuffer);
    this.entrypoints = this.policy.entrypoints as Record<string, number>;
    const table = builtinHost();
    const missing = Object.values(names).filter((n) => !table.has(n));
    if (missing.length > 0)
      throw new RegoError('rego_compile_error', `the Wasm module needs builtins mlspec lacks: ${missing.join(', ')}`);
  }

  /** Evaluates one entrypoint; `input` is JSON text (undefined: no input document). */
  evaluate(entrypoint: number, input: string | undefined, options: EvalOptions): InstanceOutcome {
    const call: Call = {
      host: builtinHost(options),
      strict: options.strictBuiltinErrors ?? false,
      print: options.print ?? (() => {}),
      builtinErrors: [],
    };
    this.call = call;
    try {
      const buffer = input === undefined ? undefined : (new TextEncoder().encode(input).buffer as ArrayBuffer);
      const resultSet = this.policy.evaluate(buffer, entrypoint);
      return { ok: true, resultSet, builtinErrors: call.builtinErrors };
    } catch (e) {
      return { ok: false, error: this.failure(e) };
    } finally {
      this.call = undefined;
    }
  }

  /** Whatever stopped the module, as an error value: never a pass. */
  private failure(e: unknown): RegoError {
    if (e instanceof RegoError) return e;
    const message = e instanceof Error ? e.message : String(e);
    // OPA's allocator aborts with `opa_malloc: failed` when memory cannot grow: only the maximum
    // stops it. The SDK's own growth (for the input) fails with a RangeError.
    if (/^opa_malloc: failed/.test(message) || (e instanceof RangeError && /memory/i.test(message)))
      return new RegoError(
        'eval_limit_error',
        `evaluation exceeded the memory limit (${this.maxBytes} bytes of Wasm memory)`,
        undefined,
        'raise limits.maxMemoryBytes if the policy is expected to use this much memory',
      );
    if (e instanceof RangeError && /call stack/i.test(message))
      return new RegoError('eval_limit_error', 'evaluation exceeded the maximum nesting the Wasm runtime supports');
    if (e instanceof WebAssembly.RuntimeError)
      return new RegoError('eval_internal_error', `the Wasm module trapped: ${message}`);
    return new RegoError('eval_internal_error', `the Wasm module aborted: ${message}`);
  }

  private imports(names: Record<number, string>): WebAssembly.ModuleImports {
    const text = (addr: number) => this.readText(addr);
    const dispatch = (id: number, ...args: number[]) => this.builtin(names[id] ?? `#${id}`, args);
    return {
      memory: this.memory,
      opa_abort: (addr: number) => {
        throw new Error(text(addr));
      },
      opa_println: (addr: number) => this.call?.print(text(addr)),
      opa_builtin0: (id: number, _ctx: number) => dispatch(id),
      opa_builtin1: (id: number, _ctx: number, a: number) => dispatch(id, a),
      opa_builtin2: (id: number, _ctx: number, a: number, b: number) => dispatch(id, a, b),
      opa_builtin3: (id: number, _ctx: number, a: number, b: number, c: number) => dispatch(id, a, b, c),
      opa_builtin4: (id: number, _ctx: number, a: number, b: number, c: number, d: number) => dispatch(id, a, b, c, d),
    };
  }

  /** A host builtin: Rego values in, Rego value out; 0 is undefined. */
  private builtin(name: string, addrs: number[]): number {
    const call = this.call;
    if (!call) throw new RegoError('eval_internal_error', `builtin ${name} called outside an evaluation`);
    const exports = this.exportsOf();
    const args = addrs.map((a) => {
      const parsed = termValue(this.readText(exports.opa_value_dump(a)));
      if (!parsed.ok) throw new RegoError('eval_internal_error', `${name}: cannot read an argument from the module`);
      return parsed.value;
    });
    let result: ReturnType<BuiltinHost['call']>;
    try {
      result = call.host.call(name, args);
    } catch (e) {
      const err = e as RegoError;
      // As in the engine: without strict builtin errors a failing call is undefined; limits always stop.
      if (call.strict || err.code === 'eval_limit_error' || err.code === 'eval_internal_error') throw err;
      call.builtinErrors.push(err);
      return 0;
    }
    if (result === undefined) return 0;
    const bytes = new TextEncoder().encode(valueToString(result));
    const addr = exports.opa_malloc(bytes.length);
    new Uint8Array(this.memory.buffer).set(bytes, addr);
    const value = exports.opa_value_parse(addr, bytes.length);
    if (value === 0) throw new RegoError('eval_internal_error', `${name}: the module could not read its result`);
    return value;
  }

  private exportsOf(): Exports {
    return (this.policy.wasmInstance as WebAssembly.Instance).exports as unknown as Exports;
  }

  private readText(addr: number): string {
    const bytes = new Uint8Array(this.memory.buffer);
    let end = addr;
    while (end < bytes.length && bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(addr, end));
  }

  private readJSON(exports: Exports, value: number): unknown {
    return JSON.parse(this.readText(exports.opa_json_dump(value)));
  }
}

/** A JSON-like input as JSON text; Rego values (sets, big numbers) through the engine's writer. */
export function inputText(input: unknown): string | undefined {
  if (input === undefined) return undefined;
  return hasRegoValues(input) ? toJSONText(fromJS(input)) : JSON.stringify(input);
}

function hasRegoValues(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Object.getPrototypeOf(x) !== Object.prototype;
}
