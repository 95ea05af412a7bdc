// Operand accessors for builtin implementations: each returns the operand with its type
// narrowed, or throws the operand error OPA reports for it (eval_type_error).
import { isNumber, isInteger, toSafeInteger, toBigInt, type RegoNumber } from '../number.js';
import { ObjectValue, SetValue, typeName, type ArrayValue, type Value } from '../value.js';
import { operandError, operandTypeError } from './table.js';

export function stringArg(v: Value | undefined, pos: number): string {
  if (typeof v !== 'string') throw operandTypeError(pos, v ?? null, 'string');
  return v;
}

export function numberArg(v: Value | undefined, pos: number): RegoNumber {
  if (v === undefined || !isNumber(v)) throw operandTypeError(pos, v ?? null, 'number');
  return v;
}

/** An integer small enough for a JS number (indexes, counts, widths). */
export function intArg(v: Value | undefined, pos: number): number {
  const n = numberArg(v, pos);
  if (!isInteger(n)) throw operandError(pos, 'must be integer number but got floating-point number');
  const i = toSafeInteger(n);
  if (i === undefined) throw operandError(pos, 'must be an integer number within range');
  return i;
}

/** An integer of any size. */
export function bigIntArg(v: Value | undefined, pos: number): bigint {
  const n = numberArg(v, pos);
  const i = toBigInt(n);
  if (i === undefined) throw operandError(pos, 'must be integer number but got floating-point number');
  return i;
}

export function booleanArg(v: Value | undefined, pos: number): boolean {
  if (typeof v !== 'boolean') throw operandTypeError(pos, v ?? null, 'boolean');
  return v;
}

export function arrayArg(v: Value | undefined, pos: number): ArrayValue {
  if (!Array.isArray(v)) throw operandTypeError(pos, v ?? null, 'array');
  return v;
}

export function objectArg(v: Value | undefined, pos: number): ObjectValue {
  if (!(v instanceof ObjectValue)) throw operandTypeError(pos, v ?? null, 'object');
  return v;
}

export function setArg(v: Value | undefined, pos: number): SetValue {
  if (!(v instanceof SetValue)) throw operandTypeError(pos, v ?? null, 'set');
  return v;
}

/** The members of an array or a set (sets in sorted order). */
export function collectionArg(v: Value | undefined, pos: number): readonly Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof SetValue) return v.values();
  throw operandTypeError(pos, v ?? null, 'array', 'set');
}

/** An array or set of strings: `operand 1 must be array of strings but got array containing number`. */
export function stringsArg(v: Value | undefined, pos: number): string[] {
  const items = collectionArg(v, pos);
  for (const x of items) {
    if (typeof x !== 'string')
      throw operandError(pos, `must be ${typeName(v!)} of strings but got ${typeName(v!)} containing ${typeName(x)}`);
  }
  return items as string[];
}
