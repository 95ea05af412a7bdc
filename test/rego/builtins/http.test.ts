// http.send never reaches the network: a policy that calls it fails closed, a test that mocks
// it runs, and malformed requests get OPA's type errors.
import { describe, expect, it } from 'vitest';
import { RegoEngine, toJS } from '../../../compiler/rego/engine.js';

const policy = `package authz
import rego.v1

allow if "admin" in http.send({"method": "GET", "url": "https://users.example/roles"}).body.roles

mock(_) := {"body": {"roles": ["admin"]}}

test_allow_with_mock if allow with http.send as mock
`;

function query(q: string, strict = false) {
  const engine = RegoEngine.load([{ file: 'authz.rego', source: policy }]);
  if (!engine.ok) throw new Error(JSON.stringify(engine.errors));
  const prepared = engine.value.prepare(q);
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.errors));
  return prepared.value.evaluate({}, { strictBuiltinErrors: strict });
}

describe('http.send', () => {
  it('works when mocked with `with`', () => {
    const out = query('data.authz.test_allow_with_mock');
    expect(out.ok && out.results[0]!.expressions[0]!.value).toBe(true);
  });

  it('fails a real call with an error, strict or not: never undefined, never true', () => {
    for (const strict of [false, true]) {
      const out = query('data.authz.allow', strict);
      expect(out.ok).toBe(false);
      expect(!out.ok && out.error.toString()).toBe(
        'authz.rego:4: eval_builtin_error: http.send: network access is disabled: ' +
          'mlspec evaluates policies without the network',
      );
    }
  });

  it('with raise_error: false returns the response OPA gives for a network error', () => {
    const out = query('r := http.send({"method": "GET", "url": "https://x.example", "raise_error": false})');
    expect(out.ok && toJS(out.results[0]!.bindings.r!)).toEqual({
      status_code: 0,
      error: {
        code: 'eval_http_send_network_error',
        message: 'network access is disabled: mlspec evaluates policies without the network',
      },
    });
  });

  it('checks the request like OPA', () => {
    const bad = query('http.send({"method": "GET", "url": "x", "bogus": 1}, r)', true);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.message).toContain('invalid request parameters(s): {"bogus"}');
    const missing = query('http.send({"method": "GET"}, r)', true);
    expect(!missing.ok && missing.error.message).toContain('missing required request parameters(s): {"url"}');
  });
});
