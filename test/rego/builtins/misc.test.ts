// JSON Schema, AWS request signing, text templates and opa.runtime.
import { describe, expect, it } from 'vitest';
import type { ObjectValue } from '../../../compiler/rego/value.js';
import { call, context, expectCall, expectError } from './helpers.js';

const idSchema = { properties: { id: { type: 'integer' } }, required: ['id'] };

describe('json.verify_schema / json.match_schema', () => {
  it('accepts schemas as objects or JSON text', () => {
    expectCall('json.verify_schema', [{ type: 'boolean' }], [true, null]);
    expectCall('json.verify_schema', ['{"type": "boolean"}'], [true, null]);
    expectCall(
      'json.verify_schema',
      [{ type: 'unknown_type' }],
      [
        false,
        'jsonschema: has a primitive type that is NOT VALID -- given: /unknown_type/ Expected valid values ' +
          'are:[array boolean integer number null object string]',
      ],
    );
  });

  it('reports mismatches in gojsonschema shape', () => {
    expectCall('json.match_schema', [{ id: 5 }, idSchema], [true, []]);
    expectCall('json.match_schema', ['{"id": 5}', JSON.stringify(idSchema)], [true, []]);
    expectCall(
      'json.match_schema',
      [{ id: 'foo' }, idSchema],
      [
        false,
        [
          {
            desc: 'Invalid type. Expected: integer, given: string',
            error: 'id: Invalid type. Expected: integer, given: string',
            field: 'id',
            type: 'invalid_type',
          },
        ],
      ],
    );
  });

  it('fails on an invalid schema or document text', () => {
    expectError(
      'json.match_schema',
      [{ id: 1 }, { properties: { id: { type: 'unknown' } } }],
      'eval_builtin_error',
      'has a primitive type that is NOT VALID -- given: /unknown/',
    );
    expectError('json.match_schema', ['{', idSchema], 'eval_builtin_error');
    expectError(
      'json.match_schema',
      [1, idSchema],
      'eval_type_error',
      'operand 1 must be one of {string, object} but got number',
    );
  });
});

describe('providers.aws.sign_req', () => {
  const cfg = {
    aws_access_key: 'MYAWSACCESSKEYGOESHERE',
    aws_secret_access_key: 'MYAWSSECRETACCESSKEYGOESHERE',
    aws_service: 's3',
    aws_region: 'us-east-1',
  };
  const t = 1451311705000000000n; // 2015-12-28T14:08:25Z

  it('signs with SigV4 (values from OPA conformance)', () => {
    expectCall('providers.aws.sign_req', [{ method: 'get', url: 'http://example.com' }, cfg, t], {
      headers: {
        Authorization:
          'AWS4-HMAC-SHA256 ' +
          'Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,' +
          'SignedHeaders=host;x-amz-content-sha256;x-amz-date,' +
          'Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3',
        host: 'example.com',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20151228T140825Z',
      },
      method: 'get',
      url: 'http://example.com',
    });
    const unsigned = call('providers.aws.sign_req', [
      { method: 'get', url: 'https://example.com', headers: { foo: 'bar' } },
      { ...cfg, disable_payload_signing: true },
      t,
    ]) as ObjectValue;
    const headers = unsigned.get('headers') as ObjectValue;
    expect(headers.get('x-amz-content-sha256')).toBe('UNSIGNED-PAYLOAD');
    expect(headers.get('Authorization')).toContain(
      'Signature=c6e6db654e92172f71e18c714c123711de069ac6fd7df1348e5b28fd05532028',
    );
  });

  it('validates the request, config and time', () => {
    expectError(
      'providers.aws.sign_req',
      [{}, cfg, t],
      'eval_type_error',
      'operand 1 missing required request parameters(s): {"method", "url"}',
    );
    expectError(
      'providers.aws.sign_req',
      [{ method: 'get', url: 'http://example.com' }, { example: 'x' }, t],
      'eval_type_error',
      'operand 2 missing required AWS config parameters(s)',
    );
    expectError(
      'providers.aws.sign_req',
      [{ method: 'get', url: 'http://example.com' }, { ...cfg, disable_payload_signing: 'false' }, t],
      'eval_type_error',
      "invalid value for 'disable_payload_signing'",
    );
    expectError(
      'providers.aws.sign_req',
      [{ method: 'get', url: 'http://example.com' }, cfg, 2n ** 64n],
      'eval_type_error',
      'operand 3 could not convert time_ns value into a unix timestamp',
    );
  });
});

describe('strings.render_template', () => {
  it('renders fields, ranges, conditionals and missing keys like OPA', () => {
    expectCall('strings.render_template', ['{{.test}}', { test: 'hello world' }], 'hello world');
    expectCall('strings.render_template', ['{{.test}}', { test: 2023 }], '2023');
    expectCall(
      'strings.render_template',
      ['{{range $i, $name := .names}}{{if $i}},{{end}}hello {{$name}}{{end}}', { names: ['rohan', 'john doe'] }],
      'hello rohan,hello john doe',
    );
    expectCall(
      'strings.render_template',
      ['test {{.foo}} {{.bar}} {{.baz}}', { baz: 1 }],
      'test <undefined> <undefined> 1',
    );
  });

  it('reports template errors as builtin errors', () => {
    expectError('strings.render_template', ['{{.test', {}], 'eval_builtin_error', 'unclosed action');
    expectError('strings.render_template', ['{{if .a}}x', { a: true }], 'eval_builtin_error', 'unexpected EOF');
    expectError('strings.render_template', ['{{nope}}', {}], 'eval_builtin_error', 'function "nope" not defined');
  });
});

describe('opa.runtime', () => {
  it('exposes only the environment the evaluation was given', () => {
    expectCall('opa.runtime', [], { env: { HOME: '/home/test' } });
    expectCall('opa.runtime', [], {}, context({ env: {} }));
  });
});
