// What the Wasm engine (wasm-engine.ts) and its worker (wasm-worker.ts) say to each other. The
// engine blocks on a shared flag until the worker answers or the deadline passes, then reads the
// answer from its port synchronously: callers of `evaluate` see a synchronous call.
import type { MessagePort } from 'node:worker_threads';
import type { EvalLimits } from '../../rego/engine.js';

export interface WorkerData {
  readonly port: MessagePort;
  /** Int32Array over it: the worker sets [0] to 1 and notifies when an answer is on the port. */
  readonly flag: SharedArrayBuffer;
}

export type Request =
  | { readonly kind: 'load'; readonly wasm: Uint8Array; readonly data: string; readonly maxMemoryBytes: number }
  | {
      readonly kind: 'eval';
      readonly entrypoint: number;
      readonly input: string | undefined;
      readonly strictBuiltinErrors: boolean;
      readonly limits: EvalLimits;
      readonly env: Readonly<Record<string, string | undefined>>;
      /** `time.now_ns()` as decimal text (bigints do not cross threads in every Node version). */
      readonly timeNs: string | undefined;
    };

/** A RegoError as plain data. */
export interface ErrorData {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

export type Reply =
  | { readonly ok: true; readonly entrypoints: Readonly<Record<string, number>> }
  | {
      readonly ok: true;
      readonly resultSet: unknown;
      readonly builtinErrors: readonly ErrorData[];
      readonly printed: readonly string[];
    }
  | { readonly ok: false; readonly error: ErrorData; readonly printed?: readonly string[] };
