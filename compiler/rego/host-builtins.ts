// Builtins called by name from outside the evaluator: what an OPA Wasm module imports from its
// host (`opa_builtin0..4`). The same table and implementations as the engine's own calls, with
// the same limits: one `BuiltinHost` per evaluation shares the clock, the memo and the budget
// (deadline and memory) across its calls, as one evaluation of the engine does.
import './builtins/index.js';
import { type BuiltinContext, builtinFailure, lookupBuiltin } from './builtins/table.js';
import { RegoError } from './errors.js';
import { DEFAULT_LIMITS, LimitGuard } from './eval/limits.js';
import type { EvalOptions } from './policy-engine.js';
import { nowNs } from './rego-engine.js';
import type { Value } from './value.js';

export interface BuiltinHost {
  /** True when the table has a function builtin of this name (relations such as `walk` are not callable). */
  has(name: string): boolean;
  /**
   * Calls the builtin; undefined when the call is undefined. A builtin error is thrown as a
   * RegoError naming the builtin (eval_builtin_error, eval_type_error), as are limits
   * (eval_limit_error).
   */
  call(name: string, args: readonly Value[]): Value | undefined;
}

export function builtinHost(options: EvalOptions = {}): BuiltinHost {
  const guard = new LimitGuard({ ...DEFAULT_LIMITS, ...options.limits });
  const ctx: BuiltinContext = {
    location: undefined,
    timeNs: options.timeNs ?? nowNs(),
    cache: new Map(),
    env: options.env ?? {},
    print: options.print ?? (() => {}),
    budget: guard,
  };
  const callable = (name: string) => {
    const b = lookupBuiltin(name);
    return b?.fn ? b : undefined;
  };
  return {
    has: (name) => callable(name) !== undefined,
    call(name, args) {
      const b = callable(name);
      if (!b) throw new RegoError('eval_builtin_error', `${name}: not a builtin function mlspec provides`);
      if (args.length !== b.decl.args.length && !b.decl.variadic)
        throw new RegoError('eval_type_error', `${name}: expects ${b.decl.args.length} arguments, got ${args.length}`);
      guard.checkDeadline();
      try {
        return b.fn!(args, ctx);
      } catch (e) {
        throw builtinFailure(b, e, undefined);
      }
    },
  };
}
