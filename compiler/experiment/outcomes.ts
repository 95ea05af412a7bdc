// Outcome records (conversions, revenue, clicks), one JSON object per line:
//   {"metric": "click_through", "requestId": "...", "value": 1}
//   {"metric": "revenue", "key": "customer-42", "value": 18.5}   (key hashed as the runtime does)
//   {"keyHash": "<sha256 hex>"}                                  (no metric: counts for the goal; value 1)
// Several records of one unit add up (clicks, revenue); a rate counts a unit whose sum is positive.
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { type Assignment, located, unitOf } from './events.js';
import { type InputFile, isObject, readRecords } from './json-lines.js';

export interface Outcomes {
  /** Sum of values per request id or per unit (`key:<hash>`). */
  readonly byRequest: ReadonlyMap<string, number>;
  readonly byUnit: ReadonlyMap<string, number>;
  readonly records: number;
  readonly otherMetrics: number;
}

const HASH = /^[a-f0-9]{64}$/;

export function readOutcomes(files: readonly InputFile[], metric: string, diagnostics: Diagnostic[]): Outcomes {
  const byRequest = new Map<string, number>();
  const byUnit = new Map<string, number>();
  let records = 0;
  let otherMetrics = 0;
  const add = (map: Map<string, number>, id: string, v: number) => map.set(id, (map.get(id) ?? 0) + v);
  for (const input of files) {
    for (const record of readRecords(input, 'an outcome record', diagnostics)) {
      const o = record.value;
      const bad = (message: string) =>
        diagnostics.push(
          located(
            record,
            'malformed_outcome',
            message,
            'an outcome is {"metric": NAME, "requestId"|"key"|"keyHash": ID, "value": NUMBER}',
          ),
        );
      if (!isObject(o)) {
        bad('outcome record is not a JSON object');
        continue;
      }
      if (o.metric !== undefined && typeof o.metric !== 'string') {
        bad('`metric` is not a string');
        continue;
      }
      if (o.metric !== undefined && o.metric !== metric) {
        otherMetrics++;
        continue;
      }
      const value = o.value ?? 1;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        bad('`value` is not a finite number');
        continue;
      }
      const ids = (['requestId', 'key', 'keyHash'] as const).filter((k) => o[k] !== undefined);
      if (ids.length !== 1 || typeof o[ids[0]!] !== 'string') {
        bad('give exactly one of `requestId`, `key` and `keyHash`, as a string');
        continue;
      }
      const id = o[ids[0]!] as string;
      if (ids[0] === 'keyHash' && !HASH.test(id)) {
        bad('`keyHash` is not a lowercase sha256 hex digest');
        continue;
      }
      records++;
      if (ids[0] === 'requestId') add(byRequest, id, value);
      else add(byUnit, unitOf(ids[0] === 'key' ? sha256(id) : id, ''), value);
    }
  }
  return { byRequest, byUnit, records, otherMetrics };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface JoinedUnits {
  /** Outcome per unit, by variant (0 for a unit without outcome records). */
  readonly values: ReadonlyMap<string, number[]>;
  /** Units seen in more than one variant (a weight change, a cleared cookie): left out. */
  readonly crossedOver: number;
  /** Outcome records whose request or unit was never assigned. */
  readonly unmatched: number;
}

/** Units per variant with their outcome, in the order units were first seen. */
export function joinOutcomes(assignments: readonly Assignment[], outcomes: Outcomes): JoinedUnits {
  const variantOf = new Map<string, string | null>();
  const unitOfRequest = new Map<string, string>();
  for (const a of assignments) {
    const seen = variantOf.get(a.unit);
    if (seen === undefined) variantOf.set(a.unit, a.variant);
    else if (seen !== a.variant) variantOf.set(a.unit, null);
    unitOfRequest.set(a.requestId, a.unit);
  }
  const sums = new Map<string, number>();
  let unmatched = 0;
  for (const [requestId, v] of outcomes.byRequest) {
    const unit = unitOfRequest.get(requestId);
    if (unit === undefined) unmatched++;
    else sums.set(unit, (sums.get(unit) ?? 0) + v);
  }
  for (const [unit, v] of outcomes.byUnit) {
    if (!variantOf.has(unit)) unmatched++;
    else sums.set(unit, (sums.get(unit) ?? 0) + v);
  }
  const values = new Map<string, number[]>();
  let crossedOver = 0;
  for (const [unit, variant] of variantOf) {
    if (variant === null) {
      crossedOver++;
      continue;
    }
    let list = values.get(variant);
    if (!list) values.set(variant, (list = []));
    list.push(sums.get(unit) ?? 0);
  }
  return { values, crossedOver, unmatched };
}
