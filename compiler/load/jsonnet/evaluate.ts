// The evaluator: expressions → values, lazily. One loop per call of `evaluate` runs through the
// tail positions (`local` bodies, `if` branches, function bodies), so a tail call does not nest
// JavaScript frames; with `tailstrict` it does not add a Jsonnet frame either, as in Jsonnet.
import type { Bind, CompSpec, Node, NodeOf } from './ast.js';
import type { Loc } from './errors.js';
import { ExprThunk, fieldFrom, mustGetField } from './objects.js';
import { codePoints, compactJson, compare, equals, numberToString, toStringValue } from './ops.js';
import {
  BYTES_PER_ELEMENT,
  checkArrayLength,
  checkStringLength,
  frameDepth,
  hooks,
  popFrames,
  pushFrame,
  quote,
  replaceFrame,
  reserve,
  runtimeError,
  step,
} from './runtime.js';
import { formatValues } from './std/format.js';
import {
  type Env,
  type FieldDef,
  JArray,
  JFunction,
  JObject,
  type Layer,
  Ready,
  type Thunk,
  typeOf,
  type Value,
} from './value.js';

/** What `import` does: the engine resolves, reads and evaluates files. */
export const importHook: { load: (node: NodeOf<'import'>, env: Env) => Value } = {
  load: () => {
    throw new Error('no importer');
  },
};

/** Slices are the standard library's; `a[b:c:d]` reaches it directly (a user cannot shadow it). */
export const sliceHook: { slice: (v: Value, start: Value, end: Value, step: Value, loc: Loc) => Value } = {
  slice: () => null,
};

/** A lazy argument: a variable's own thunk or a literal's value need no new thunk. */
function lazy(node: Node, env: Env): Thunk {
  // A variable of the frame being built (`local a = b, b = 1`) has no thunk yet.
  if (node.k === 'var') return lookup(node, env) ?? new ExprThunk(node, env, node.name);
  if (node.k === 'literal') return new Ready(node.value);
  return new ExprThunk(node, env, 'thunk');
}

function lookup(node: NodeOf<'var'>, env: Env): Thunk | undefined {
  let e = env;
  for (let h = node.hops; h > 0; h--) e = e.up!;
  return e.slots[node.index]!;
}

function bindLocals(binds: readonly Bind[], env: Env): Env {
  const slots: Thunk[] = [];
  const inner = env.extend(slots);
  for (const b of binds) slots.push(b.body.k === 'function' ? new Ready(closure(b.body, inner)) : lazy(b.body, inner));
  return inner;
}

function closure(node: NodeOf<'function'>, env: Env, name = node.name ?? 'anonymous'): JFunction {
  return new JFunction(node.params, node.body, env, name);
}

function calleeName(fn: Node): string {
  if (fn.k === 'var') return `function <${fn.name}>`;
  if (fn.k === 'index' && fn.index.k === 'literal') return `function <${String(fn.index.value)}>`;
  return 'function <anonymous>';
}

/** Positional and named arguments by parameter position; unbound ones are left undefined. */
function placeArgs(
  params: readonly { readonly name: string }[],
  args: Thunk[],
  named: [string, Thunk][] | null,
  loc: Loc,
): (Thunk | undefined)[] {
  if (args.length > params.length) {
    throw runtimeError(`too many args, function has ${params.length} parameter(s)`, loc);
  }
  const slots: (Thunk | undefined)[] = args.slice();
  slots.length = params.length;
  for (const [name, value] of named ?? []) {
    const i = params.findIndex((p) => p.name === name);
    if (i < 0) throw runtimeError(`function has no parameter ${name}`, loc);
    if (slots[i] !== undefined) throw runtimeError(`binding parameter a second time: ${name}`, loc);
    slots[i] = value;
  }
  return slots;
}

/** Bind a call's arguments to a closure's parameters: a new frame of slots. */
function bindArgs(fn: JFunction, args: Thunk[], named: [string, Thunk][] | null, loc: Loc): Env {
  const params = fn.params;
  const slots = placeArgs(params, args, named, loc);
  const env = fn.env!.extend(slots as Thunk[]);
  for (let i = 0; i < params.length; i++) {
    if (slots[i] !== undefined) continue;
    const def = params[i]!.default;
    if (!def) throw runtimeError(`function parameter ${params[i]!.name} not bound in call.`, loc);
    slots[i] = lazy(def, env);
  }
  return env;
}

/** Arguments of a native function, by position, with optional ones left undefined or defaulted. */
function nativeArgs(fn: JFunction, args: Thunk[], named: [string, Thunk][] | null, loc: Loc): (Thunk | undefined)[] {
  const native = fn.native!;
  const params = native.params;
  const out = placeArgs(fn.params, args, named, loc);
  const defaults = native.defaults ?? [];
  const required = params.length - defaults.length;
  for (let i = 0; i < params.length; i++) {
    if (out[i] !== undefined) continue;
    if (i < required) throw runtimeError(`function parameter ${params[i]} not bound in call.`, loc);
    const d = defaults[i - required];
    if (d !== undefined) out[i] = new Ready(d);
  }
  return out;
}

/** Call a function value from native code (the standard library's higher-order functions). */
export function callFunction(fn: Value, args: Thunk[], loc: Loc, named: [string, Thunk][] | null = null): Value {
  if (!(fn instanceof JFunction)) throw runtimeError(`only functions can be called, got ${typeOf(fn)}`, loc);
  const depth = frameDepth();
  pushFrame(loc, `function <${fn.name}>`);
  let v: Value;
  if (fn.native) v = callNative(fn, args, named, loc);
  else v = evaluate(fn.body!, bindArgs(fn, args, named, loc));
  popFrames(depth);
  return v;
}

function callNative(fn: JFunction, args: Thunk[], named: [string, Thunk][] | null, loc: Loc): Value {
  return fn.native!.call(nativeArgs(fn, args, named, loc), loc);
}

/** Evaluate in an environment: the entry for thunks, fields and the engine. */
export function evaluate(start: Node, startEnv: Env): Value {
  let node = start;
  let env = startEnv;
  const depth = frameDepth();
  let framed = false;
  for (;;) {
    step(node.loc);
    switch (node.k) {
      case 'literal':
        popFrames(depth);
        return node.value;
      case 'var': {
        const v = lookup(node, env)!.force();
        popFrames(depth);
        return v;
      }
      case 'local':
        env = bindLocals(node.binds, env);
        node = node.body;
        continue;
      case 'if': {
        const c = evaluate(node.cond, env);
        if (typeof c !== 'boolean') throw runtimeError(`condition must be boolean, got ${typeOf(c)}.`, node.loc);
        if (c) node = node.then;
        else if (node.else) node = node.else;
        else {
          popFrames(depth);
          return null;
        }
        continue;
      }
      case 'assert': {
        const c = evaluate(node.cond, env);
        if (typeof c !== 'boolean')
          throw runtimeError(`assertion condition must be boolean, got ${typeOf(c)}.`, node.loc);
        if (!c) {
          const text = node.message ? hooks.messageText(evaluate(node.message, env)) : 'Assertion failed.';
          throw runtimeError(text, node.loc);
        }
        node = node.rest;
        continue;
      }
      case 'apply': {
        const fn = evaluate(node.fn, env);
        if (!(fn instanceof JFunction)) throw runtimeError(`only functions can be called, got ${typeOf(fn)}`, node.loc);
        const strict = node.tailstrict;
        const args = node.args.map((a) => (strict ? new Ready(evaluate(a, env)) : lazy(a, env)));
        const named: [string, Thunk][] | null =
          node.named.length === 0
            ? null
            : node.named.map((a) => [a.name, strict ? new Ready(evaluate(a.value, env)) : lazy(a.value, env)]);
        const name = calleeName(node.fn);
        if (strict && framed) replaceFrame(node.loc, name);
        else pushFrame(node.loc, name);
        framed = true;
        if (fn.native) {
          const v = callNative(fn, args, named, node.loc);
          popFrames(depth);
          return v;
        }
        env = bindArgs(fn, args, named, node.loc);
        node = fn.body!;
        continue;
      }
      default: {
        const v = evaluateOther(node, env);
        popFrames(depth);
        return v;
      }
    }
  }
}

hooks.evaluate = evaluate;
hooks.add = (a, b, loc) => plus(a, b, loc);
hooks.messageText = (v) => (typeof v === 'string' ? v : compactJson(v, { file: '', line: 0, col: 0 }));

function evaluateOther(node: Node, env: Env): Value {
  switch (node.k) {
    case 'self':
      return env.self!;
    case 'dollar':
      return env.dollar ?? env.self!;
    case 'array': {
      if (node.items.length > 1024) reserve(node.items.length * BYTES_PER_ELEMENT, node.loc);
      return new JArray(node.items.map((item) => lazy(item, env)));
    }
    case 'arrayComp':
      return arrayComprehension(node, env);
    case 'object':
      return objectLiteral(node, env);
    case 'objectComp':
      return objectComprehension(node, env);
    case 'function':
      return closure(node, env);
    case 'index':
      return index(evaluate(node.target, env), evaluate(node.index, env), node.loc);
    case 'superIndex':
      return superIndex(node, env);
    case 'inSuper': {
      const name = evaluate(node.name, env);
      if (typeof name !== 'string') throw runtimeError(`field name must be string, got ${typeOf(name)}.`, node.loc);
      return env.layer > 0 && env.self!.find(name, env.layer - 1) >= 0;
    }
    case 'slice': {
      const part = (n: Node | undefined) => (n ? evaluate(n, env) : null);
      const target = evaluate(node.target, env);
      return sliceHook.slice(target, part(node.start), part(node.end), part(node.step), node.loc);
    }
    case 'binary':
      return binary(node, env);
    case 'unary':
      return unary(node.op, evaluate(node.operand, env), node.loc);
    case 'error': {
      const v = evaluate(node.value, env);
      throw runtimeError(hooks.messageText(v), node.loc);
    }
    case 'import':
      return importHook.load(node, env);
    default:
      // The loop in `evaluate` handles the other kinds.
      return evaluate(node, env);
  }
}

function superIndex(node: NodeOf<'superIndex'>, env: Env): Value {
  const name = evaluate(node.index, env);
  if (env.layer === 0) throw runtimeError('attempt to use super when there is no super class.', node.loc);
  if (typeof name !== 'string') throw runtimeError(`super index must be string, got ${typeOf(name)}.`, node.loc);
  const v = fieldFrom(env.self!, name, env.layer - 1, node.loc);
  if (v === undefined) throw runtimeError(`field does not exist: ${name}`, node.loc);
  return v;
}

export function index(target: Value, i: Value, loc: Loc): Value {
  if (target instanceof JObject) {
    if (typeof i !== 'string') throw runtimeError(`object index must be string, got ${typeOf(i)}.`, loc);
    return mustGetField(target, i, loc);
  }
  if (target instanceof JArray) {
    if (typeof i !== 'number') {
      const shown = typeof i === 'string' ? ` ${quote(i)}` : '';
      throw runtimeError(`attempted index an array with ${typeOf(i)}${shown}.`, loc);
    }
    if (!Number.isInteger(i)) throw runtimeError(`array index was not integer: ${numberToString(i)}`, loc);
    if (i < 0 || i >= target.length) {
      throw runtimeError(`array bounds error: ${formatIndex(i)} not within [0, ${target.length})`, loc);
    }
    return target.items[i]!.force();
  }
  if (typeof target === 'string') {
    if (typeof i !== 'number') throw runtimeError(`string index must be a number, got ${typeOf(i)}.`, loc);
    const chars = codePoints(target);
    if (!Number.isInteger(i) || i < 0 || i >= chars.length) {
      throw runtimeError(`string bounds error: ${formatIndex(i)} not within [0, ${chars.length})`, loc);
    }
    return chars[i]!;
  }
  throw runtimeError(`can only index objects, strings, and arrays, got ${typeOf(target)}.`, loc);
}

/** Indices in bounds errors are printed like C++ prints a double by default (6 significant digits). */
function formatIndex(i: number): string {
  if (Number.isInteger(i) && Math.abs(i) < 1e6) return String(i);
  const s = i.toPrecision(6);
  return s.includes('e') ? s.replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2') : s.replace(/\.?0+$/, '');
}

function arrayComprehension(node: NodeOf<'arrayComp'>, env: Env): Value {
  const out: Thunk[] = [];
  forEachBinding(node.specs, 0, env, node.loc, (inner) => out.push(lazy(node.body, inner)));
  return new JArray(out);
}

/** Run `body` in the environment of every combination the comprehension's clauses allow. */
function forEachBinding(specs: readonly CompSpec[], i: number, env: Env, loc: Loc, body: (env: Env) => void): void {
  if (i === specs.length) {
    body(env);
    return;
  }
  const spec = specs[i]!;
  if (spec.kind === 'if') {
    const c = evaluate(spec.cond, env);
    if (typeof c !== 'boolean') throw runtimeError(`condition must be boolean, got ${typeOf(c)}.`, loc);
    if (c) forEachBinding(specs, i + 1, env, loc, body);
    return;
  }
  const source = evaluate(spec.source, env);
  if (!(source instanceof JArray)) throw runtimeError('In comprehension, can only iterate over array.', loc);
  for (const item of source.items) {
    step(loc);
    forEachBinding(specs, i + 1, env.extend([item]), loc, body);
  }
}

function objectLiteral(node: NodeOf<'object'>, env: Env): JObject {
  const fields = new Map<string, FieldDef>();
  for (const f of node.fields) {
    let name: string;
    if (typeof f.name === 'string') name = f.name;
    else {
      const n = evaluate(f.name, env);
      if (n === null) continue;
      if (typeof n !== 'string') throw runtimeError(`field name must be string, got ${typeOf(n)}.`, f.loc);
      name = n;
    }
    if (fields.has(name)) throw runtimeError(`duplicate field name: ${quote(name)}`, node.loc);
    fields.set(name, { visibility: f.visibility, plus: f.plus, body: f.body, env, locals: node.locals });
  }
  const asserts = node.asserts.map((a) => ({ cond: a.cond, message: a.message, env, locals: node.locals }));
  const layer: Layer = { fields, asserts };
  return new JObject([layer]);
}

function objectComprehension(node: NodeOf<'objectComp'>, env: Env): JObject {
  const fields = new Map<string, FieldDef>();
  forEachBinding(node.specs, 0, env, node.loc, (inner) => {
    const n = evaluate(node.key, inner);
    if (n === null) return;
    if (typeof n !== 'string') throw runtimeError(`field name must be string, got ${typeOf(n)}.`, node.loc);
    if (fields.has(n)) throw runtimeError(`duplicate field name: ${quote(n)}`, node.loc);
    fields.set(n, { visibility: 'inherit', plus: node.plus, body: node.value, env: inner, locals: node.locals });
  });
  return new JObject([{ fields, asserts: [] }]);
}

function binary(node: NodeOf<'binary'>, env: Env): Value {
  const op = node.op;
  const loc = node.loc;
  if (op === '&&' || op === '||') {
    const l = evaluate(node.left, env);
    if (typeof l !== 'boolean') {
      throw runtimeError(`binary operator ${op} requires boolean, got ${typeOf(l)}.`, loc);
    }
    if (op === '&&' ? !l : l) return l;
    const r = evaluate(node.right, env);
    if (typeof r !== 'boolean') {
      throw runtimeError(`binary operator ${op} requires matching types, got boolean and ${typeOf(r)}.`, loc);
    }
    return r;
  }
  const l = evaluate(node.left, env);
  const r = evaluate(node.right, env);
  switch (op) {
    case '+':
      return plus(l, r, loc);
    case '==':
      return equals(l, r, loc);
    case '!=':
      return !equals(l, r, loc);
    case '<':
      return compare(l, r, loc, op) < 0;
    case '<=':
      return compare(l, r, loc, op) <= 0;
    case '>':
      return compare(l, r, loc, op) > 0;
    case '>=':
      return compare(l, r, loc, op) >= 0;
    case 'in':
      if (typeof l !== 'string') throw runtimeError(`field name must be string, got ${typeOf(l)}.`, loc);
      if (!(r instanceof JObject)) {
        throw runtimeError(`the right hand side of the 'in' operator should be an object, got ${typeOf(r)}`, loc);
      }
      return r.find(l) >= 0;
    case '%':
      if (typeof l === 'string') return formatValues(l, r, loc);
      return arithmetic(op, l, r, loc);
    default:
      return arithmetic(op, l, r, loc);
  }
}

export function plus(l: Value, r: Value, loc: Loc): Value {
  if (typeof l === 'number' && typeof r === 'number') return finite(l + r, loc);
  if (typeof l === 'string' || typeof r === 'string') {
    const s = toStringValue(l, loc);
    const t = toStringValue(r, loc);
    const length = s.length + t.length;
    checkStringLength(length, loc);
    // Counted as if flattened, which is when a long string takes its memory.
    if (length > 1 << 20) reserve(length * 2, loc);
    return s + t;
  }
  if (l instanceof JArray && r instanceof JArray) {
    checkArrayLength(l.length + r.length, loc);
    return new JArray(l.items.concat(r.items));
  }
  if (l instanceof JObject && r instanceof JObject) return new JObject(l.layers.concat(r.layers));
  throw runtimeError(`binary operator + requires matching types, got ${typeOf(l)} and ${typeOf(r)}.`, loc);
}

function finite(v: number, loc: Loc): number {
  if (!Number.isFinite(v)) throw runtimeError('overflow', loc);
  return v;
}

/** Bitwise operators work on the integer part, as 64-bit two's complement. */
function int64(v: number): bigint {
  return BigInt.asIntN(64, BigInt(Math.trunc(v)));
}

function arithmetic(op: string, l: Value, r: Value, loc: Loc): Value {
  if (typeof l !== 'number' || typeof r !== 'number') {
    throw runtimeError(`binary operator ${op} requires matching types, got ${typeOf(l)} and ${typeOf(r)}.`, loc);
  }
  switch (op) {
    case '*':
      return finite(l * r, loc);
    case '/':
      if (r === 0) throw runtimeError('division by zero.', loc);
      return finite(l / r, loc);
    case '%':
      if (r === 0) throw runtimeError('division by zero.', loc);
      return finite(l % r, loc);
    case '-':
      return finite(l - r, loc);
    case '<<':
    case '>>': {
      if (r < 0) throw runtimeError('shift by negative exponent.', loc);
      const shift = int64(r) % 64n;
      return Number(op === '<<' ? BigInt.asIntN(64, int64(l) << shift) : int64(l) >> shift);
    }
    case '&':
      return Number(int64(l) & int64(r));
    case '^':
      return Number(int64(l) ^ int64(r));
    case '|':
      return Number(int64(l) | int64(r));
  }
  throw runtimeError(`unknown operator ${op}`, loc);
}

function unary(op: string, v: Value, loc: Loc): Value {
  switch (op) {
    case '-':
      if (typeof v === 'number') return -v;
      break;
    case '+':
      if (typeof v === 'number') return v;
      break;
    case '!':
      if (typeof v === 'boolean') return !v;
      break;
    case '~':
      if (typeof v === 'number') return Number(~int64(v));
      break;
  }
  throw runtimeError(`unary operator ${op} does not operate on ${pluralType(v)}.`, loc);
}

function pluralType(v: Value): string {
  const t = typeOf(v);
  return t === 'null' ? 'null' : `${t}s`;
}
