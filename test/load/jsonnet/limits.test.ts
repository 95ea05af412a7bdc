// A Jsonnet program that runs away (time, recursion, memory, nesting) stops with a located
// error, and the process goes on: nothing here may crash, hang or kill the test worker.
import { describe, expect, it } from 'vitest';
import { evaluateJsonnet } from '../../../compiler/load/jsonnet.js';
import { evaluateToData, isJsonnetError } from '../../../compiler/load/jsonnet/engine.js';

function run(text: string, timeoutSeconds = 10) {
  return evaluateJsonnet({ path: '/nonexistent/x.jsonnet', display: 'x.jsonnet', text }, { roots: [], timeoutSeconds });
}

function failure(text: string, timeoutSeconds = 10) {
  const { values, diagnostics } = run(text, timeoutSeconds);
  expect(values).toEqual([]);
  expect(diagnostics).toHaveLength(1);
  return diagnostics[0]!;
}

describe('Jsonnet limits', () => {
  it('stops a runaway loop at the deadline, where it is, and the process goes on', () => {
    const loop = 'local loop(n, acc) = if n == 0 then acc else loop(n - 1, acc + 1) tailstrict;\n{ n: loop(1e9, 0) }\n';
    const started = Date.now();
    const d = failure(loop, 0.3);
    // Not a timing test: without the deadline the loop would run for minutes.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(d).toMatchObject({ code: 'jsonnet_timeout', message: 'Jsonnet evaluation did not finish within 0.3 s' });
    expect(d.location).toMatchObject({ file: 'x.jsonnet', line: 1 });
    expect(run('{ still: "works" }').values).toEqual([{ still: 'works' }]);
  });

  it('runs a long tail-strict loop in constant stack', () => {
    const loop = 'local loop(n, acc) = if n == 0 then acc else loop(n - 1, acc + 1) tailstrict;\nloop(200000, 0)\n';
    expect(run(loop).values).toEqual([200000]);
  });

  it.each([
    ['a recursive function', 'local f(n) = 1 + f(n + 1);\nf(0)\n', 1],
    ['a field that needs itself', '{\n  a: self.a + 1,\n}.a\n', 2],
    ['a local that needs itself', 'local a = [a[0] + 1];\na[0]\n', 1],
    ['a self-containing value', 'local L = [L];\nL\n', 1],
    ['deep non-tail recursion', 'local f(n) = if n == 0 then 0 else 1 + f(n - 1);\nf(100000)\n', 1],
  ])('reports %s as jsonnet_stack, never a JavaScript stack overflow', (_name, text, line) => {
    const d = failure(text);
    expect(d.code).toBe('jsonnet_stack');
    expect(d.message).toContain('max stack frames exceeded');
    expect(d.location).toMatchObject({ file: 'x.jsonnet', line });
  });

  it.each([
    ['a huge std.range', 'local n = 1e9;\nstd.length(std.range(1, n))\n', 2],
    ['a huge std.makeArray', 'std.makeArray(1e9, function(i) i)\n', 1],
    [
      'a string doubled until it is too long',
      'local d(s, n) = if n == 0 then s else d(s + s, n - 1);\nd("ab", 40)\n',
      1,
    ],
    ['a huge std.repeat', "std.repeat('abc', 1e9)\n", 1],
    ['a huge format width', "'%1000000000d' % [1]\n", 1],
    ['a document of many long strings', "[std.repeat('a', 6e7) + x for x in std.range(1, 1000)]\n", 1],
    [
      'an array doubled until it is too large',
      'local d(a, n) = if n == 0 then a else d(a + a, n - 1);\nd([1], 40)\n',
      1,
    ],
  ])('refuses %s with jsonnet_memory, located, before the heap runs out', (_name, text, line) => {
    const d = failure(text);
    expect(d.code).toBe('jsonnet_memory');
    expect(d.location).toMatchObject({ file: 'x.jsonnet', line });
  });

  it('refuses std.parseJson and std.parseYaml of deep nesting instead of crashing', () => {
    for (const fn of ['parseJson', 'parseYaml']) {
      const open = failure(`std.${fn}(std.repeat('[', 100000))`);
      expect(open.code).toBe('jsonnet_error');
      const closed = failure(`std.${fn}(std.repeat('[', 100000) + std.repeat(']', 100000))`);
      expect(closed).toMatchObject({ code: 'jsonnet_error', location: { line: 1, column: 1 } });
      expect(closed.message).toMatch(/nest/);
    }
  });

  it('refuses deeply nested source text with a located static error', () => {
    for (const text of ['['.repeat(100000), `${'1+'.repeat(100000)}1`, `${'-'.repeat(100000)}1`, '{a:'.repeat(50000)]) {
      const d = failure(text);
      expect(d.code).toMatch(/^jsonnet_(error|stack)$/);
      expect(d.location?.file).toBe('x.jsonnet');
    }
  });

  it('cuts a long value echoed in a message short', () => {
    const d = failure(`error std.repeat('x', 100000)`);
    expect(d.message.length).toBeLessThan(400);
    expect(d.message).toMatch(/… \(cut: \d+ characters\)$/);
  });

  it('throws only JsonnetErrors from the engine, for any program text', () => {
    for (const text of ['', '{', 'local', 'a b', '"\\u12"', '|||\n', 'function(x) x', '[1][1.5]', '1 << -1']) {
      try {
        evaluateToData({ file: 'x.jsonnet', text });
      } catch (e) {
        expect(isJsonnetError(e), String(e)).toBe(true);
      }
    }
  });
});
