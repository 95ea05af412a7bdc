// Objects and values as a whole: fields, merging and pruning, equality, and the functions that
// reach outside the program (extVar, trace) through what the engine provides.
import type { Loc } from '../errors.js';
import { callFunction } from '../evaluate.js';
import { allFields, mustGetField, visibleFields } from '../objects.js';
import { compactJson, equals } from '../ops.js';
import { runtimeError } from '../runtime.js';
import { JArray, JFunction, JObject, Lazy, objectOf, Ready, type Thunk, typeOf, type Value } from '../value.js';
import { asObject, type Builtin, builtin, strictArgs } from './natives.js';

function fieldNames(obj: JObject, hidden: boolean): string[] {
  return hidden ? allFields(obj) : visibleFields(obj);
}

function has(obj: JObject, name: string, hidden: boolean): boolean {
  const visible = obj.fields().get(name);
  return visible === undefined ? false : hidden || visible;
}

function values(obj: JObject, hidden: boolean, loc: Loc): JArray {
  return new JArray(fieldNames(obj, hidden).map((f) => new Lazy(() => mustGetField(obj, f, loc))));
}

function keysValues(obj: JObject, hidden: boolean, loc: Loc): JArray {
  return new JArray(
    fieldNames(obj, hidden).map(
      (f) =>
        new Ready(
          objectOf([
            ['key', new Ready(f)],
            ['value', new Lazy(() => mustGetField(obj, f, loc))],
          ]),
        ),
    ),
  );
}

function mergePatch(target: () => Value, patch: Value, loc: Loc, depth = 0): Value {
  if (depth > 500) throw runtimeError('max stack frames exceeded.', loc);
  if (!(patch instanceof JObject)) return patch;
  const t = target();
  const base = t instanceof JObject ? t : null;
  const out = new Map<string, Thunk>();
  if (base) for (const f of visibleFields(base)) out.set(f, new Lazy(() => mustGetField(base, f, loc)));
  for (const f of visibleFields(patch)) {
    const p = mustGetField(patch, f, loc);
    if (p === null) {
      out.delete(f);
      continue;
    }
    const inner = () => (base && base.fields().get(f) === true ? mustGetField(base, f, loc) : null);
    out.set(f, new Ready(mergePatch(inner, p, loc, depth + 1)));
  }
  return objectOf(out);
}

function isEmpty(v: Value): boolean {
  if (v === null) return true;
  if (v instanceof JArray) return v.length === 0;
  if (v instanceof JObject) return visibleFields(v).length === 0;
  return false;
}

function prune(v: Value, loc: Loc, depth = 0): Value {
  if (depth > 500) throw runtimeError('max stack frames exceeded.', loc);
  if (v instanceof JArray) {
    const kept = v.items.map((t) => prune(t.force(), loc, depth + 1)).filter((x) => !isEmpty(x));
    return JArray.of(kept);
  }
  if (v instanceof JObject) {
    const out: [string, Thunk][] = [];
    for (const f of visibleFields(v)) {
      const x = prune(mustGetField(v, f, loc), loc, depth + 1);
      if (!isEmpty(x)) out.push([f, new Ready(x)]);
    }
    return objectOf(out);
  }
  return v;
}

export interface StdContext {
  /** External variables: `std.extVar(name)`. */
  readonly extVar: (name: string, loc: Loc) => Value;
  /** Where `std.trace` writes. */
  readonly trace: (message: string, loc: Loc) => void;
}

export function objectBuiltins(ctx: StdContext): Builtin[] {
  return [
    builtin('objectFields', ['o'], (args, loc) =>
      JArray.of(visibleFields(asObject('objectFields', args[0]!.force(), 'o', loc))),
    ),
    builtin('objectFieldsAll', ['o'], (args, loc) =>
      JArray.of(allFields(asObject('objectFieldsAll', args[0]!.force(), 'o', loc))),
    ),
    builtin('objectFieldsEx', ['obj', 'hidden'], (args, loc) => {
      const [o, hidden] = strictArgs('objectFieldsEx', args, ['object', 'boolean'], loc) as [JObject, boolean];
      return JArray.of(fieldNames(o, hidden));
    }),
    builtin('objectHas', ['o', 'f'], (args, loc) => {
      const [o, f] = strictArgs('objectHas', args, ['object', 'string'], loc) as [JObject, string];
      return has(o, f, false);
    }),
    builtin('objectHasAll', ['o', 'f'], (args, loc) => {
      const [o, f] = strictArgs('objectHasAll', args, ['object', 'string'], loc) as [JObject, string];
      return has(o, f, true);
    }),
    builtin('objectHasEx', ['obj', 'fname', 'hidden'], (args, loc) => {
      const [o, f, h] = strictArgs('objectHasEx', args, ['object', 'string', 'boolean'], loc) as [
        JObject,
        string,
        boolean,
      ];
      return has(o, f, h);
    }),
    builtin('objectValues', ['o'], (args, loc) =>
      values(asObject('objectValues', args[0]!.force(), 'o', loc), false, loc),
    ),
    builtin('objectValuesAll', ['o'], (args, loc) =>
      values(asObject('objectValuesAll', args[0]!.force(), 'o', loc), true, loc),
    ),
    builtin('objectKeysValues', ['o'], (args, loc) =>
      keysValues(asObject('objectKeysValues', args[0]!.force(), 'o', loc), false, loc),
    ),
    builtin('objectKeysValuesAll', ['o'], (args, loc) =>
      keysValues(asObject('objectKeysValuesAll', args[0]!.force(), 'o', loc), true, loc),
    ),
    builtin('objectRemoveKey', ['obj', 'key'], (args, loc) => {
      const [o, key] = strictArgs('objectRemoveKey', args, ['object', 'string'], loc) as [JObject, string];
      const kept = visibleFields(o).filter((f) => f !== key);
      return objectOf(kept.map((f) => [f, new Lazy(() => mustGetField(o, f, loc))] as const));
    }),
    builtin('mapWithKey', ['func', 'obj'], (args, loc) => {
      const [func, o] = strictArgs('mapWithKey', args, ['function', 'object'], loc) as [JFunction, JObject];
      return objectOf(
        visibleFields(o).map(
          (f) =>
            [
              f,
              new Lazy(() => callFunction(func, [new Ready(f), new Lazy(() => mustGetField(o, f, loc))], loc)),
            ] as const,
        ),
      );
    }),
    builtin(
      'get',
      ['o', 'f', 'default', 'inc_hidden'],
      (args, loc) => {
        const [o, f] = strictArgs('get', args.slice(0, 2), ['object', 'string'], loc) as [JObject, string];
        const hidden = args[3]!.force();
        if (typeof hidden !== 'boolean') throw runtimeError('std.get: inc_hidden must be a boolean', loc);
        return has(o, f, hidden) ? mustGetField(o, f, loc) : args[2]!.force();
      },
      [null, true],
    ),
    builtin('mergePatch', ['target', 'patch'], (args, loc) =>
      mergePatch(() => args[0]!.force(), args[1]!.force(), loc),
    ),
    builtin('prune', ['a'], (args, loc) => prune(args[0]!.force(), loc)),
    builtin('equals', ['a', 'b'], (args, loc) => equals(args[0]!.force(), args[1]!.force(), loc)),
    builtin('primitiveEquals', ['a', 'b'], (args, loc) => {
      const a = args[0]!.force();
      const b = args[1]!.force();
      for (const v of [a, b]) {
        if (v instanceof JArray || v instanceof JObject || v instanceof JFunction) {
          throw runtimeError(`primitiveEquals operates on primitive types, got ${typeOf(v)}`, loc);
        }
      }
      return a === b;
    }),
    builtin('assertEqual', ['a', 'b'], (args, loc) => {
      const a = args[0]!.force();
      const b = args[1]!.force();
      if (equals(a, b, loc)) return true;
      throw runtimeError(`Assertion failed. ${compactJson(a, loc)} != ${compactJson(b, loc)}`, loc);
    }),
    builtin('extVar', ['x'], (args, loc) => {
      const [name] = strictArgs('extVar', args, ['string'], loc) as [string];
      return ctx.extVar(name, loc);
    }),
    builtin('native', ['name'], (args, loc) => {
      strictArgs('native', args, ['string'], loc);
      // No native functions are registered: every name gives null, as in Jsonnet.
      return null;
    }),
    builtin('trace', ['str', 'rest'], (args, loc) => {
      const s = args[0]!.force();
      if (typeof s !== 'string') {
        throw runtimeError(`Builtin function trace expected string as first parameter but got ${typeOf(s)}`, loc);
      }
      ctx.trace(s, loc);
      return args[1]!.force();
    }),
    builtin('resolvePath', ['f', 'r'], (args, loc) => {
      const [f, r] = strictArgs('resolvePath', args, ['string', 'string'], loc) as [string, string];
      const i = f.lastIndexOf('/');
      return i < 0 ? r : f.slice(0, i + 1) + r;
    }),
  ];
}
