import { describe, it } from 'vitest';
import { expectCall, expectError } from './helpers.js';

describe('regex', () => {
  it('uses Go’s RE2 syntax', () => {
    expectCall('regex.match', ['(?i)^ABC$', 'abc'], true);
    expectCall('regex.match', ['^\\pL+$', 'héllo'], true);
    expectCall('regex.match', ['', 'x'], true);
    expectError('regex.match', ['(a)\\1', 'aa'], 'eval_builtin_error', 'invalid escape sequence');
    expectError('regex.match', ['$^[[[', 'x'], 'eval_builtin_error', 'missing closing ]');
    expectCall('re_match', ['^a', 'abc'], true);
    expectCall('regex.is_valid', ['.+'], true);
    expectCall('regex.is_valid', ['++'], false);
    expectCall('regex.is_valid', [10], false);
  });

  it('finds, splits and replaces with Go’s empty-match rules', () => {
    expectCall('regex.find_n', ['a.', 'paranormal', -1], ['ar', 'an', 'al']);
    expectCall('regex.find_n', ['a.', 'paranormal', 0], []);
    expectCall(
      'regex.find_all_string_submatch_n',
      ['[^aouiye]([aouiye])([^aouiye])?', 'somestri', -1],
      [
        ['som', 'o', 'm'],
        ['ri', 'i', ''],
      ],
    );
    expectCall('regex.split', ['a', 'banana'], ['b', 'n', 'n', '']);
    expectCall('regex.split', ['^[a-z ]+$', 'foobar baz'], ['', '']);
    expectCall('regex.split', ['x', ''], ['']);
    expectCall('regex.replace', ['foo', '^[a-z]', 'F'], 'Foo');
    expectCall('regex.replace', ['-wy-wxxy-', 'w(x*)y', '<$1>'], '-<>-<xx>-');
    expectCall('regex.replace', ['ab', '(?P<x>a)', '${x}$$'], 'a$b');
    expectCall('regex.replace', ['abc', 'x*', '-'], '-a-b-c-');
  });

  it('matches templates with delimiters', () => {
    expectCall('regex.template_match', ['urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}'], true);
    expectCall('regex.template_match', ['urn:foo.<[a-z]+>', 'urn:fooXbar', '<', '>'], false);
    expectError('regex.template_match', ['a{b', 'x', '{', '}'], 'eval_builtin_error', 'unbalanced braces in "a{b"');
    expectError(
      'regex.template_match',
      ['a', 'x', '{{', '}'],
      'eval_builtin_error',
      'start delimiter has to be exactly one character long but is 2 long',
    );
  });

  it('intersects glob-style expressions', () => {
    expectCall('regex.globs_match', ['a.a.[0-9]+z', '.b.b2359825792*594823z'], true);
    expectCall('regex.globs_match', ['[a-z]+', '[0-9]*'], false);
    expectCall('regex.globs_match', ['[a-z]+\\[[0-9]+\\]', 'foo\\[1\\]'], true);
    expectError(
      'regex.globs_match',
      ['pqrs]', '[a-b]+'],
      'eval_builtin_error',
      "input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid",
    );
    expectError('regex.globs_match', ['*a', 'a'], 'eval_builtin_error', "flag '*' must be preceded by a non-flag");
  });
});
