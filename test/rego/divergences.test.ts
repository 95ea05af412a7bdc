// Behaviours where the engine used to differ from OPA, found on public policy suites that
// pass under `opa test`: each is a minimal module, then its family. OPA's rule is cited in
// the source of each fix (compile/dynamics.ts, resolve-refs.ts, safety.ts, check-types.ts...).
import { describe, expect, it } from 'vitest';
import { bindings, compileErrors, valueOf } from './helpers.js';

describe('not with an undefined call argument or ref index (OPA RewriteDynamicTerms)', () => {
  const authz = `package authz
import rego.v1
banned := {"mallory"}
allow if not banned[input.user.name]
allow2 if not startswith(input.user.name, "guest-")
allow3 if not input.x == 1
`;

  it('makes the body undefined, so allow-style rules grant nothing', () => {
    expect(valueOf([authz], 'x := data.authz', { input: {} })).toEqual({ banned: ['mallory'] });
  });

  it('still negates when the argument is defined', () => {
    const out = valueOf([authz], 'x := data.authz', { input: { user: { name: 'bob' }, x: 2 } });
    expect(out).toEqual({ allow: true, allow2: true, allow3: true, banned: ['mallory'] });
    const denied = valueOf([authz], 'x := data.authz', { input: { user: { name: 'mallory' }, x: 1 } });
    expect(denied).toEqual({ allow2: true, banned: ['mallory'] });
  });

  it('binds nested refs, refs inside composite arguments, and refs in function calls', () => {
    const m = `package f
import rego.v1
ok(x) if x == "a"
p if not ok(input.a)
q if not ["a", input.b][1] == "z"
r if not data.f.t[input.k]
t := {"a": true}
s if not input.missing
`;
    expect(valueOf([m], 'x := data.f', { input: {} })).toEqual({ s: true, t: { a: true } });
    expect(valueOf([m], 'x := data.f', { input: { a: 'b', b: 'y', k: 'b' } })).toEqual({
      p: true,
      q: true,
      r: true,
      s: true,
      t: { a: true },
    });
  });

  it('applies inside comprehensions and queries too', () => {
    const m = `package c
import rego.v1
names := {n | some u in input.users; not startswith(u.nick, "x"); n := u.name}
`;
    const input = { users: [{ name: 'a' }, { name: 'b', nick: 'yb' }] };
    expect(valueOf([m], 'x := data.c.names', { input })).toEqual(['b']);
    expect(bindings([m], 'not startswith(input.nick, "x")', { input: {} })).toEqual([]);
  });

  it('rejects vars iterated inside a negation, as OPA does (`not a[_] == 1` is ambiguous)', () => {
    expect(compileErrors(['package n\nimport rego.v1\narr := [1, 2]\np if not arr[_] == 1\n'])).toEqual([
      'test-0.rego:4: rego_unsafe_var_error: var _ is unsafe',
    ]);
  });
});

describe('rule heads with empty parentheses are plain rules', () => {
  it('obj() = {...} (v0) and obj() := {...} (v1) define documents, not functions', () => {
    const v1 = 'package x\nimport rego.v1\nobj() := {"a": 1}\nok if obj.a == 1\n';
    expect(valueOf([v1], 'x := data.x.ok')).toBe(true);
    const v0 = 'package y\nobj() = {"a": 1}\nok { obj.a == 1 }\n';
    expect(valueOf([v0], 'x := data.y', { regoVersion: 0 })).toEqual({ obj: { a: 1 }, ok: true });
  });

  it('keeps arguments where there are some', () => {
    expect(valueOf(['package z\nimport rego.v1\nf(a) := a + 1\n'], 'x := data.z.f(1)')).toBe(2);
  });
});

describe('imports after rules', () => {
  it('are accepted anywhere after the package and apply to the whole module', () => {
    const late = 'package late\nimport rego.v1\nx := other.y\nimport data.other\n';
    const other = 'package other\ny := 2\n';
    expect(valueOf([late, other], 'x := data.late.x')).toBe(2);
  });

  it('still refuses a second package', () => {
    const errs = compileErrors(['package a\nx := 1\npackage b\n']);
    expect(errs[0]).toMatch(/rego_parse_error: unexpected package/);
  });
});

describe('vars declared in a comprehension are local to it', () => {
  const rules = `package x.rules
import data.x.utils.functions as f
import rego.v1
r contains out if {
	xs := ["a", "b", "a"]
	dups := {f | some i, f in xs; some j, g in xs; i != j; g == f}
	count(dups) > 0
	out := f.format(1, "a")
}
`;
  const utils = 'package x.utils.functions\nimport rego.v1\nformat(n, s) := sprintf("%d-%s", [n, s])\n';

  it('so an import alias of the same name works after the comprehension', () => {
    expect(valueOf([rules, utils], 'x := data.x.rules.r')).toEqual(['1-a']);
  });

  it('and inside the comprehension the local var wins over the import and the rule', () => {
    const m = `package s
import rego.v1
import data.s.v as w
v := 10
w2 := [w | some w in [1, 2]]
v2 := [v | some v in [3]]
outside := w + v
`;
    expect(valueOf([m], 'x := data.s')).toEqual({ v: 10, w2: [1, 2], v2: [3], outside: 20 });
  });
});

describe('some x declared in a body and bound only in a later comprehension', () => {
  const m = `package s
import rego.v1
r contains n if {
	some i
	names = {x.name | some j; x := input.studies[i].protocols[j]}
	some n in names
}
`;
  const input = { studies: [{ protocols: [{ name: 'a' }, { name: 'b' }] }, { protocols: [{ name: 'c' }] }] };

  it('compiles, and the comprehension iterates the var itself (as in OPA)', () => {
    expect(valueOf([m], 'x := data.s.r', { input })).toEqual(['a', 'b', 'c']);
  });

  it('a var the body also binds outside the comprehension is closed over', () => {
    const closed = `package t
import rego.v1
r contains [i, names] if {
	some i
	input.studies[i]
	names = {x.name | x := input.studies[i].protocols[_]}
}
`;
    expect(valueOf([closed], 'x := data.t.r', { input })).toEqual([
      [0, ['a', 'b']],
      [1, ['c']],
    ]);
  });

  it('a var declared with some and used nowhere is an error, as in OPA', () => {
    expect(compileErrors(['package u\nimport rego.v1\np if {\n\tsome x\n\ttrue\n}\n'])).toEqual([
      'test-0.rego:4: rego_compile_error: declared var x unused',
    ]);
  });
});

describe('big numbers in rego.parse_module', () => {
  it('are kept exactly', () => {
    const q = 'm := rego.parse_module("p.rego", "package p\\nbig := 1e1000\\n"); x := m.rules[0].head.value.value';
    const out = bindings(['package q'], `${q}; y := x == 1e1000`);
    expect(out[0]?.y).toBe(true);
  });
});

describe('unknown functions in a query', () => {
  it('are reported as undefined functions, not as unsafe vars', () => {
    expect(compileErrors(['package p'], 'r := foo(1)')).toEqual(['query:1: rego_type_error: undefined function foo']);
    expect(compileErrors(['package p'], 'r := data.p.nope(1)')).toEqual([
      'query:1: rego_type_error: undefined function data.p.nope',
    ]);
  });
});

describe('one module with all seven', () => {
  const combined = `package combined
import rego.v1

obj() := {"a": 1}

banned := {"mallory"}

allow if {
	obj.a == 1
	not banned[input.user.name]
}

r contains out if {
	xs := ["a", "b", "a"]
	dups := {f | some i, f in xs; some j, g in xs; i != j; g == f}
	count(dups) > 0
	out := f.format(count(dups), "dup")
}

names contains n if {
	some i
	ns = {x.name | some j; x := input.studies[i].protocols[j]}
	some n in ns
}

big if rego.parse_module("b.rego", "package b\\nx := 1e1000\\n").rules[0].head.value.value == 1e1000

import data.combined.utils as f
`;
  const utils = 'package combined.utils\nimport rego.v1\nformat(n, s) := sprintf("%d-%s", [n, s])\n';
  const input = { studies: [{ protocols: [{ name: 'p1' }] }] };

  it('evaluates as OPA does', () => {
    expect(valueOf([combined, utils], 'x := data.combined', { input })).toEqual({
      banned: ['mallory'],
      big: true,
      names: ['p1'],
      obj: { a: 1 },
      r: ['1-dup'],
      utils: {},
    });
    expect(valueOf([combined, utils], 'x := data.combined.allow', { input: { user: { name: 'bob' } } })).toBe(true);
  });

  it('and is type-checked', () => {
    expect(compileErrors([`${combined}\nbad := count(1)\n`, utils])[0]).toMatch(
      /^test-0\.rego:30: rego_type_error: count: invalid argument\(s\)/,
    );
  });
});
