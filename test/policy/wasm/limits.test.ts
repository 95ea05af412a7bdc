// A bundle's evaluation has the engine's limits, and every way it can fail is a failure of the
// run: a loop that never ends stops at the time limit, an allocation that never ends at the
// memory limit, a trap is an error; the next evaluation runs on a fresh instance.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WasmEngine } from '../../../compiler/policy/wasm/wasm-engine.js';
import { FIXTURES, openWasm } from './backends.js';
import { type Body, opaAbiModule } from './opa-abi-module.js';

const opened: WasmEngine[] = [];
afterAll(() => {
  for (const e of opened) e.close();
});

function engineOf(body: Body, limits = {}) {
  const e = openWasm(opaAbiModule(body), 'probe.wasm', { limits });
  opened.push(e);
  return e;
}

const evaluate = (e: WasmEngine, query: string, input: unknown, limits = {}) => {
  const q = e.prepare(query);
  if (!q.ok) throw new Error(q.errors[0]!.message);
  return q.value.evaluate(input, { limits });
};

describe('limits of Wasm evaluations', () => {
  it('a module that loops forever stops at the time limit, and the engine keeps working', () => {
    const e = engineOf({ kind: 'loop' });
    const started = Date.now();
    const out = evaluate(e, 'probe/result', {}, { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(out).toEqual({ ok: false, error: expect.objectContaining({ code: 'eval_limit_error' }) });
    expect(!out.ok && out.error.message).toMatch(/time limit \(300 ms\)/);
    // A new worker takes over: the same failure, not a hang or a pass.
    expect(evaluate(e, 'probe/result', {}, { timeoutMs: 300 })).toMatchObject({ ok: false });
  });

  it('a module that allocates without end stops at the memory limit', () => {
    const e = engineOf({ kind: 'allocate' }, { maxMemoryBytes: 8 * 1024 * 1024 });
    const out = evaluate(e, 'probe/result', {});
    expect(out).toEqual({ ok: false, error: expect.objectContaining({ code: 'eval_limit_error' }) });
    expect(!out.ok && out.error.message).toMatch(/memory limit \(8388608 bytes/);
  });

  it('an input larger than the memory limit is refused, and a smaller one then evaluates', () => {
    const bytes = readFileSync(join(FIXTURES, 'fragment', 'policy.wasm'));
    const e = openWasm(bytes, 'fragment.wasm', { limits: { maxMemoryBytes: 4 * 1024 * 1024 } });
    opened.push(e);
    const big = evaluate(e, 'test/p', { fragment: 'x'.repeat(8 * 1024 * 1024) });
    expect(big).toEqual({ ok: false, error: expect.objectContaining({ code: 'eval_limit_error' }) });
    expect(evaluate(e, 'test/p', { fragment: 'moo' })).toMatchObject({ ok: true, results: [{}] });
  });

  it('a trap is an error of the evaluation', () => {
    const out = evaluate(engineOf({ kind: 'trap' }), 'probe/result', {});
    expect(out).toEqual({ ok: false, error: expect.objectContaining({ code: 'eval_internal_error' }) });
    expect(!out.ok && out.error.message).toMatch(/trapped: unreachable/);
  });

  it('a module that is not valid Wasm does not load', () => {
    expect(() => openWasm(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff]), 'bad.wasm')).toThrow(/bad.wasm/);
  });
});
