// How the standard library's functions are declared: a name, parameter names (trailing ones
// optional, with defaults) and native code receiving lazy arguments. Type errors name the
// function and the types it expected, as Jsonnet's builtins do.
import type { Loc } from '../errors.js';
import { runtimeError } from '../runtime.js';
import { JFunction, JObject, type NativeFunction, type Thunk, typeOf, type Value } from '../value.js';

export type Args = (Thunk | undefined)[];

export interface Builtin extends NativeFunction {
  readonly call: (args: Args, loc: Loc) => Value;
}

/** A builtin whose parameters are all required unless `defaults` gives the trailing ones. */
export function builtin(
  name: string,
  params: readonly string[],
  call: (args: Args, loc: Loc) => Value,
  defaults?: readonly (Value | undefined)[],
): Builtin {
  return defaults ? { name, params, call, defaults } : { name, params, call };
}

type TypeName = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'function' | 'any';

function matches(v: Value, t: TypeName): boolean {
  return t === 'any' || typeOf(v) === t;
}

/**
 * Force every argument and check its type, like a native builtin of Jsonnet. `types[i]` may be
 * a list of accepted types.
 */
export function strictArgs(name: string, args: Args, types: readonly (TypeName | TypeName[])[], loc: Loc): Value[] {
  const values = args.map((a) => (a === undefined ? undefined : a.force())) as Value[];
  const ok = types.every((t, i) => {
    const v = values[i];
    if (v === undefined && args[i] === undefined) return true;
    return Array.isArray(t) ? t.some((x) => matches(v!, x)) : matches(v!, t);
  });
  if (!ok) {
    const expected = types.map((t) => (Array.isArray(t) ? t.join(' or ') : t)).join(', ');
    const got = values.map((v) => typeOf(v)).join(', ');
    throw runtimeError(`Builtin function ${name} expected (${expected}) but got (${got})`, loc);
  }
  return values;
}

export const force = (args: Args, i: number): Value => args[i]!.force();

export function asObject(name: string, v: Value, what: string, loc: Loc): JObject {
  if (!(v instanceof JObject)) throw runtimeError(`std.${name}: ${what} must be an object, got ${typeOf(v)}`, loc);
  return v;
}

export function asFunction(name: string, v: Value, what: string, loc: Loc): JFunction {
  if (!(v instanceof JFunction)) throw runtimeError(`std.${name}: ${what} must be a function, got ${typeOf(v)}`, loc);
  return v;
}
