// Deterministic A/B data with known effects, generated the same way by test/ab/reference.py
// (same PRNG, same draws in the same order), so the scipy reference sees exactly these units.
import { sha256Hex as sha256 } from '../../core/hash.js';
// mulberry32 (32-bit state, simple enough to reproduce bit for bit in Python), as the runtime tests use.
import { seeded as mulberry32 } from '../runtime/helpers/random.js';
import { ASSIGNMENT_EVENT_TYPE, type AssignmentEvent } from '../../runtime/contract/events.js';

export interface Scenario {
  readonly seed: number;
  readonly users: number;
  readonly variants: readonly string[];
  /** Shares the generator assigns with (an SRM scenario differs from the spec's weights). */
  readonly assign: readonly number[];
  /** Rate per variant, or the mean of a normal-ish outcome with `sd`. */
  readonly rates?: readonly number[];
  readonly means?: readonly number[];
  readonly sd?: number;
}

export interface User {
  readonly key: string;
  readonly variant: string;
  readonly requests: number;
  /** 0/1 for a rate, the outcome for a mean. */
  readonly outcome: number;
}

export function generate(s: Scenario): User[] {
  const next = mulberry32(s.seed);
  const users: User[] = [];
  for (let i = 0; i < s.users; i++) {
    const u = next() * 100;
    let v = 0;
    let cumulative = s.assign[0]!;
    while (u >= cumulative && v < s.assign.length - 1) cumulative += s.assign[++v]!;
    const requests = 1 + Math.floor(next() * 3);
    let outcome: number;
    if (s.rates) outcome = next() < s.rates[v]! ? 1 : 0;
    else {
      let z = 0;
      for (let k = 0; k < 12; k++) z += next();
      outcome = s.means![v]! + s.sd! * (z - 6);
    }
    users.push({ key: `user-${i}`, variant: s.variants[v]!, requests, outcome });
  }
  return users;
}

/** The runtime's event lines for these users (one per request), with a log line among them. */
export function eventLines(users: readonly User[], source: string): string {
  const lines: string[] = [];
  for (const [i, u] of users.entries()) {
    for (let r = 0; r < u.requests; r++) {
      const event: AssignmentEvent = {
        specversion: '1.0',
        type: ASSIGNMENT_EVENT_TYPE,
        source,
        id: `e-${i}-${r}`,
        time: '2026-12-01T10:00:00.000Z',
        datacontenttype: 'application/json',
        data: {
          requestId: `r-${i}-${r}`,
          model: 'product-ranker',
          variant: u.variant,
          version: '1',
          reason: 'sticky',
          keyHash: sha256(u.key),
          status: 200,
          latencySeconds: 0.004,
        },
      };
      lines.push(JSON.stringify(event));
    }
    if (i === 0) lines.push(JSON.stringify({ time: '2026-12-01T10:00:00.000Z', level: 'info', msg: 'listening' }));
  }
  return `${lines.join('\n')}\n`;
}

/** Outcome records: conversions by sticky key (rates), or one value per user by request id (means). */
export function outcomeLines(users: readonly User[], metric: string, kind: 'rate' | 'mean'): string {
  const lines: string[] = [];
  for (const [i, u] of users.entries()) {
    if (kind === 'rate') {
      if (u.outcome > 0) lines.push(JSON.stringify({ metric, key: u.key }));
    } else lines.push(JSON.stringify({ metric, requestId: `r-${i}-0`, value: u.outcome }));
  }
  lines.push(JSON.stringify({ metric: 'other_metric', key: 'user-0', value: 3 }));
  return `${lines.join('\n')}\n`;
}

/** A small early-peek stream of the example product-ranker in prod (400 users, no effect). */
export const PRODUCT_RANKER_USERS = generate({
  seed: 5,
  users: 400,
  variants: ['ranker-a', 'ranker-b'],
  assign: [50, 50],
  rates: [0.2, 0.2],
});
export const PRODUCT_RANKER_SOURCE = '/mlspec/product-ranker/prod/cpu';
