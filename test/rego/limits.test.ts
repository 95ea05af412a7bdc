// Limits fail closed: every test here must end in eval_limit_error (an error value that stops
// the evaluation, strict builtin errors or not), never in an undefined result, a hang or a
// crash of the process.
import { describe, expect, it } from 'vitest';
import type { EvalOutcome } from '../../compiler/rego/engine.js';
import { evaluate, valueOf } from './helpers.js';

const pkg = (body: string) => `package l\nimport rego.v1\n${body}\n`;

function limitError(out: EvalOutcome): string {
  expect(out.ok).toBe(false);
  if (out.ok) return '';
  expect(out.error.code).toBe('eval_limit_error');
  return out.error.message;
}

describe('limits inside builtins stop the evaluation', () => {
  const deny = pkg('deny if count(numbers.range(1, input.n)) > 5');

  it('numbers.range above the memory budget is a limit error, not an undefined (passing) deny', () => {
    for (const strictBuiltinErrors of [false, true]) {
      const out = evaluate([deny], 'data.l.deny', { input: { n: 1e8 }, strictBuiltinErrors });
      expect(limitError(out)).toBe(
        'numbers.range: evaluation exceeded the memory budget (268435456 bytes of strings and collections)',
      );
    }
    expect(valueOf([deny], 'x := data.l.deny', { input: { n: 10 } })).toBe(true);
  });

  it('glob.match with a pathological pattern completes (matching takes linear time)', () => {
    const m = pkg('p := glob.match("*a*a*a*a*a*a*a*a*a*a*a*b", [], input.s)');
    expect(valueOf([m], 'x := data.l.p', { input: { s: 'a'.repeat(40) } })).toBe(false);
    expect(valueOf([m], 'x := data.l.p', { input: { s: `${'a'.repeat(40)}b` } })).toBe(true);
  });

  it('checks the deadline inside long builtin calls (walk, graph, json.patch)', () => {
    const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, { v: i }]));
    const m = pkg('n := count([p | walk(input, [p, _])])');
    expect(limitError(evaluate([m], 'x := data.l.n', { input: wide, limits: { timeoutMs: 0 } }))).toMatch(/time limit/);
    const graph = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`v${i}`, [`v${i + 1}`]]));
    const g = pkg('n := count(graph.reachable(input, ["v0"]))');
    expect(limitError(evaluate([g], 'x := data.l.n', { input: graph, limits: { timeoutMs: 0 } }))).toMatch(
      /time limit/,
    );
    const ops = Array.from({ length: 50_000 }, (_, i) => ({ op: 'add', path: `/k${i}`, value: i }));
    const p = pkg('n := count(json.patch({}, input))');
    expect(limitError(evaluate([p], 'x := data.l.n', { input: ops, limits: { timeoutMs: 0 } }))).toMatch(/time limit/);
  });

  it('bounds memory: a comprehension building big strings stops with a limit error', () => {
    const s = 'x'.repeat(1_000_000);
    const m = pkg('xs := [concat("", [input.s, input.s]) | some i in numbers.range(1, 1000)]');
    const out = evaluate([m], 'x := count(data.l.xs)', { input: { s }, limits: { maxMemoryBytes: 20_000_000 } });
    expect(limitError(out)).toMatch(/^concat: evaluation exceeded the memory budget/);
  });

  it('bounds serializing values that share parts (exponential JSON text)', () => {
    const m = pkg(
      'v := [input.s, input.s]\n' +
        Array.from(
          { length: 30 },
          (_, i) => `v${i} := [${i === 0 ? 'v' : `v${i - 1}`}, ${i === 0 ? 'v' : `v${i - 1}`}]`,
        ).join('\n') +
        '\nj := json.marshal(v29)',
    );
    const out = evaluate([m], 'x := data.l.j', { input: { s: 'abc' }, limits: { maxMemoryBytes: 1_000_000 } });
    expect(limitError(out)).toMatch(/^json\.marshal: evaluation exceeded the memory budget/);
  });

  it('a string longer than V8 allows is a limit error, not an undefined call', () => {
    const s = 'y'.repeat(1_000_000);
    const m = pkg('n := count(concat("", [input.s | some i in numbers.range(1, 600)]))');
    expect(limitError(evaluate([m], 'x := data.l.n', { input: { s } }))).toMatch(/^concat: result too large/);
  });

  it('counts comprehension members against the budget', () => {
    const m = pkg('xs := [i | some i in numbers.range(1, 100000)]');
    expect(limitError(evaluate([m], 'x := count(data.l.xs)', { limits: { maxMemoryBytes: 2_000_000 } }))).toMatch(
      /memory budget/,
    );
  });
});

describe('deeply nested documents', () => {
  const nest = (levels: number) => {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
    return v;
  };

  it('evaluate at 3,000 and 10,000 levels, or stop with a limit error, never a stack overflow', () => {
    for (const levels of [3000, 10_000]) {
      const input = nest(levels);
      const same = evaluate([pkg('p := input')], 'x := data.l.p', { input });
      expect(same.ok).toBe(true);
      for (const q of ['x := input == input', 'x := json.marshal(input)', 'x := count([p | walk(input, [p, _])])']) {
        const out = evaluate([pkg('')], q, { input });
        if (!out.ok) expect(out.error.code, `${levels}: ${q}`).toBe('eval_limit_error');
      }
    }
  });
});
