import { describe, expect, it } from 'vitest';
import { parseNumber } from '../../../compiler/rego/number.js';
import { call, context, expectCall, expectError } from './helpers.js';

describe('numbers', () => {
  it('converts to numbers like strconv.ParseFloat', () => {
    expectCall('to_number', ['-42.0'], -42);
    expectCall('to_number', ['+5'], 5);
    expectCall('to_number', ['.5'], 0.5);
    expectCall('to_number', ['12345678901234567890123'], 12345678901234567890123n);
    expectCall('to_number', [true], 1);
    expectCall('to_number', [null], 0);
    expectCall('to_number', [100.1], 100.1);
    expectError('to_number', ['broken'], 'eval_builtin_error', 'strconv.ParseFloat: parsing "broken": invalid syntax');
    expectError('to_number', ['-Infinity'], 'eval_type_error', 'operand 1 must be valid number string but got string');
    expectError('to_number', ['1e400'], 'eval_builtin_error', 'value out of range');
    expectError(
      'to_number',
      [[1]],
      'eval_type_error',
      'operand 1 must be one of {null, boolean, number, string} but got array',
    );
  });

  it('rounds exactly, half away from zero', () => {
    expectCall('round', [2.5], 3);
    expectCall('round', [-2.5], -3);
    expectCall('round', [-2.4], -2);
    expectCall('ceil', [1.01], 2);
    expectCall('ceil', [-1.99999], -1);
    expectCall('floor', [-1.001], -2);
    expectCall('floor', [99.99999], 99);
    expectCall('floor', [parseNumber('12345678901234567890.5')], 12345678901234567890n);
    expectCall('round', [parseNumber('-12345678901234567890.5')], -12345678901234567891n);
    expectCall('abs', [-10], 10);
    expectCall('abs', [-18446744073709551617n], 18446744073709551617n);
  });

  it('keeps OPA’s ceil/floor results for inputs between -1 and 0', () => {
    // OPA truncates first and adjusts by the sign of the truncated value (which is +0 here).
    expectCall('ceil', [-0.5], 1);
    expectCall('floor', [-0.5], 0);
  });

  it('builds ranges, ascending or descending, of any size integers', () => {
    expectCall('numbers.range', [-2, 3], [-2, -1, 0, 1, 2, 3]);
    expectCall('numbers.range', [2, -1], [2, 1, 0, -1]);
    expectCall('numbers.range', [49649733057, 49649733059], [49649733057, 49649733058, 49649733059]);
    expectCall('numbers.range_step', [0, 10, 99999999999999999999n], [0]);
    expectCall('numbers.range_step', [10, 3, 2], [10, 8, 6, 4]);
    expectError(
      'numbers.range',
      [3.14, 4],
      'eval_type_error',
      'numbers.range: operand 1 must be integer number but got floating-point number',
    );
    expectError('numbers.range', ['a', 4], 'eval_type_error', 'operand 1 must be integer but got string');
    expectError(
      'numbers.range_step',
      [0, 10, -2],
      'eval_builtin_error',
      'numbers.range_step: step must be a positive integer',
    );
    expectError('numbers.range', [0, 1e12], 'eval_limit_error', 'numbers.range: evaluation exceeded the memory budget');
  });

  it('rand.intn is stable per argument pair within an evaluation', () => {
    const ctx = context();
    const first = call('rand.intn', ['key', 100], ctx) as number;
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(100);
    for (let i = 0; i < 20; i++) expect(call('rand.intn', ['key', -100], ctx)).toBe(first);
    expect(call('rand.intn', ['key', 0], ctx)).toBe(0);
  });
});

describe('bits', () => {
  it('operates on integers of any size', () => {
    expectCall('bits.and', [7, 9], 1);
    expectCall('bits.or', [7, 9], 15);
    expectCall('bits.xor', [42, 3], 41);
    expectCall('bits.negate', [42], -43);
    expectCall('bits.lsh', [9223372036854775807n, 1], 18446744073709551614n);
    expectCall('bits.rsh', [-8, 1], -4);
    expectError(
      'bits.and',
      [7.2, 42],
      'eval_type_error',
      'bits.and: operand 1 must be integer number but got floating-point number',
    );
    expectError(
      'bits.lsh',
      [7, -1],
      'eval_type_error',
      'operand 2 must be an unsigned integer number but got a negative integer',
    );
  });
});
