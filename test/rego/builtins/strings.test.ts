import { describe, expect, it } from 'vitest';
import { call, expectCall, expectError } from './helpers.js';

describe('strings', () => {
  it('searches by runes', () => {
    expectCall('indexof', ['abcabcabcdefgh', 'cde'], 8);
    expectCall('indexof', ['μx', 'x'], 1);
    expectCall('indexof', ['🍧🍨🧁🍰🍮', '🍮'], 4);
    expectCall('indexof', ['abc', 'z'], -1);
    expectError('indexof', ['abc', ''], 'eval_builtin_error', 'empty search character');
    expectCall('indexof_n', ['😇😀😇😀😇😀', '😀'], [1, 3, 5]);
    expectCall('indexof_n', ['dogcat', 'rabbit'], []);
    expectCall('strings.count', ['cheese', 'e'], 3);
    expectCall('strings.count', ['dummy', ''], 6);
    expectCall('strings.count', ['11111', '11'], 2);
    expectCall('contains', ['abcdefgh', 'defg'], true);
    expectCall('startswith', ['abc', 'ab'], true);
    expectCall('endswith', ['abc', 'ab'], false);
  });

  it('matches any prefix/suffix of strings, sets or arrays', () => {
    expectCall(
      'strings.any_prefix_match',
      [
        ['a/b/c', 'e/f/g'],
        ['d/', 'e/f/g'],
      ],
      true,
    );
    expectCall('strings.any_prefix_match', ['a/b/c', new Set(['x', 'a/'])], true);
    expectCall('strings.any_suffix_match', [['a/b/c'], ['/b']], false);
    expectError(
      'strings.any_prefix_match',
      [1, ['a']],
      'eval_type_error',
      'operand 1 must be one of {string, set, array} but got number',
    );
    expectError(
      'strings.any_suffix_match',
      [['a'], [1]],
      'eval_type_error',
      'operand 2 must be array of strings but got array containing number',
    );
  });

  it('substring counts runes; negative offsets fail', () => {
    expectCall('substring', ['abcdefgh', 2, 3], 'cde');
    expectCall('substring', ['aåäö', 2, -1], 'äö');
    expectCall('substring', ['åäö', 4, -1], '');
    expectCall('substring', ['abcdefghåäö', 2, 10000], 'cdefghåäö');
    expectError('substring', ['aaa', -1, -1], 'eval_builtin_error', 'negative offset');
    expectError(
      'substring',
      ['aaa', 1.5, 1],
      'eval_type_error',
      'operand 2 must be integer number but got floating-point number',
    );
  });

  it('splits, replaces and joins like Go', () => {
    expectCall('split', ['foo.bar.baz', '.'], ['foo', 'bar', 'baz']);
    expectCall('split', ['', '.'], ['']);
    expectCall('split', ['a😀b', ''], ['a', '😀', 'b']);
    expectCall('split', ['', ''], []);
    expectCall('replace', ['foo...bar', '..', ',,'], 'foo,,.bar');
    expectCall('replace', ['ab', '', '-'], '-a-b-');
    expectCall('strings.replace_n', [{ '<': '&lt;', '>': '&gt;' }, '<a>'], '&lt;a&gt;');
    // Old strings are tried in sorted key order at each position, without overlapping.
    expectCall('strings.replace_n', [{ a: 'b', ab: 'X' }, 'ab'], 'bb');
    expectError(
      'strings.replace_n',
      [{ a: 1 }, 'x'],
      'eval_type_error',
      'operand 1 non-string value found in pattern object',
    );
    expectCall('concat', ['/', ['', 'foo', 'bar']], '/foo/bar');
    expectCall('concat', [',', new Set(['b', 'a'])], 'a,b');
    expectError(
      'concat',
      [',', ['a', 1]],
      'eval_type_error',
      'operand 2 must be array of strings but got array containing number',
    );
    expectCall('strings.reverse', ['1😀𝛾'], '𝛾😀1');
  });

  it('maps case and trims like Go (per rune, Go’s white space)', () => {
    expectCall('upper', ['straße ǆ'], 'STRAßE Ǆ');
    expectCall('lower', ['İSTANBUL Σ'], 'istanbul σ');
    expectCall('trim', ['...foo.bar...', '.fr'], 'oo.ba');
    expectCall('trim_left', ['xxay', 'x'], 'ay');
    expectCall('trim_right', ['xxay', 'y'], 'xxa');
    expectCall('trim_prefix', ['foobar', 'foo'], 'bar');
    expectCall('trim_suffix', ['foobar', 'bar'], 'foo');
    expectCall('trim_space', ['\u00a0\t hi \u3000'], 'hi');
    expectCall('trim_space', ['\ufeffhi'], '\ufeffhi');
  });

  it('formats integers in a base after truncation', () => {
    expectCall('format_int', [15.5, 16], 'f');
    expectCall('format_int', [-15.9, 2], '-1111');
    expectCall('format_int', [18446744073709551617n, 16], '10000000000000001');
    expectError('format_int', [4.1, 199], 'eval_type_error', 'operand 2 must be one of {2, 8, 10, 16}');
  });
});

describe('sprintf', () => {
  it('formats with Go’s verbs and OPA’s argument conversion', () => {
    expectCall('sprintf', ['hi %02X.%02X', [127, 1]], 'hi 7F.01');
    expectCall('sprintf', ['%.2f|%8.3f|%-5d|%+d|%05d', [1.2345, -2.5, 42, 7, -42]], '1.23|  -2.500|42   |+7|-0042');
    expectCall(
      'sprintf',
      ['%v %v %v', [['there', 5, 3.14], new Set([2, 1]), { a: 1 }]],
      '["there", 5, 3.14] {1, 2} {"a": 1}',
    );
    expectCall('sprintf', ['%s %v', [true, null]], 'true null');
    expectCall('sprintf', ['%s', [123456789123456789123n]], '123456789123456789123');
    expectCall('sprintf', ['%d', ['x']], '%!d(string=x)');
    expectCall('sprintf', ['%d %d', [1]], '1 %!d(MISSING)');
    expectCall('sprintf', ['%d', [1, 2]], '1%!(EXTRA int=2)');
    expectCall('sprintf', ['%[2]d %[1]d', [1, 2]], '2 1');
    expectCall('sprintf', ['%q %x %X', ['a"b\n', 'hi', 255]], '"a\\"b\\n" 6869 FF');
    expectCall(
      'sprintf',
      ['%e %g %g %v', [123456.789, 0.000012345, 1.5e-7, 2.5]],
      '1.234568e+05 1.2345e-05 1.5e-07 2.5',
    );
    expectCall('sprintf', ['%.0f %.0f %.1f', [0.5, 1.5, 0.25]], '0 2 0.2');
    expectCall('sprintf', ['%*d|%-*d|', [4, 7, 3, 1]], '   7|1  |');
    expectCall('sprintf', ['100%%', []], '100%');
    expect(call('sprintf', ['%c%U', [65, 0x1f600]])).toBe('AU+1F600');
  });
});
