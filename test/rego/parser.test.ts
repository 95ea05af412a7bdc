import { describe, expect, it } from 'vitest';
import { parseModule, parseQuery } from '../../compiler/rego/ast/parser.js';

function parseError(source: string, regoVersion: 0 | 1 = 1) {
  const r = parseModule(source, { file: 'p.rego', regoVersion });
  if (r.ok) throw new Error('expected a parse error');
  return r.errors[0]!;
}

describe('parser', () => {
  it('reads Rego v1 rules: if, contains, ref heads, functions, else, default', () => {
    const r = parseModule(
      `package a.b
import rego.v1
default allow := false
allow if input.user == "admin"
deny contains msg if { some x in input.xs; msg := x }
p.q[r].s := 1 if r := "k"
f(x) := y if { y := x + 1 } else := 0
`,
      { file: 'm.rego' },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.pkg).toEqual(['a', 'b']);
    expect(r.value.rules.map((x) => (x.ref[0] as { name: string }).name)).toEqual(['allow', 'allow', 'deny', 'p', 'f']);
    expect(r.value.rules[2]!.multi).toBe(true);
    expect(r.value.rules[4]!.else).toBeDefined();
  });

  it('reports file:line:column and what was expected', () => {
    const e = parseError('package x\n\np := [1, 2\n');
    expect(e.code).toBe('rego_parse_error');
    expect(e.location).toEqual({ file: 'p.rego', line: 4, column: 1 });
    expect(e.message).toBe('unexpected eof token: expected `,` or `]`');
    expect(parseError('package\n').message).toBe('unexpected eof token: expected ident');
  });

  it('rejects v0 rules in v1 mode with a hint to use --v0-compatible', () => {
    const e = parseError('package x\n\ndeny[msg] {\n  msg := "no"\n}\n');
    expect(e.message).toBe('`if` keyword is required before rule body');
    expect(e.location?.line).toBe(3);
    expect(e.hint).toContain('--v0-compatible');
  });

  it('reads v0 syntax when asked: partial sets, functions with =, else =', () => {
    const r = parseModule(
      `package x
deny[msg] { msg := "a" }
obj[k] = v { k := "a"; v := 1 }
f(x) = y { y := x } else = 0 { true }
p { true }
`,
      { regoVersion: 0 },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [deny, obj, f, p] = r.value.rules;
    expect(deny!.multi).toBe(true);
    expect(obj!.multi).toBe(false);
    expect(obj!.ref).toHaveLength(2);
    expect(f!.args).toHaveLength(1);
    expect(f!.else).toBeDefined();
    expect(p!.implicitValue).toBe(true);
  });

  it('treats future keywords as names in v0 unless imported', () => {
    expect(parseModule('package x\np { contains("abc", "b") }\n', { regoVersion: 0 }).ok).toBe(true);
    expect(parseModule('package x\nimport future.keywords.in\np { 1 in [1] }\n', { regoVersion: 0 }).ok).toBe(true);
    expect(parseModule('package x\np { 1 in [1] }\n', { regoVersion: 0 }).ok).toBe(false);
  });

  it('parses queries, with expressions separated by ; or newlines', () => {
    const q = parseQuery('x := 1; y := x + 1\nz = [x, y]');
    expect(q.ok && q.value.length).toBe(3);
    expect(q.ok && q.value.map((e) => e.text)).toEqual(['x := 1', 'y := x + 1', 'z = [x, y]']);
  });

  it('reads template strings and keywords used as names', () => {
    expect(parseModule('package x\np := $"a {1 + 2} \\{b}"\nelse.q := 1\n').ok).toBe(true);
  });
});
