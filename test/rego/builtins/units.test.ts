import { describe, it } from 'vitest';
import { expectCall, expectError } from './helpers.js';

describe('units', () => {
  it('parses decimal and binary SI units, m vs M', () => {
    expectCall('units.parse', ['500m'], 0.5);
    expectCall('units.parse', ['0.0000005M'], 0.5);
    expectCall('units.parse', ['1.1Ki'], 1126.4);
    expectCall('units.parse', ['10KI'], 10240);
    expectCall('units.parse', ['10Ei'], 11529215046068469760n);
    expectCall('units.parse', ['2.5e3K'], 2500000);
    expectCall('units.parse', ['"100TI"'], 109951162777600);
    expectCall('units.parse', ['1e-2'], 0.01);
    expectCall('units.parse', ['5E'], 5000000000000000000n);
    expectError('units.parse', [''], 'eval_builtin_error', 'units.parse: no amount provided');
    expectError('units.parse', ['0.0.0'], 'eval_builtin_error', 'could not parse amount to a number');
    expectError('units.parse', ['100 k'], 'eval_builtin_error', 'spaces not allowed in resource strings');
    expectError('units.parse', ['1kb'], 'eval_builtin_error', 'unit kb not recognized');
    expectError('units.parse', ['1e1234567'], 'eval_builtin_error', 'exponent too large');
  });

  it('parses byte amounts into truncated integers', () => {
    expectCall('units.parse_bytes', ['1.1KiB'], 1126);
    expectCall('units.parse_bytes', ['10KB'], 10000);
    expectCall('units.parse_bytes', ['100mib'], 104857600);
    expectCall('units.parse_bytes', ['10eib'], 11529215046068469760n);
    expectCall('units.parse_bytes', ['1e-2KB'], 10);
    expectCall('units.parse_bytes', ['.0'], 0);
    expectError('units.parse_bytes', ['GB'], 'eval_builtin_error', 'units.parse_bytes: no byte amount provided');
    expectError('units.parse_bytes', [' 327MiB '], 'eval_builtin_error', 'spaces not allowed in resource strings');
    expectError('units.parse_bytes', ['1xb'], 'eval_builtin_error', 'byte unit xb not recognized');
  });
});
