import { describe, expect, it } from 'vitest';
import { RegoEngine } from '../../compiler/rego/engine.js';
import { toJS } from '../../compiler/rego/convert.js';
import { bindings, evaluate, valueOf } from './helpers.js';

const k8s = `package k8s
import rego.v1

default allow := false
allow if count(deny) == 0

deny contains msg if {
	some c in input.containers
	not c.resources.limits
	msg := sprintf("container %s has no limits", [c.name])
}
`;

describe('engine API', () => {
  it('prepares a query once and evaluates many inputs', () => {
    const engine = RegoEngine.load([{ file: 'k8s.rego', source: k8s }]);
    expect(engine.ok).toBe(true);
    if (!engine.ok) return;
    const q = engine.value.prepare('data.k8s.allow');
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    const ok = q.value.evaluate({ containers: [{ name: 'a', resources: { limits: {} } }] });
    const bad = q.value.evaluate({ containers: [{ name: 'a', resources: {} }] });
    expect(ok.ok && ok.results[0]!.expressions[0]!.value).toBe(true);
    expect(bad.ok && bad.results[0]!.expressions[0]!.value).toBe(false);
  });

  it('returns results shaped like OPA: expressions with text and location, and bindings', () => {
    const out = evaluate([k8s], 'x := data.k8s.deny; count(x) > 0', { input: { containers: [{ name: 'a' }] } });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.results).toHaveLength(1);
    const r = out.results[0]!;
    expect(toJS(r.bindings.x!)).toEqual(['container a has no limits']);
    expect(r.expressions.map((e) => [e.text, e.location, toJS(e.value)])).toEqual([
      ['x := data.k8s.deny', { file: 'query', line: 1, column: 1 }, true],
      ['count(x) > 0', { file: 'query', line: 1, column: 21 }, true],
    ]);
  });

  it('distinguishes undefined from false', () => {
    const mod = 'package t\np := false\nq if input.missing\n';
    expect(bindings([mod], 'x := data.t.p')).toEqual([{ x: false }]);
    expect(bindings([mod], 'x := data.t.q')).toEqual([]);
    expect(bindings([mod], 'data.t.p; true')).toEqual([]); // a false expression fails the query
  });

  it('a rule or function whose value is null keeps it when read again (null is not undefined)', () => {
    const mod =
      'package t\nn := input.x\nf(_) := input.x\n' +
      'both if { n == null; n == null }\ntwice if { f(1) == null; f(1) == null }\n';
    const run = { input: { x: null } };
    expect(bindings([mod], 'x := data.t', run)).toEqual([{ x: { n: null, both: true, twice: true } }]);
    expect(bindings([mod], 'data.t.n == null; x := data.t.n', run)).toEqual([{ x: null }]);
  });

  it('reports compile errors as values, sorted, with locations', () => {
    const r = RegoEngine.load([
      { file: 'bad.rego', source: 'package x\np if { y := 1; y := 2 }\nq if undefined_fn(1)\n' },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.location?.line, e.message])).toEqual([
      ['rego_compile_error', 2, 'var y assigned above'],
    ]);
    const unsafe = RegoEngine.load([{ file: 'u.rego', source: 'package x\np if { x > 1 }\n' }]);
    expect(!unsafe.ok && unsafe.errors[0]!.toString()).toBe('u.rego:2: rego_unsafe_var_error: var x is unsafe');
    const undef = RegoEngine.load([{ file: 'f.rego', source: 'package x\nq if undefined_fn(1)\n' }]);
    expect(!undef.ok && undef.errors[0]!.message).toBe('undefined function undefined_fn');
    const rec = RegoEngine.load([{ file: 'r.rego', source: 'package x\np if q\nq if p\n' }]);
    expect(!rec.ok && rec.errors[0]!.code).toBe('rego_recursion_error');
  });

  it('raises conflicts of complete rules and functions', () => {
    const out = evaluate(['package c\np := 1\np := 2\n'], 'x := data.c.p');
    expect(!out.ok && out.error.code).toBe('eval_conflict_error');
    const fn = evaluate(['package c\nf(x) := 1\nf(x) := 2\n'], 'x := data.c.f(0)');
    expect(!fn.ok && fn.error.message).toBe('functions must not produce multiple outputs for same inputs');
  });

  it('makes builtin errors undefined, or raises them in strict mode', () => {
    const mod = 'package b\np := 1 / 0\n';
    expect(bindings([mod], 'x := data.b.p')).toEqual([]);
    const strict = evaluate([mod], 'x := data.b.p', { strictBuiltinErrors: true });
    expect(!strict.ok && strict.error.toString()).toBe('test-0.rego:2: eval_builtin_error: div: divide by zero');
  });

  it('applies with to input, data, functions and builtins for one expression only', () => {
    const mod = `package w
import rego.v1
p := input.x
q := data.w.p
f(x) := x + 1
g(x) := x * 10
r := [a, b, c, d] if {
	a := data.w.p with input.x as 7
	b := count([1]) with count as 5
	c := f(1) with f as g
	d := data.w.p
}
`;
    expect(valueOf([mod], 'x := data.w.r', { input: { x: 1 } })).toEqual([7, 5, 10, 1]);
    expect(valueOf([mod], 'x := data.w.q with data.w.p as 9')).toBe(9);
  });

  it('reports a false query value as a result, as opa eval does', () => {
    const out = evaluate(['package f\nallow := false\n'], 'data.f.allow');
    expect(out.ok && out.results.map((r) => r.expressions.map((e) => e.value))).toEqual([[false]]);
    const two = evaluate(['package f\nallow := false\n'], 'data.f.allow; true');
    expect(two.ok && two.results).toEqual([]);
  });

  it('captures print output', () => {
    const lines: string[] = [];
    bindings(['package p\nx := 1 if print("hello", input.missing, {"a": 1})\n'], 'y := data.p.x', {
      print: (l) => lines.push(l),
    });
    expect(lines).toEqual(['hello <undefined> {"a": 1}']);
  });
});

describe('safety limits fail closed', () => {
  const loop = `package l
import rego.v1
n := [x | some x in numbers.range(1, 100000)]
deny contains "too many" if count(n) > 10
`;

  it('stops at the step limit with an error, not a result', () => {
    const out = evaluate([loop], 'data.l.deny', { limits: { maxSteps: 1000 } });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.code).toBe('eval_limit_error');
    expect(out.error.message).toContain('step limit');
  });

  it('stops at the time limit', () => {
    const slow = `package s
import rego.v1
p := count([1 | some a in numbers.range(1, 3000); some b in numbers.range(1, 3000); a == b])
`;
    const out = evaluate([slow], 'x := data.s.p', { limits: { timeoutMs: 20 } });
    expect(!out.ok && out.error.message).toContain('time limit');
  });

  it('stops at the depth limit', () => {
    const chain = ['package d', 'p0 := 1', ...Array.from({ length: 30 }, (_, i) => `p${i + 1} := p${i} + 1`)].join(
      '\n',
    );
    const out = evaluate([chain], 'x := data.d.p30', { limits: { maxDepth: 10 } });
    expect(!out.ok && out.error.message).toContain('depth limit');
    expect(valueOf([chain], 'x := data.d.p30')).toBe(31);
  });

  it('evaluates long bodies and deep rule chains within the default limits', () => {
    const assignments = Array.from({ length: 2000 }, (_, i) => `  x${i} := ${i}`).join('\n');
    const long = `package b\np := x1999 if {\n${assignments}\n}\n`;
    expect(valueOf([long], 'x := data.b.p')).toBe(1999);
    const chain = ['package c', 'p0 := 1', ...Array.from({ length: 300 }, (_, i) => `p${i + 1} := p${i} + 1`)].join(
      '\n',
    );
    expect(valueOf([chain], 'x := data.c.p300')).toBe(301);
  });

  it('turns an engine crash into an error value', () => {
    const engine = RegoEngine.load([{ file: 'a.rego', source: 'package a\np := input.x\n' }]);
    if (!engine.ok) throw new Error('load');
    const q = engine.value.prepare('data.a.p');
    if (!q.ok) throw new Error('prepare');
    const out = q.value.evaluate({ x: () => 1 });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.code).toBe('eval_internal_error');
  });
});
