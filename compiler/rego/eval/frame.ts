// The vocabulary the evaluator's parts share: a rule's frame of var slots, the marker for
// terms that need enumeration, and conflict errors.
import type { Location } from '../errors.js';
import { RegoError } from '../errors.js';
import type { Value } from '../value.js';

/** Values of a rule's (or query's) vars, by slot; undefined while unbound. */
export type Frame = (Value | undefined)[];

/** Marks a term whose value needs the general (enumerating) evaluation. */
export const NEEDS_SEARCH = Symbol('needs search');

export function conflict(message: string, loc?: Location): RegoError {
  return new RegoError('eval_conflict_error', message, loc);
}
