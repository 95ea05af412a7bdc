// Types and numbers: std.type, std.length, the is* tests, math functions and std.mod.
import type { Loc } from '../errors.js';
import { stringLength } from '../ops.js';
import { runtimeError } from '../runtime.js';
import { JArray, JFunction, JObject, typeOf } from '../value.js';
import { formatValues } from './format.js';
import { type Builtin, builtin, strictArgs } from './natives.js';

/** A math result must be a finite number, as in Jsonnet. */
function checked(v: number, loc: Loc): number {
  if (Number.isNaN(v)) throw runtimeError('not a number', loc);
  if (!Number.isFinite(v)) throw runtimeError('overflow', loc);
  return v;
}

function math(name: string, f: (x: number) => number): Builtin {
  return builtin(name, ['x'], (args, loc) => {
    const [x] = strictArgs(name, args, ['number'], loc) as [number];
    return checked(f(x), loc);
  });
}

function math2(name: string, params: [string, string], f: (x: number, y: number) => number): Builtin {
  return builtin(name, params, (args, loc) => {
    const [x, y] = strictArgs(name, args, ['number', 'number'], loc) as [number, number];
    return checked(f(x, y), loc);
  });
}

function numberTest(name: string, f: (x: number) => boolean): Builtin {
  return builtin(name, ['x'], (args, loc) => f(strictArgs(name, args, ['number'], loc)[0] as number));
}

function is(name: string, type: string): Builtin {
  return builtin(name, ['v'], (args) => typeOf(args[0]!.force()) === type);
}

/** frexp: x = mantissa × 2^exponent with 0.5 ≤ |mantissa| < 1. */
function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let m = x * 2 ** -e;
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  return [m, e];
}

export function modulo(a: number, b: number, loc: Loc): number {
  if (b === 0) throw runtimeError('division by zero.', loc);
  return a % b;
}

export const basics: Builtin[] = [
  builtin('type', ['x'], (args) => typeOf(args[0]!.force())),
  is('isString', 'string'),
  is('isNumber', 'number'),
  is('isBoolean', 'boolean'),
  is('isObject', 'object'),
  is('isArray', 'array'),
  is('isFunction', 'function'),
  builtin('length', ['x'], (args, loc) => {
    const x = args[0]!.force();
    if (typeof x === 'string') return stringLength(x);
    if (x instanceof JArray) return x.length;
    if (x instanceof JObject) {
      let n = 0;
      for (const visible of x.fields().values()) if (visible) n++;
      return n;
    }
    if (x instanceof JFunction) return x.params.length;
    throw runtimeError(`length operates on strings, objects, and arrays, got ${typeOf(x)}`, loc);
  }),
  math('abs', Math.abs),
  math('sign', (x) => (x > 0 ? 1 : x < 0 ? -1 : 0)),
  math2('max', ['a', 'b'], Math.max),
  math2('min', ['a', 'b'], Math.min),
  math2('pow', ['x', 'n'], Math.pow),
  math('exp', Math.exp),
  math('log', Math.log),
  math('log2', Math.log2),
  math('log10', Math.log10),
  math('floor', Math.floor),
  math('ceil', Math.ceil),
  math('sqrt', Math.sqrt),
  math('sin', Math.sin),
  math('cos', Math.cos),
  math('tan', Math.tan),
  math('asin', Math.asin),
  math('acos', Math.acos),
  math('atan', Math.atan),
  math2('atan2', ['y', 'x'], Math.atan2),
  math('round', (x) => (x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5))),
  math('deg2rad', (x) => (x * Math.PI) / 180),
  math('rad2deg', (x) => (x * 180) / Math.PI),
  math2('hypot', ['a', 'b'], Math.hypot),
  math('mantissa', (x) => frexp(x)[0]),
  math('exponent', (x) => frexp(x)[1]),
  numberTest('isEven', (x) => Math.trunc(x) % 2 === 0),
  numberTest('isOdd', (x) => Math.abs(Math.trunc(x) % 2) === 1),
  numberTest('isInteger', Number.isInteger),
  numberTest('isDecimal', (x) => !Number.isInteger(x)),
  builtin('clamp', ['x', 'minVal', 'maxVal'], (args, loc) => {
    const [x, lo, hi] = strictArgs('clamp', args, ['number', 'number', 'number'], loc) as number[];
    return x! < lo! ? lo! : x! > hi! ? hi! : x!;
  }),
  builtin('mod', ['a', 'b'], (args, loc) => {
    const a = args[0]!.force();
    const b = args[1]!.force();
    if (typeof a === 'number' && typeof b === 'number') return modulo(a, b, loc);
    if (typeof a === 'string') return formatValues(a, b, loc);
    throw runtimeError(`Operator % cannot be used on types ${typeOf(a)} and ${typeOf(b)}.`, loc);
  }),
  builtin('modulo', ['x', 'y'], (args, loc) => {
    const [x, y] = strictArgs('modulo', args, ['number', 'number'], loc) as [number, number];
    return modulo(x, y, loc);
  }),
  builtin('xor', ['x', 'y'], (args, loc) => {
    const [x, y] = strictArgs('xor', args, ['boolean', 'boolean'], loc);
    return x !== y;
  }),
  builtin('xnor', ['x', 'y'], (args, loc) => {
    const [x, y] = strictArgs('xnor', args, ['boolean', 'boolean'], loc);
    return x === y;
  }),
];
