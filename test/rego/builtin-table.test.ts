import { describe, expect, it } from 'vitest';
import { allBuiltins, lookupBuiltin, unimplementedBuiltins } from '../../compiler/rego/builtins/index.js';
import { BuiltinError, callBuiltin, declare, implement, operandTypeError } from '../../compiler/rego/builtins/table.js';
import { DEFAULT_LIMITS, LimitGuard } from '../../compiler/rego/eval/limits.js';
import { T, typeToString } from '../../compiler/rego/types.js';

describe('builtin table', () => {
  it('implements every declared builtin', () => {
    expect(unimplementedBuiltins()).toEqual([]);
  });

  it('declares every builtin with a signature, description and category', () => {
    for (const { decl } of allBuiltins()) {
      expect(decl.name, decl.name).toMatch(/^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/i);
      expect(decl.description.length, decl.name).toBeGreaterThan(0);
      expect(decl.categories.length, decl.name).toBeGreaterThan(0);
      expect(typeToString(decl.result.type), decl.name).toBeTruthy();
    }
  });

  it('has the operators the language is built on', () => {
    const infix = new Map(
      allBuiltins()
        .filter((b) => b.decl.infix)
        .map((b) => [b.decl.infix, b.decl.name]),
    );
    for (const [op, name] of [
      ['+', 'plus'],
      ['-', 'minus'],
      ['*', 'mul'],
      ['/', 'div'],
      ['%', 'rem'],
      ['==', 'equal'],
      ['!=', 'neq'],
      ['<', 'lt'],
      ['<=', 'lte'],
      ['>', 'gt'],
      ['>=', 'gte'],
      ['&', 'and'],
      ['|', 'or'],
    ]) {
      expect(infix.get(op)).toBe(name);
    }
    expect(lookupBuiltin('count')).toBeDefined();
    expect(lookupBuiltin('internal.member_2')).toBeDefined();
  });

  it('names the builtin and the call site in errors, in one place', () => {
    const decl = declare({
      name: 'test.fails',
      args: [{ name: 'x', type: T.string }],
      result: { name: 'y', type: T.string },
      description: 'for tests',
      categories: ['test'],
    });
    implement(decl, ([x]) => {
      if (typeof x !== 'string') throw operandTypeError(1, x!, 'string');
      throw new BuiltinError('nope');
    });
    const ctx = {
      location: { file: 'a.rego', line: 3, column: 5 },
      timeNs: 0n,
      cache: new Map(),
      env: {},
      print: () => {},
      budget: new LimitGuard(DEFAULT_LIMITS),
    };
    const b = lookupBuiltin('test.fails')!;
    expect(() => callBuiltin(b, [1], ctx)).toThrow(
      expect.objectContaining({
        code: 'eval_type_error',
        message: 'test.fails: operand 1 must be string but got number',
        location: ctx.location,
      }),
    );
    expect(() => callBuiltin(b, ['a'], ctx)).toThrow(
      expect.objectContaining({ code: 'eval_builtin_error', message: 'test.fails: nope' }),
    );
    expect(() => declare({ ...decl })).toThrow('declared twice');
  });
});
