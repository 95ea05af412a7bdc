import { describe, expect, it } from 'vitest';
import { call, expectCall, expectError } from './helpers.js';
import { BigNum } from '../../../compiler/rego/value.js';

describe('aggregates', () => {
  it('sums and multiplies arrays and sets exactly, beyond 64 bits', () => {
    expectCall('sum', [[1, 2, 3, 4]], 10);
    expectCall('sum', [new Set([1, 2, 3, 4])], 10);
    expectCall('sum', [[18446744073709551617n, 1]], 18446744073709551618n);
    expectCall('sum', [[9223372036854775807n, 1]], 9223372036854775808n);
    expectCall('sum', [[1.5, 2.5]], 4);
    expectCall('sum', [[0.1, 0.2]], 0.3);
    expectCall('sum', [[]], 0);
    expectCall('product', [[18446744073709551617n, 2]], 36893488147419103234n);
    expectCall('product', [[]], 1);
    expect(call('sum', [[49649733057, 1]])).toBe(49649733058);
  });

  it('rejects non-numbers with OPA’s messages', () => {
    expectError(
      'sum',
      [[1, 'a']],
      'eval_type_error',
      'sum: operand 1 must be array of numbers but got array containing string',
    );
    expectError(
      'product',
      [new Set([true])],
      'eval_type_error',
      'operand 1 must be set of numbers but got set containing boolean',
    );
    expectError('sum', [5], 'eval_type_error', 'operand 1 must be one of {set, array} but got number');
  });

  it('max/min use the total order and are undefined for empty collections', () => {
    expectCall('max', [[1, 'a', null, [1]]], [1]);
    expectCall('min', [[3, 2, 1, 4, 6, -7, 10]], -7);
    expectCall('max', [new Set([1, 2, 3])], 3);
    expectCall('max', [[]], undefined);
    expectCall('min', [new Set()], undefined);
    expectCall('max', [[1, 1.0, 2.0]], 2);
  });

  it('sorts arrays and sets; deprecated any/all test for true', () => {
    expectCall('sort', [[4, 'b', 1, null, 'a']], [null, 1, 4, 'a', 'b']);
    expectCall('sort', [new Set([3, 1, 2])], [1, 2, 3]);
    expectCall('all', [[true, true]], true);
    expectCall('all', [[true, 1]], false);
    expectCall('all', [[]], true);
    expectCall('any', [new Set([false, true])], true);
    expectCall('any', [[]], false);
    expectError('any', ['x'], 'eval_type_error', 'operand 1 must be one of {array, set} but got string');
  });

  it('keeps big values as BigNums', () => {
    expect(call('sum', [[18446744073709551617n, 1]])).toBeInstanceOf(BigNum);
  });
});
