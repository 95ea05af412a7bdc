// Sessions are shared by generations that use the same file and released with the last one.
import { describe, expect, it } from 'vitest';
import { SessionPool } from '../../../runtime/model/pool.js';
import type { ModelSession, SessionSpec } from '../../../runtime/model/session.js';

function fakeLoader() {
  const released: string[] = [];
  let loads = 0;
  const load = async (spec: SessionSpec): Promise<ModelSession> => {
    loads++;
    if (spec.path.includes('bad')) throw new Error('cannot load');
    return { run: async () => ({}), release: async () => void released.push(spec.path) };
  };
  return { load, released, loads: () => loads };
}

const spec = (path: string, sha256 = 'a'.repeat(64)): SessionSpec => ({ path, sha256, inputs: [], outputs: [] });

describe('SessionPool', () => {
  it('loads a file once for several holders and releases it with the last', async () => {
    const f = fakeLoader();
    const pool = new SessionPool(f.load);
    const [a, b] = await Promise.all([pool.acquire(spec('/m/a.onnx')), pool.acquire(spec('/m/a.onnx'))]);
    expect(a).toBe(b);
    expect(f.loads()).toBe(1);
    await pool.release(spec('/m/a.onnx'));
    expect(f.released).toEqual([]);
    await pool.release(spec('/m/a.onnx'));
    expect(f.released).toEqual(['/m/a.onnx']);
    expect(pool.size).toBe(0);
  });

  it('treats a new digest at the same path as a different model', async () => {
    const f = fakeLoader();
    const pool = new SessionPool(f.load);
    await pool.acquire(spec('/m/a.onnx', 'a'.repeat(64)));
    await pool.acquire(spec('/m/a.onnx', 'b'.repeat(64)));
    expect(f.loads()).toBe(2);
  });

  it('does not cache a failed load', async () => {
    const f = fakeLoader();
    const pool = new SessionPool(f.load);
    await expect(pool.acquire(spec('/m/bad.onnx'))).rejects.toThrow('cannot load');
    await expect(pool.acquire(spec('/m/bad.onnx'))).rejects.toThrow('cannot load');
    expect(f.loads()).toBe(2);
    expect(pool.size).toBe(0);
  });
});
