// Builtins an OPA Wasm module imports from its host run in mlspec's builtin table. The module is
// built by the test (opa-abi-module.ts: OPA's ABI, no `opa` needed) and calls one builtin through
// `opa_builtinN`; the result must equal what the engine computes for the same call in Rego.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyInstance } from '../../../compiler/policy/wasm/instance.js';
import { RegoEngine, toJS } from '../../../compiler/rego/engine.js';
import { type Arg, opaAbiModule } from './opa-abi-module.js';

const LIMIT = 64 * 1024 * 1024;

function viaWasm(builtin: string, args: readonly Arg[], input?: unknown, strict = true) {
  const module = new WebAssembly.Module(opaAbiModule({ kind: 'call', builtin, args }));
  const instance = new PolicyInstance(module, '{}', LIMIT);
  const out = instance.evaluate(0, input === undefined ? undefined : JSON.stringify(input), {
    strictBuiltinErrors: strict,
  });
  if (!out.ok) return { error: out.error.message };
  return { resultSet: out.resultSet, builtinErrors: out.builtinErrors.length };
}

function viaEngine(builtin: string, args: readonly Arg[], input?: unknown) {
  const text = args.map((a) => (a === 'input' ? 'input' : a === 'data' ? 'data' : a.text)).join(', ');
  const engine = RegoEngine.load([{ file: 'p.rego', source: `package p\nresult := ${builtin}(${text})\n` }]);
  if (!engine.ok) throw new Error(engine.errors[0]!.message);
  const query = engine.value.prepare('data.p.result');
  if (!query.ok) throw new Error(query.errors[0]!.message);
  const out = query.value.evaluate(input, { strictBuiltinErrors: true });
  if (!out.ok) return { error: out.error.message };
  const v = out.results[0]?.expressions[0]?.value;
  return { resultSet: v === undefined ? [] : [{ result: toJS(v) }], builtinErrors: 0 };
}

const str = (s: string): Arg => ({ text: JSON.stringify(s) });

describe('host builtins of OPA Wasm modules', () => {
  it('the SDK alone cannot run these modules (what mlspec supplies)', () => {
    const sdk = createRequire(import.meta.url)('@open-policy-agent/opa-wasm');
    const bytes = opaAbiModule({
      kind: 'call',
      builtin: 'regex.find_n',
      args: [str('[a-z]+'), str('ab 12 cd'), { text: '-1' }],
    });
    const policy = sdk.loadPolicySync(bytes);
    expect(() => policy.evaluate({})).toThrow(/not implemented: built-in function 0: regex.find_n/);
  });

  it('regex.find_n', () => {
    const args: Arg[] = [str('[a-z]+'), str('ab 12 cd ef'), { text: '2' }];
    expect(viaWasm('regex.find_n', args)).toEqual({ resultSet: [{ result: ['ab', 'cd'] }], builtinErrors: 0 });
  });

  it('time.parse_ns', () => {
    const args: Arg[] = [str('2006-01-02T15:04:05Z07:00'), str('2024-02-29T12:30:00+04:00')];
    expect(viaWasm('time.parse_ns', args)).toEqual({
      resultSet: [{ result: 1709195400000000000 }],
      builtinErrors: 0,
    });
  });

  it('json.match_schema, with the document from the input', () => {
    const schema = {
      text: JSON.stringify({ type: 'object', required: ['team'], properties: { team: { type: 'string' } } }),
    };
    expect(viaWasm('json.match_schema', ['input', schema], { team: 'risk' })).toEqual({
      resultSet: [{ result: [true, []] }],
      builtinErrors: 0,
    });
    const bad = viaWasm('json.match_schema', ['input', schema], { team: 7 }) as { resultSet: [{ result: unknown[] }] };
    expect(bad.resultSet[0].result[0]).toBe(false);
    expect(bad).toEqual(viaEngine('json.match_schema', ['input', schema], { team: 7 }));
  });

  it('sets cross the boundary as sets, not arrays', () => {
    // The module hands the host `opa_value_dump` text; an array would make is_set false.
    expect(viaWasm('is_set', [{ text: '{1, 2, 3}' }])).toEqual({ resultSet: [{ result: true }], builtinErrors: 0 });
    expect(viaWasm('is_set', [{ text: 'set()' }])).toEqual({ resultSet: [{ result: true }], builtinErrors: 0 });
  });

  it('a builtin error fails the evaluation when strict, and makes the call undefined otherwise', () => {
    const args: Arg[] = [str('('), str('x'), { text: '-1' }];
    expect(viaWasm('regex.find_n', args, undefined, true)).toEqual({
      error: expect.stringMatching(/regex.find_n: .*(missing|parenthes)/i),
    });
    expect(viaWasm('regex.find_n', args, undefined, false)).toEqual({ resultSet: [], builtinErrors: 1 });
  });

  it('agrees with the engine on generated inputs (regex.find_n, time.parse_ns, json.match_schema)', () => {
    const schema = {
      text: JSON.stringify({ type: 'object', properties: { n: { type: 'integer', minimum: 0 } }, required: ['n'] }),
    };
    const cases = fc.oneof(
      fc.record({
        builtin: fc.constant('regex.find_n'),
        args: fc.constant<Arg[]>([str('[0-9]+|x'), 'input', { text: '-1' }]),
        input: fc.string(),
      }),
      fc.record({
        builtin: fc.constant('time.parse_ns'),
        args: fc.constant<Arg[]>([str('2006-01-02'), 'input']),
        input: fc.oneof(
          fc
            .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString().slice(0, 10)),
          fc.string(),
        ),
      }),
      fc.record({
        builtin: fc.constant('json.match_schema'),
        args: fc.constant<Arg[]>(['input', schema]),
        input: fc.oneof(
          fc.record({ n: fc.oneof(fc.integer(), fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true })) }),
          fc.jsonValue(),
        ),
      }),
    );
    fc.assert(
      fc.property(cases, ({ builtin, args, input }) => {
        expect(viaWasm(builtin, args, input)).toEqual(viaEngine(builtin, args, input));
      }),
      { numRuns: 150 },
    );
  });
});
