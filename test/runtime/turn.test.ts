// endOfTurn: one promise per event-loop turn, resolved after the turn's callbacks, so answers
// that become ready in one turn are written together (server.ts).
import { describe, expect, it } from 'vitest';
import { endOfTurn } from '../../runtime/turn.js';

describe('endOfTurn', () => {
  it('gives everyone in the same turn the same promise, and a new one in the next turn', async () => {
    const a = endOfTurn();
    const b = endOfTurn();
    expect(b).toBe(a);
    await a;
    const c = endOfTurn();
    expect(c).not.toBe(a);
    await c;
  });

  it('resolves after the microtasks and timers already due, in the order of the callers', async () => {
    const order: string[] = [];
    const waits = [endOfTurn().then(() => order.push('first')), endOfTurn().then(() => order.push('second'))];
    void Promise.resolve().then(() => order.push('microtask'));
    await Promise.all(waits);
    expect(order).toEqual(['microtask', 'first', 'second']);
  });
});
