/**
 * The one table of Rego builtins.
 *
 * Every builtin is declared once (name, typed signature, description, categories) and then
 * implemented against that declaration object, never against a bare string. Declarations and
 * implementations of one domain live together in `builtins/<domain>.ts`; `builtins/index.ts`
 * imports every domain file, so importing the index fills the table.
 *
 * ## Adding a builtin
 *
 * ```ts
 * // builtins/strings.ts
 * import { T } from '../types.js';
 * import { declare, implement } from './table.js';
 * import { stringArg } from './args.js';
 *
 * const upper = declare({
 *   name: 'upper',
 *   args: [{ name: 'x', type: T.string, description: 'string to convert' }],
 *   result: { name: 'y', type: T.string, description: 'upper-case of x' },
 *   description: 'Returns the input string but with all characters in upper-case.',
 *   categories: ['strings'],
 * });
 * implement(upper, ([x]) => stringArg(x, 1).toUpperCase());
 * ```
 * then add `import './strings.js';` to `builtins/index.ts` (once per domain file).
 *
 * ## Rules for implementations
 * - Arguments are Rego values (see ../value.ts); the arity has been checked at compile time.
 * - Return the result value, or `undefined` to make the call undefined (like OPA's
 *   BuiltinEmpty). A relation (several results, like `walk`) uses `implementRelation` and
 *   returns an iterable.
 * - Report a wrong operand type with `throw operandTypeError(pos, value, 'string')` or the
 *   helpers in `args.ts` (→ eval_type_error), and any other failure with
 *   `throw new BuiltinError('message')` (→ eval_builtin_error). Do not prefix the builtin's
 *   name or the location: `callBuiltin` adds both, in one place, and the evaluator decides
 *   whether the error is raised (strict mode) or makes the expression undefined.
 * - Stay within the evaluation's limits: a builtin that builds strings or collections larger
 *   than its arguments declares `builds: true` (its result is charged to the memory budget);
 *   one that loops over its input calls `ctx.budget.checkDeadline()` in the loop. Limits
 *   throw eval_limit_error, which always stops the evaluation.
 * - Be pure: read the clock, environment and caches only through the `BuiltinContext`, so one
 *   evaluation sees one `time.now_ns()` and tests are reproducible.
 */
import { ObjectValue, SetValue, typeName, type Value } from '../value.js';
import { RegoError, type Location } from '../errors.js';
import type { RegoType } from '../types.js';

export interface BuiltinArg {
  readonly name: string;
  readonly type: RegoType;
  readonly description?: string;
}

export interface BuiltinDecl {
  /** Dotted name as written in Rego: `count`, `strings.replace_n`. */
  readonly name: string;
  readonly args: readonly BuiltinArg[];
  readonly result: BuiltinArg;
  readonly description: string;
  /** Documentation grouping, as in OPA: `strings`, `aggregates`, `comparison`... */
  readonly categories: readonly string[];
  /** The operator that stands for the builtin, e.g. `+` for `plus`. */
  readonly infix?: string;
  /** Takes any number of arguments of `args[0].type` (only `print`). */
  readonly variadic?: boolean;
  /** Produces several results (e.g. `walk`): implemented with `implementRelation`. */
  readonly relation?: boolean;
  /** Results may differ between calls with the same arguments (time, rand, http). */
  readonly nondeterministic?: boolean;
  /** Not available to Rego v1 modules (OPA removed these from v1: `any`, `re_match`, ...). */
  readonly deprecated?: boolean;
  /**
   * Returns a newly built string or collection that can outgrow its arguments (`concat`,
   * `sprintf`, `array.concat`, `json.marshal`...): its size is charged to the evaluation's
   * memory budget, so repeating it in a loop cannot exhaust memory.
   */
  readonly builds?: boolean;
}

/**
 * The evaluation's limits, as builtins see them: expensive builtins check the deadline in
 * their loops and account for what they allocate, so no policy can hang or exhaust memory
 * inside one call. Both throw eval_limit_error, which always stops the evaluation.
 */
export interface Budget {
  /** Throws once the evaluation's deadline has passed. */
  checkDeadline(): void;
  /** Accounts for `bytes` about to be allocated (strings: one per character); throws over the budget. */
  allocate(bytes: number): void;
}

/** Bytes accounted for one member of an array, set or object (the strings in it count apart). */
export const MEMBER_BYTES = 16;

/** An engine limit reached inside a builtin: eval_limit_error, never treated as undefined. */
export function limitError(message: string, hint?: string): RegoError {
  return new RegoError('eval_limit_error', message, undefined, hint);
}

export interface BuiltinContext {
  /** The call site, for messages that must point into the policy themselves. */
  readonly location: Location | undefined;
  /** Nanoseconds since the epoch, fixed for the whole evaluation (`time.now_ns`). */
  readonly timeNs: bigint;
  /** Memo shared by all builtin calls of one evaluation; key it by builtin name. */
  readonly cache: Map<string, unknown>;
  /** Environment variables visible to the policy (`opa.runtime().env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Deadline and memory budget of the evaluation. */
  readonly budget: Budget;
  /** Receives the output of `print`. */
  print(message: string): void;
}

export type BuiltinFn = (args: readonly Value[], ctx: BuiltinContext) => Value | undefined;
export type RelationFn = (args: readonly Value[], ctx: BuiltinContext) => Iterable<Value>;

export interface Builtin {
  readonly decl: BuiltinDecl;
  fn?: BuiltinFn;
  relation?: RelationFn;
}

/** A failure inside a builtin: eval_builtin_error. */
export class BuiltinError extends Error {
  readonly code: 'eval_builtin_error' | 'eval_type_error' = 'eval_builtin_error';
}

/** A wrong operand: eval_type_error. */
export class OperandError extends BuiltinError {
  override readonly code = 'eval_type_error' as const;
}

/** `operand 1 must be string but got number` / `must be one of {set, array} but got ...`. */
export function operandTypeError(pos: number, got: Value, ...expected: string[]): OperandError {
  const want = expected.length === 1 ? expected[0] : `one of {${expected.join(', ')}}`;
  return new OperandError(`operand ${pos} must be ${want} but got ${typeName(got)}`);
}

/** `operand 2 <message>`, for operand problems other than the type. */
export function operandError(pos: number, message: string): OperandError {
  return new OperandError(`operand ${pos} ${message}`);
}

const table = new Map<string, Builtin>();

/** Adds a builtin to the table. Names are unique. */
export function declare(decl: BuiltinDecl): BuiltinDecl {
  if (table.has(decl.name)) throw new Error(`builtin ${decl.name} is declared twice`);
  table.set(decl.name, { decl });
  return decl;
}

function entry(decl: BuiltinDecl): Builtin {
  const b = table.get(decl.name);
  if (!b || b.decl !== decl) throw new Error(`builtin ${decl.name} is implemented but not declared with declare()`);
  if (b.fn || b.relation) throw new Error(`builtin ${decl.name} is implemented twice`);
  return b;
}

/** Bytes a value's own characters or members take (what it contains was counted where it was made). */
export function shallowBytes(v: Value | undefined): number {
  if (typeof v === 'string') return v.length;
  if (Array.isArray(v)) return v.length * MEMBER_BYTES;
  if (v instanceof ObjectValue || v instanceof SetValue) return v.size * MEMBER_BYTES;
  return 0;
}

export function implement(decl: BuiltinDecl, fn: BuiltinFn): void {
  if (decl.relation) throw new Error(`builtin ${decl.name} is a relation: use implementRelation`);
  entry(decl).fn = decl.builds
    ? (args, ctx) => {
        const out = fn(args, ctx);
        ctx.budget.allocate(shallowBytes(out));
        return out;
      }
    : fn;
}

export function implementRelation(decl: BuiltinDecl, fn: RelationFn): void {
  if (!decl.relation) throw new Error(`builtin ${decl.name} is not declared as a relation`);
  entry(decl).relation = decl.builds
    ? function* (args, ctx) {
        for (const out of fn(args, ctx)) {
          ctx.budget.allocate(shallowBytes(out));
          yield out;
        }
      }
    : fn;
}

export function lookupBuiltin(name: string): Builtin | undefined {
  return table.get(name);
}

/** Every declared builtin, sorted by name. */
export function allBuiltins(): Builtin[] {
  return [...table.values()].sort((a, b) => (a.decl.name < b.decl.name ? -1 : 1));
}

/** Declared builtins without an implementation (a test keeps this empty). */
export function unimplementedBuiltins(): string[] {
  return allBuiltins()
    .filter((b) => !b.fn && !b.relation)
    .map((b) => b.decl.name);
}

/** The one place where builtin failures become Rego errors naming the builtin and call site. */
export function builtinFailure(b: Builtin, e: unknown, location: Location | undefined): RegoError {
  if (e instanceof RegoError) {
    if (e.location || !location) return e;
    return new RegoError(e.code, `${b.decl.name}: ${e.message}`, location, e.hint, e.details);
  }
  const name = b.decl.name;
  if (e instanceof BuiltinError) return new RegoError(e.code, `${name}: ${e.message}`, location);
  if (e instanceof RangeError && /call stack/i.test(e.message))
    return new RegoError('eval_limit_error', `${name}: value too deeply nested`, location);
  // V8 refuses strings and arrays beyond its own size limits: a limit, never an undefined call.
  if (e instanceof RangeError && /invalid (string|array|typed array) length|allocation failed/i.test(e.message))
    return new RegoError('eval_limit_error', `${name}: result too large (${e.message})`, location);
  const message = e instanceof Error ? e.message : String(e);
  return new RegoError('eval_builtin_error', `${name}: ${message}`, location);
}

/** Calls a function builtin; failures come back as RegoErrors (see `builtinFailure`). */
export function callBuiltin(b: Builtin, args: readonly Value[], ctx: BuiltinContext): Value | undefined {
  try {
    return b.fn!(args, ctx);
  } catch (e) {
    throw builtinFailure(b, e, ctx.location);
  }
}
