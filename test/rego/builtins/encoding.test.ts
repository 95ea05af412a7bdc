import { describe, expect, it } from 'vitest';
import { call, expectCall, expectError } from './helpers.js';

describe('json', () => {
  it('marshals like Go: sorted keys, HTML-safe escapes, sets as arrays, exact numbers', () => {
    expectCall('json.marshal', [[{ foo: new Set([3, 1, 2]) }]], '[{"foo":[1,2,3]}]');
    expectCall(
      'json.marshal',
      [{ b: '<&>', a: 18446744073709551617n }],
      '{"a":18446744073709551617,"b":"\\u003c\\u0026\\u003e"}',
    );
    expectCall('json.marshal', [new Map([[1, 'x']])], '{"1":"x"}');
    expectCall(
      'json.marshal_with_options',
      [[1, { a: 2 }], { prefix: 'P ' }],
      'P [\nP \t1,\nP \t{\nP \t\t"a": 2\nP \t}\nP ]',
    );
    expectCall('json.marshal_with_options', [[], { indent: '  ', prefix: '---' }], '---[]');
    expectCall('json.marshal_with_options', [[1], { pretty: false, indent: 'x' }], '[1]');
    expectError(
      'json.marshal_with_options',
      [[], { bogus: true }],
      'eval_type_error',
      'object contained unknown key "bogus"',
    );
    expectError(
      'json.marshal_with_options',
      [[], { pretty: 'yes' }],
      'eval_type_error',
      'key "pretty" failed cast to bool',
    );
  });

  it('unmarshals keeping every digit, last duplicate key wins', () => {
    expectCall(
      'json.unmarshal',
      ['[1, 12345678901234567890123, {"a": 1.50, "a": 2}]'],
      [1, 12345678901234567890123n, { a: 2 }],
    );
    expectError('json.unmarshal', ['[1, 2'], 'eval_builtin_error', 'unexpected end of JSON input');
    expectError('json.unmarshal', ['{"a" 1}'], 'eval_builtin_error', "invalid character '1' after object key");
    expectCall('json.is_valid', ['{"json": "ok"}'], true);
    expectCall('json.is_valid', ['{'], false);
    expectCall('json.is_valid', [1], false);
  });
});

describe('yaml', () => {
  it('reads YAML 1.1 as go-yaml v2 does and round-trips through JSON', () => {
    expectCall('yaml.unmarshal', ['a: yes\nb: 2001-12-14\nc: 12345678901234567890\nd: 0777\n'], {
      a: true,
      b: '2001-12-14',
      c: 12345678901234567890n,
      d: 511,
    });
    expectCall('yaml.unmarshal', ['base: &b {x: 1}\nderived:\n  <<: *b\n  z: 2\n'], {
      base: { x: 1 },
      derived: { x: 1, z: 2 },
    });
    // `y` is a YAML 1.1 boolean, even as a key (go-yaml v2 reads it so too).
    expectCall('yaml.unmarshal', ['y: 1'], { true: 1 });
    const text = call('yaml.marshal', [[{ foo: new Set([1, 2]), s: 'yes', n: null }]]) as string;
    // Strings YAML 1.1 would read as something else ("n" is false) are quoted.
    expect(text).toBe('- foo:\n  - 1\n  - 2\n  "n": null\n  s: "yes"\n');
    expectCall('yaml.unmarshal', [text], [{ foo: [1, 2], s: 'yes', n: null }]);
    expectError('yaml.unmarshal', ['[1,2,3'], 'eval_builtin_error', 'yaml: line 1: did not find');
    expectCall('yaml.is_valid', ['foo:\n - baz: {'], false);
    expectCall('yaml.is_valid', [1], false);
  });
});

describe('base64 and hex', () => {
  it('encodes and decodes strictly, invalid UTF-8 as U+FFFD per byte', () => {
    expectCall('base64.encode', ['subjects?_d'], 'c3ViamVjdHM/X2Q=');
    expectCall('base64.decode', ['c3ViamVjdHM/X2Q='], 'subjects?_d');
    expectCall('base64.decode', ['/w=='], '\ufffd');
    expectCall('count', [call('base64.decode', ['2E84ZuPUd7zfvCZSNEchVpDEIj6PL7JfLpIqyxVG16k='])], 30);
    expectError('base64.decode', ['aGVsbG8'], 'eval_builtin_error', 'illegal base64 data');
    expectCall('base64.is_valid', ["{'not':'base64'}"], false);
    expectCall('base64url.encode', ['hello'], 'aGVsbG8=');
    expectCall('base64url.encode_no_pad', ['hello'], 'aGVsbG8');
    expectCall('base64url.decode', ['aGVsbG8'], 'hello');
    expectCall('base64url.decode', ['Pz8_'], '???');
    expectError('base64url.decode', ['a'], 'eval_builtin_error', 'illegal base64url string: a');
    expectCall('hex.encode', ['lorem ipsum'], '6c6f72656d20697073756d');
    expectCall('hex.decode', ['6c6f72656d'], 'lorem');
    expectError('hex.decode', ['fghijkl'], 'eval_builtin_error', "encoding/hex: invalid byte: U+0067 'g'");
    expectError('hex.decode', ['abc'], 'eval_builtin_error', 'encoding/hex: odd length hex string');
  });
});

describe('urlquery', () => {
  it('escapes like url.QueryEscape and reads queries like url.ParseQuery', () => {
    expectCall('urlquery.encode', ['a=b+1 ~é'], 'a%3Db%2B1+~%C3%A9');
    expectCall('urlquery.decode', ['a%3Db%2B1+x'], 'a=b+1 x');
    expectError('urlquery.decode', ['%zz'], 'eval_builtin_error', 'invalid URL escape "%zz"');
    expectCall('urlquery.encode_object', [{ b: 'x', a: ['b+1', 'c+2'], c: new Set(['z']) }], 'a=b%2B1&a=c%2B2&b=x&c=z');
    expectCall('urlquery.encode_object', [{}], '');
    expectError(
      'urlquery.encode_object',
      [{ a: 1 }],
      'eval_type_error',
      'values must be string, array[string], or set[string]',
    );
    expectCall('urlquery.decode_object', ['a=1&b&a=2'], { a: ['1', '2'], b: [''] });
    expectCall('urlquery.decode_object', [''], {});
    expectError('urlquery.decode_object', ['a=1;b=2'], 'eval_builtin_error', 'invalid semicolon separator in query');
  });
});
