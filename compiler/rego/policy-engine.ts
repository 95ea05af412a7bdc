// The narrow interface of a policy engine: load modules and data once, prepare a query once,
// evaluate it for many inputs. `RegoEngine` (rego-engine.ts) implements it in TypeScript; an
// implementation over an OPA Wasm bundle (@open-policy-agent/opa-wasm) can provide the same
// two calls. Evaluation fails closed: every failure, including limits and internal errors,
// comes back as an error value.
import type { RegoVersion } from './ast/nodes.js';
import type { Location, RegoError } from './errors.js';
import type { EvalLimits } from './eval/limits.js';
import type { Value } from './value.js';

export type Result<T> = { ok: true; value: T } | { ok: false; errors: RegoError[] };

export interface ModuleSource {
  /** File name, used in every location. */
  readonly file: string;
  readonly source: string;
  /** Overrides the engine's `regoVersion` for this module. */
  readonly regoVersion?: RegoVersion;
}

export interface EngineOptions {
  /** Base document (`data`): a JS/JSON object or a Rego value. Default `{}`. */
  readonly data?: unknown;
  /** Syntax of modules that do not say otherwise: 1 (OPA 1.x, default) or 0 (`--v0-compatible`). */
  readonly regoVersion?: RegoVersion;
  /** Let v1 modules call builtins OPA 1.x removed (`any`, `re_match`, ...). */
  readonly allowDeprecatedBuiltins?: boolean;
}

export interface EvalOptions {
  /** Raise builtin errors instead of treating the call as undefined (OPA's strict-builtin-errors). */
  readonly strictBuiltinErrors?: boolean;
  readonly limits?: Partial<EvalLimits>;
  /** Receives `print()` output; default: discarded. */
  readonly print?: (message: string) => void;
  /** Environment visible to the policy (`opa.runtime().env`); default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Clock for `time.now_ns()`, in nanoseconds since the epoch; default: now. */
  readonly timeNs?: bigint;
}

export interface ExpressionValue {
  readonly value: Value;
  readonly text: string;
  readonly location: Location;
}

/** One solution of a query, shaped like OPA's: expression values and variable bindings. */
export interface QueryResult {
  readonly expressions: readonly ExpressionValue[];
  readonly bindings: Readonly<Record<string, Value>>;
}

export type EvalOutcome =
  | { ok: true; results: QueryResult[]; builtinErrors: RegoError[] }
  | { ok: false; error: RegoError };

export interface PreparedQuery {
  /** `input` may be JSON-like JS data or a Rego value; undefined leaves input undefined. */
  evaluate(input?: unknown, options?: EvalOptions): EvalOutcome;
}

export interface PolicyEngine {
  prepare(query: string): Result<PreparedQuery>;
}
