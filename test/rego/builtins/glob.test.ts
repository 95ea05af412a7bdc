import { describe, it } from 'vitest';
import { expectCall, expectError } from './helpers.js';

describe('glob', () => {
  it('matches with delimiters (default ".")', () => {
    expectCall('glob.match', ['*.github.com', ['.'], 'api.github.com'], true);
    expectCall('glob.match', ['*.github.com', ['.'], 'api.cdn.github.com'], false);
    expectCall('glob.match', ['api.**.com', ['.'], 'api.cdn.github.com'], true);
    expectCall('glob.match', ['*', [], 'foo.bar'], false);
    expectCall('glob.match', ['*', null, 'foo.bar'], true);
    expectCall('glob.match', ['*:github:com', [':'], 'api:github:com'], true);
    expectCall('glob.match', ['?at', ['f'], 'fat'], false);
  });

  it('supports classes, alternatives and escapes', () => {
    expectCall('glob.match', ['[!a-c]at', [], 'fat'], true);
    expectCall('glob.match', ['[abc]at', [], 'fat'], false);
    expectCall('glob.match', ['{cat,bat,[fr]at}', [], 'rat'], true);
    expectCall('glob.match', ['{cat,bat}', [], 'at'], false);
    expectCall('glob.match', ['\\*.x', [], '*.x'], true);
    expectCall('glob.match', ['😀?', [], '😀😀'], true);
    expectError('glob.match', ['[abc', [], 'a'], 'eval_builtin_error');
    expectError(
      'glob.match',
      ['*', 'x', 'a'],
      'eval_type_error',
      'operand 2 must be one of {array, null} but got string',
    );
  });

  it('quotes meta characters', () => {
    expectCall('glob.quote_meta', ['*.github.com'], '\\*.github.com');
    expectCall('glob.quote_meta', ['[a]{b}?\\'], '\\[a\\]\\{b\\}\\?\\\\');
  });
});
