// Calls builtins through the table's public entry point with plain JS values, for the
// per-domain unit tests. Time, environment and randomness come from a fixed context.
import { expect } from 'vitest';
import '../../../compiler/rego/builtins/index.js';
import { callBuiltin, lookupBuiltin, type BuiltinContext } from '../../../compiler/rego/builtins/table.js';
import { DEFAULT_LIMITS, LimitGuard } from '../../../compiler/rego/eval/limits.js';
import { RegoError } from '../../../compiler/rego/errors.js';
import { equals, fromJS, type Value } from '../../../compiler/rego/value.js';
import { valueToString } from '../../../compiler/rego/convert.js';

/** 2023-06-15T12:34:56.789Z */
export const FIXED_NOW_NS = 1686832496789000000n;

export function context(overrides: Partial<BuiltinContext> = {}): BuiltinContext {
  return {
    location: { file: 'test.rego', line: 1, column: 1 },
    timeNs: FIXED_NOW_NS,
    cache: new Map(),
    env: { HOME: '/home/test' },
    print: () => {},
    budget: new LimitGuard(DEFAULT_LIMITS),
    ...overrides,
  };
}

/** A Rego value from JS: arrays, plain objects, `Set`s, `Map`s (non-string keys), bigints. */
export const v = (x: unknown): Value => fromJS(x);

export function call(name: string, args: unknown[], ctx: BuiltinContext = context()): Value | undefined {
  const b = lookupBuiltin(name);
  if (!b) throw new Error(`no builtin ${name}`);
  if (!b.fn) throw new Error(`builtin ${name} is not a function`);
  return callBuiltin(b, args.map(v), ctx);
}

/** Asserts the call's result equals `want` by Rego equality (1 == 1.0, sets unordered). */
export function expectCall(name: string, args: unknown[], want: unknown, ctx?: BuiltinContext): void {
  const got = call(name, args, ctx);
  if (want === undefined) {
    expect(got, `${name} should be undefined`).toBeUndefined();
    return;
  }
  expect(got, `${name} returned undefined`).not.toBeUndefined();
  const w = v(want);
  if (!equals(got!, w)) expect(valueToString(got!)).toBe(valueToString(w));
}

/** Asserts the call fails with the given code and a message containing `message`. */
export function expectError(name: string, args: unknown[], code: string, message?: string, ctx?: BuiltinContext): void {
  let err: unknown;
  try {
    call(name, args, ctx);
  } catch (e) {
    err = e;
  }
  expect(err, `${name} should fail`).toBeInstanceOf(RegoError);
  const e = err as RegoError;
  expect(e.code).toBe(code);
  if (message !== undefined) expect(e.message).toContain(message);
}
