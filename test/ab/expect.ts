import { expect } from 'vitest';

/** Equal to 6 significant digits, as test/ab/reference.py prints scipy's values. */
export function expectSig6(actual: number, reference: number): void {
  expect(Number(actual.toPrecision(6))).toBe(Number(reference.toPrecision(6)));
}
