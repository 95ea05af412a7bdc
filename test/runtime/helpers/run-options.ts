// Options of a model call as the request pipeline passes them.
import type { RunOptions } from '../../../runtime/model/session.js';

/** A live call of `rows` rows with no deadline, allowed on the event loop. */
export function live(rows: number): RunOptions {
  return { rows, lane: 'live', deadline: Number.POSITIVE_INFINITY, inlineMaxMs: Number.POSITIVE_INFINITY };
}
