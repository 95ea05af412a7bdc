// Builtins the language itself is built on: membership (`in`), print and trace.
import { equals, ObjectValue, SetValue, type Value } from '../value.js';
import { valueToString } from '../convert.js';
import { arrayArg, stringArg } from './args.js';
import { BuiltinError, declare, implement, operandTypeError } from './table.js';
import { T } from '../types.js';

/** `x in xs`: membership of a value among the elements of an array/set or the values of an object. */
export const member = declare({
  name: 'internal.member_2',
  infix: 'in',
  args: [
    { name: 'x', type: T.any },
    { name: 'xs', type: T.any },
  ],
  result: { name: 'result', type: T.boolean },
  description: 'Checks if `x` is an element of the collection `xs`.',
  categories: ['internal'],
});

implement(member, ([x, xs]) => {
  if (xs instanceof SetValue) return xs.has(x!);
  if (Array.isArray(xs)) return xs.some((e) => equals(e, x!));
  if (xs instanceof ObjectValue) return xs.values().some((v) => equals(v, x!));
  return false;
});

/** `k, v in xs`: `xs[k]` exists and equals `v`. */
export const memberWithKey = declare({
  name: 'internal.member_3',
  infix: 'in',
  args: [
    { name: 'k', type: T.any },
    { name: 'v', type: T.any },
    { name: 'xs', type: T.any },
  ],
  result: { name: 'result', type: T.boolean },
  description: 'Checks if the key/value pair `k, v` is in the collection `xs`.',
  categories: ['internal'],
});

implement(memberWithKey, ([k, v, xs]) => {
  if (Array.isArray(xs))
    return typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < xs.length && equals(xs[k]!, v!);
  if (xs instanceof ObjectValue) {
    const found = xs.get(k!);
    return found !== undefined && equals(found, v!);
  }
  if (xs instanceof SetValue) return equals(k!, v!) && xs.has(k!);
  return false;
});

/**
 * The compiler rewrites `print(a, b)` into `internal.print([{x | x := a}, {y | y := b}])`, so an
 * undefined argument prints `<undefined>` instead of stopping the rule. Every combination of
 * argument values is printed on its own line.
 */
export const internalPrint = declare({
  name: 'internal.print',
  args: [{ name: 'args', type: T.array(T.set()) }],
  result: { name: 'result', type: T.boolean },
  description: 'Prints its arguments (as rewritten from `print`); always succeeds.',
  categories: ['internal'],
});

function show(v: Value): string {
  return typeof v === 'string' ? v : valueToString(v);
}

implement(internalPrint, ([args], ctx) => {
  const sets = arrayArg(args, 1).map((s) => {
    if (!(s instanceof SetValue)) throw operandTypeError(1, s, 'array of sets');
    return s.size === 0 ? ['<undefined>'] : s.values().map(show);
  });
  const line: string[] = [];
  const emit = (i: number): void => {
    if (i === sets.length) {
      ctx.print(line.join(' '));
      return;
    }
    for (const s of sets[i]!) {
      line[i] = s;
      emit(i + 1);
    }
  };
  emit(0);
  return true;
});

/** The user-facing declaration of `print`, so it is known and documented; calls are rewritten. */
export const print = declare({
  name: 'print',
  variadic: true,
  args: [{ name: 'values', type: T.any }],
  result: { name: 'result', type: T.boolean },
  description: 'Prints the values (undefined ones as `<undefined>`) to the print output.',
  categories: ['tracing'],
});

implement(print, (args, ctx) => {
  ctx.print(args.map(show).join(' '));
  return true;
});

export const trace = declare({
  name: 'trace',
  args: [{ name: 'note', type: T.string, description: 'the string to emit' }],
  result: { name: 'result', type: T.boolean, description: 'always `true`' },
  description:
    'Emits `note` as a `Note` event in the query explanation; the notes of an evaluation are kept in its trace.',
  categories: ['tracing'],
});

implement(trace, ([note], ctx) => {
  const notes = (ctx.cache.get('trace') as string[] | undefined) ?? [];
  notes.push(stringArg(note, 1));
  ctx.cache.set('trace', notes);
  return true;
});

/**
 * The compiler rewrites `$"a {x} b"` into `internal.template_string(["a ", {v | v = x}, " b"])`:
 * strings are literal text, sets hold the value of an embedded expression (none: undefined).
 */
export const templateString = declare({
  name: 'internal.template_string',
  args: [{ name: 'parts', type: T.array(T.anyOf(T.string, T.set())) }],
  result: { name: 'result', type: T.string },
  description: 'Builds the string of a template (as rewritten from `$"..."`).',
  categories: ['internal'],
  builds: true,
});

implement(templateString, ([parts]) => {
  let out = '';
  for (const p of arrayArg(parts, 1)) {
    if (typeof p === 'string') out += p;
    else if (p instanceof SetValue) {
      if (p.size > 1) throw new BuiltinError('template expression produced more than one value');
      out += p.size === 0 ? '<undefined>' : show(p.values()[0]!);
    } else throw operandTypeError(1, p, 'array of strings and sets');
  }
  return out;
});
