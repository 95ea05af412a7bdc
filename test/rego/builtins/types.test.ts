import { describe, it } from 'vitest';
import { expectCall, expectError } from './helpers.js';

describe('types', () => {
  it('tests types (false, not undefined, for others) and names them', () => {
    expectCall('is_number', [1.5], true);
    expectCall('is_number', [null], false);
    expectCall('is_string', ['x'], true);
    expectCall('is_boolean', [false], true);
    expectCall('is_array', [new Set([1])], false);
    expectCall('is_set', [new Set()], true);
    expectCall('is_object', [{}], true);
    expectCall('is_null', [null], true);
    expectCall('type_name', [new Set()], 'set');
    expectCall('type_name', [18446744073709551617n], 'number');
    expectCall('type_name', [[]], 'array');
  });

  it('deprecated casts return or convert their operand', () => {
    expectCall('cast_array', [new Set([2, 1])], [1, 2]);
    expectCall('cast_set', [[1, 1, 2]], new Set([1, 2]));
    expectCall('cast_string', ['x'], 'x');
    expectCall('cast_null', [null], null);
    expectError('cast_boolean', ['true'], 'eval_type_error', 'operand 1 must be boolean but got string');
    expectError('cast_object', [[]], 'eval_type_error', 'operand 1 must be object but got array');
  });
});
