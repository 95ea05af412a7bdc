// One suite, both backends: the engine evaluating the Rego sources and the Wasm backend
// evaluating the bundles built from them answer the same queries the same way, through the same
// interface (PolicyEngine.prepare → PreparedQuery.evaluate). Then a differential test: on
// generated inputs, both give the same results.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type PolicyEngine, toJS } from '../../../compiler/rego/engine.js';
import { type Backend, FRAGMENT, type Fixture, RBAC, regoBackend, wasmBackend } from './backends.js';

const opened: (PolicyEngine & { close?(): void })[] = [];
afterAll(() => {
  for (const e of opened) e.close?.();
});

function open(backend: Backend, fixture: Fixture) {
  const engine = backend.open(fixture);
  opened.push(engine);
  return engine;
}

/** Results as JSON data: what `policy eval` prints and the policy stage reads. */
function run(engine: PolicyEngine, query: string, input: unknown) {
  const prepared = engine.prepare(query);
  if (!prepared.ok) return { errors: prepared.errors.map((e) => e.code) };
  const out = prepared.value.evaluate(input, { strictBuiltinErrors: true });
  if (!out.ok) return { error: out.error.code };
  return out.results.map((r) => ({
    bindings: r.bindings,
    expressions: r.expressions.map((e) => ({ value: toJS(e.value), text: e.text, location: e.location })),
  }));
}

const allow = (value: boolean) => [
  {
    bindings: {},
    expressions: [{ value, text: 'data.example.allow', location: { file: 'query', line: 1, column: 1 } }],
  },
];

describe.each([regoBackend, wasmBackend])('$name', (backend) => {
  it('rbac: a permission of one of the user’s roles allows; anything else does not', () => {
    const e = open(backend, RBAC);
    expect(run(e, 'data.example.allow', { user: 'alice', action: 'write', object: 'server' })).toEqual(allow(true));
    expect(run(e, 'data.example.allow', { user: 'bob', action: 'edit', object: 'article' })).toEqual(allow(true));
    expect(run(e, 'data.example.allow', { user: 'bob', action: 'write', object: 'server' })).toEqual(allow(false));
    expect(run(e, 'data.example.allow', { user: 'carol', action: 'read', object: 'article' })).toEqual(allow(false));
    expect(run(e, 'data.example.allow', {})).toEqual(allow(false));
    expect(run(e, 'data.example.allow', undefined)).toEqual(allow(false));
  });

  it('fragment: defined only for "moo"; undefined is no result at all', () => {
    const e = open(backend, FRAGMENT);
    expect(run(e, 'data.test.p', { fragment: 'moo' })).toEqual([
      {
        bindings: {},
        expressions: [{ value: true, text: 'data.test.p', location: { file: 'query', line: 1, column: 1 } }],
      },
    ]);
    expect(run(e, 'data.test.p', { fragment: 'moon' })).toEqual([]);
    expect(run(e, 'data.test.p', 'moo')).toEqual([]);
    expect(run(e, 'data.test.p', undefined)).toEqual([]);
  });

  it('a query the policy cannot answer is an error, not an empty result', () => {
    const e = open(backend, FRAGMENT);
    expect(run(e, 'data.test.p[', {})).toEqual({ errors: [expect.stringMatching(/^rego_(parse|compile)_error$/)] });
  });
});

describe('the engine and the Wasm backend agree on generated inputs', () => {
  const users = fc.oneof(fc.constantFrom('alice', 'bob', 'carol', 'dave'), fc.string());
  const actions = fc.oneof(fc.constantFrom('read', 'write', 'edit'), fc.string(), fc.integer());
  const objects = fc.oneof(fc.constantFrom('server', 'article'), fc.jsonValue());
  const request = fc.oneof(
    fc.record({ user: users, action: actions, object: objects }),
    fc.record({ user: users, action: actions, object: objects }, { requiredKeys: [] }),
    fc.jsonValue(),
  );

  it('rbac', () => {
    const rego = open(regoBackend, RBAC);
    const wasm = open(wasmBackend, RBAC);
    fc.assert(
      fc.property(request, (input) => {
        expect(run(wasm, 'example/allow', input)).toEqual(run(rego, 'data.example.allow', input));
      }),
      { numRuns: 300 },
    );
  });

  it('fragment', () => {
    const rego = open(regoBackend, FRAGMENT);
    const wasm = open(wasmBackend, FRAGMENT);
    const input = fc.oneof(
      fc.record({ fragment: fc.oneof(fc.constantFrom('moo', 'Moo', 'moo '), fc.jsonValue()) }),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(input, (i) => {
        expect(run(wasm, 'test/p', i)).toEqual(run(rego, 'data.test.p', i));
      }),
      { numRuns: 300 },
    );
  });
});
