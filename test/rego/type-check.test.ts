// The compile-time type checker (compile/check-types.ts), against OPA's messages.
import { describe, expect, it } from 'vitest';
import { compileErrors, valueOf } from './helpers.js';

const pkg = (body: string) => `package p\nimport rego.v1\n${body}\n`;

describe('type checker: builtin calls', () => {
  it('rejects an argument of the wrong type, with OPA code, message and details', () => {
    expect(compileErrors([pkg('x := count(1)')])).toEqual([
      'test-0.rego:3: rego_type_error: count: invalid argument(s)\n' +
        '\thave: (number, ???)\n' +
        '\twant: (collection: any<string, array[any], object[any: any], set[any]>, n: number)',
    ]);
  });

  it('follows types through local vars, results of other calls and comprehensions', () => {
    expect(compileErrors([pkg('p if {\n\tx := "a"\n\ty := x + 1\n}')])[0]).toMatch(
      /test-0\.rego:5: rego_type_error: plus: invalid argument\(s\)\n\thave: \(string, number, \?\?\?\)/,
    );
    expect(compileErrors([pkg('p if {\n\tn := count([1])\n\tupper(n)\n}')])[0]).toMatch(
      /rego_type_error: upper: invalid argument\(s\)\n\thave: \(number\)/,
    );
    expect(compileErrors([pkg('p if {\n\txs := [x | some x in [1, 2]]\n\tconcat(",", xs)\n}')])[0]).toMatch(
      /concat: invalid argument\(s\)\n\thave: \(string, array\[number\]\)/,
    );
  });

  it('uses the types of rule values and inferred function signatures', () => {
    expect(compileErrors([pkg('n := 1\nx := lower(n)')])[0]).toMatch(/lower: invalid argument\(s\)\n\thave: \(number/);
    const f = pkg('f(s) := upper(s)\nx := f(1)');
    expect(compileErrors([f])).toEqual([
      'test-0.rego:4: rego_type_error: data.p.f: invalid argument(s)\n\thave: (number, ???)\n\twant: (string, string)',
    ]);
  });

  it('reports a wrong number of arguments as OPA does', () => {
    expect(compileErrors([pkg('x := count([1], 2)')])).toEqual([
      'test-0.rego:3: rego_type_error: count: arity mismatch\n' +
        '\thave: (array<number>, number, ???)\n' +
        '\twant: (collection: any<string, array[any], object[any: any], set[any]>)',
    ]);
    expect(compileErrors([pkg('f(a, b) := a\nx := f(1)')])).toEqual([
      'test-0.rego:4: rego_type_error: function data.p.f has arity 2, got 1 argument',
    ]);
  });

  it('checks queries against the policy', () => {
    expect(compileErrors([pkg('s := "x"')], 'y := data.p.s * 2')[0]).toMatch(/query:1: rego_type_error: mul:/);
  });
});

describe('type checker: refs and unification', () => {
  it('rejects refs into values that have no such member', () => {
    expect(compileErrors([pkg('p if {\n\tx := 1\n\tx.a\n}')])).toEqual([
      'test-0.rego:5: rego_type_error: undefined ref: x.a\n\tx.a\n\t^\n\thave: number',
    ]);
    expect(compileErrors([pkg('o := {"a": 1}\nx := o.b')])).toEqual([
      'test-0.rego:4: rego_type_error: undefined ref: data.p.o.b\n' +
        '\tdata.p.o.b\n' +
        '\t         ^\n' +
        '\t         have: "b"\n' +
        '\t         want (one of): ["a"]',
    ]);
  });

  it('rejects unifying values of different types', () => {
    expect(compileErrors([pkg('p if {\n\tx := 1\n\tx = "a"\n}')])).toEqual([
      'test-0.rego:5: rego_type_error: match error\n\tleft  : number\n\tright : string',
    ]);
  });
});

describe('type checker: programs OPA accepts stay accepted', () => {
  it('input and base data are of any type', () => {
    const m = pkg('x := count(input.items)\ny := upper(data.cfg.name)\nz := input.a + input.b');
    expect(compileErrors([m])).toEqual([]);
  });

  it('values of several types unify with any of them', () => {
    const m = pkg(
      [
        'v := "a" if input.s else := 1',
        'w := json.marshal(v)',
        'xs := ["a", 1]',
        'y := [t | some x in xs; t := type_name(x)]',
        'obj := {"k": [1, 2], 3: "c"}',
        'n := count(obj.k)',
        'm := json.marshal_with_options({}, {"indent": " "})',
      ].join('\n'),
    );
    expect(compileErrors([m])).toEqual([]);
    expect(valueOf([m], 'x := data.p.n')).toBe(2);
  });

  it('partial objects of several key types, and sets built by several rules', () => {
    const m = pkg('q[k] := v if some k, v in ["a", "b"]\nq["foo"] := "bar"\ns contains 1\ns contains "a"\nz := q.foo');
    expect(compileErrors([m])).toEqual([]);
    expect(valueOf([m], 'x := data.p.z')).toBe('bar');
  });
});
