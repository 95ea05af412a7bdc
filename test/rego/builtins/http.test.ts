// http.send never reaches the network: a policy that calls it fails closed, a test that mocks
// it runs, and malformed requests get OPA's type errors.
import { describe, expect, it } from 'vitest';
import { RegoEngine } from '../../../compiler/rego/engine.js';

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

  it('makes a real call undefined, never true (and an error in strict mode)', () => {
    const out = query('data.authz.allow');
    expect(out.ok && out.results).toEqual([]);
    expect(out.ok && out.builtinErrors[0]!.message).toMatch(/network access is disabled/);
    const strict = query('data.authz.allow', true);
    expect(strict.ok).toBe(false);
  });

  it('checks the request like OPA', () => {
    const bad = query('http.send({"method": "GET", "url": "x", "bogus": 1}, r)', true);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.message).toContain('invalid request parameters(s): {"bogus"}');
    const missing = query('http.send({"method": "GET"}, r)', true);
    expect(!missing.ok && missing.error.message).toContain('missing required request parameters(s): {"url"}');
  });
});
