// The generated code of rule bodies (eval/codegen.ts) must compute exactly what the
// interpreter computes: results, undefined, errors. Each case is evaluated both ways.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toJS } from '../../compiler/rego/convert.js';
import { useGeneratedCode } from '../../compiler/rego/eval/codegen.js';
import { repoRoot } from './conformance/harness.js';
import { evaluate, type Run } from './helpers.js';

/** The outcome as plain data: each result's bindings, or the error's text. */
function outcome(modules: string[], query: string, run: Run): unknown {
  let out: ReturnType<typeof evaluate>;
  try {
    out = evaluate(modules, query, run);
  } catch (e) {
    return { thrown: String(e) };
  }
  if (!out.ok) return { error: String(out.error) };
  return out.results.map((r) => Object.fromEntries(Object.entries(r.bindings).map(([k, v]) => [k, toJS(v)])));
}

/** The outcome with generated code, after checking the interpreter gives the same. */
function both(modules: string[], query: string, run: Run = {}): unknown {
  useGeneratedCode(false);
  const interpreted = outcome(modules, query, run);
  useGeneratedCode(true);
  const generated = outcome(modules, query, run);
  expect(generated).toEqual(interpreted);
  return generated;
}

afterEach(() => useGeneratedCode(true));

const paths = `package p
import rego.v1
deep := v if v := input.a.b.c
one := v if v := input.k
items contains x if { some x in input.xs }
members contains v if { some v in input.obj }
`;

describe('generated code', () => {
  it('reads input paths as the interpreter does: scalars, composites, absent and inherited members', () => {
    const x = (input: unknown) => both([paths], 'x := data.p', { input });
    expect(x({ a: { b: { c: 'str' } }, k: -0 })).toEqual([{ x: { deep: 'str', one: 0, items: [], members: [] } }]);
    expect(x({ a: { b: { c: { d: [1, 2] } } }, k: null })).toEqual([
      { x: { deep: { d: [1, 2] }, one: null, items: [], members: [] } },
    ]);
    expect(x({ a: { b: {} }, k: false })).toEqual([{ x: { one: false, items: [], members: [] } }]);
    expect(x({ a: { b: 'not an object' } })).toEqual([{ x: { items: [], members: [] } }]);
    expect(x({ a: [{ b: { c: 1 } }] })).toEqual([{ x: { items: [], members: [] } }]);
    // In bodies (generated code), both as values and as tests.
    for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf']) {
      const m =
        `package p\nimport rego.v1\nr := v if v := input.a.${name}\ns := v if v := input.${name}\nt if not ` +
        `input.a.${name}\n`;
      expect(both([m], 'x := data.p', { input: { a: {} } })).toEqual([{ x: { t: true } }]);
    }
    const own = JSON.parse('{"__proto__": {"x": 1}, "a": {"toString": "mine"}}');
    expect(
      both(['package p\nr := v if { v := input.__proto__.x }\ns := v if { v := input.a.toString }\n'], 'x := data.p', {
        input: own,
      }),
    ).toEqual([{ x: { r: 1, s: 'mine' } }]);
  });

  it('reads through values that are not plain JSON objects', () => {
    const input = {
      a: new Map<string, unknown>([['b', { c: 3 }]]),
      k: 10n ** 30n,
      xs: new Set([2, 1]),
      obj: { z: 1, y: 2 },
    };
    expect(both([paths], 'x := data.p', { input })).toEqual([
      { x: { deep: 3, one: 1e30, items: [1, 2], members: [1, 2] } },
    ]);
    expect(both([paths], 'x := data.p', { input: { xs: 'a string', obj: 7 } })).toEqual([
      { x: { items: [], members: [] } },
    ]);
  });

  it('writes keys into the code as data, whatever they contain', () => {
    const keys = ['a"b', 'back\\slash', 'line\u2028sep', '${x}', '"]; globalThis.injected = 1; //', '*/'];
    const input = Object.fromEntries(keys.map((k, i) => [k, { [k]: i }]));
    const rules = keys.map((k, i) => `r${i} := v if v := input[${JSON.stringify(k)}][${JSON.stringify(k)}]`).join('\n');
    const out = both([`package p\n${rules}\n`], 'x := data.p', { input });
    expect(out).toEqual([{ x: Object.fromEntries(keys.map((_, i) => [`r${i}`, i])) }]);
    expect((globalThis as { injected?: unknown }).injected).toBeUndefined();
  });

  it('calls builtins and functions, with outputs, negations, mocks and builtin errors', () => {
    const m = `package p
import rego.v1
approved(image) if startswith(image, "ok/")
bad contains c.name if { some c in input.cs; not approved(c.image) }
sums contains s if { some c in input.cs; plus(c.n, 1, s) }
checked if plus(1, 2, 3)
wrong if plus(1, 2, 4)
undef_arg if not approved(input.missing)
err := x if x := to_number(input.word)
mocked := m if m := bad with approved as startswith_ok
startswith_ok(x) if x == "z"
`;
    const cs = [
      { name: 'a', image: 'ok/a', n: 1 },
      { name: 'b', image: 'bad/b', n: 2 },
    ];
    // undef_arg: an undefined argument makes the body undefined; err: the failed builtin is undefined.
    expect(both([m], 'x := data.p', { input: { cs, word: 'not a number' } })).toEqual([
      { x: { bad: ['b'], sums: [2, 3], checked: true, mocked: ['a', 'b'] } },
    ]);
    const strict = both([m], 'x := data.p', { input: { cs, word: 'nan' }, strictBuiltinErrors: true });
    expect(strict).toEqual({
      error: 'test-0.rego:9: eval_type_error: to_number: operand 1 must be valid number string but got string',
    });
  });

  it('binds and compares in assignments written either way round', () => {
    const m = `package p
import rego.v1
r contains [a, b] if {
	some x in input.xs
	a := x.v
	x.w = b
	b == a
}
`;
    const xs = [{ v: 1, w: 1 }, { v: 2, w: 3 }, { v: 'q', w: 'q' }, { w: 1 }];
    expect(both([m], 'x := data.p.r', { input: { xs } })).toEqual([
      {
        x: [
          [1, 1],
          ['q', 'q'],
        ],
      },
    ]);
  });

  it('is not used where code generation from strings is disabled: the interpreter evaluates alone', () => {
    const source = 'package p\nimport rego.v1\nr contains x.n if { some x in input.xs; x.n > 1 }\n';
    const out = runScript(
      ['--disallow-code-generation-from-strings'],
      source,
      'data.p.r',
      '{ xs: [{ n: 1 }, { n: 2 }, { n: 3 }] }',
    );
    expect(out).toEqual([2, 3]);
  });

  it('leaves long bodies to the interpreter, whose stack does not grow with the body', () => {
    const n = 1500;
    const assignments = Array.from({ length: n }, (_, i) => `  x${i} := ${i}`).join('\n');
    const source = `package b\np := x${n - 1} if {\n${assignments}\n}\n`;
    expect(runScript(['--stack-size=300'], source, 'data.b.p', 'undefined')).toBe(n - 1);
  });
});

/** Evaluates `query` over one module in a fresh Node process started with `flags`; its result as JSON. */
function runScript(flags: string[], source: string, query: string, input: string): unknown {
  const script = [
    `import { RegoEngine } from ${JSON.stringify(join(repoRoot(), 'compiler/rego/engine.ts'))};`,
    `import { toJS } from ${JSON.stringify(join(repoRoot(), 'compiler/rego/convert.ts'))};`,
    `const engine = RegoEngine.load([{ file: 'p.rego', source: ${JSON.stringify(source)} }]);`,
    `const out = engine.value.prepare(${JSON.stringify(query)}).value.evaluate(${input});`,
    'console.log(JSON.stringify(out.ok ? toJS(out.results[0].expressions[0].value) : String(out.error)));',
  ].join('\n');
  const r = spawnSync(
    process.execPath,
    [...flags, '--import', join(repoRoot(), 'test/loader/register.mjs'), '--input-type=module', '-e', script],
    { encoding: 'utf8', cwd: repoRoot() },
  );
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}
