// `mlspec policy eval --bundle`: an OPA Wasm bundle answers with the same output as the Rego it
// was built from (`policy eval -d`), and bundle problems are usage errors with a reason.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOf, FIXTURES, RBAC } from '../policy/wasm/backends.js';

const CLI = resolve(import.meta.dirname, '..', '..', 'dist', 'compiler', 'cli', 'main.js');
let dir: string;

const mlspec = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, 'policy', 'eval', ...args], { cwd: dir, encoding: 'utf8', env: {} });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlspec-bundle-'));
  writeFileSync(join(dir, 'rbac.tar.gz'), bundleOf({ ...RBAC, data: {} }));
  cpSync(join(FIXTURES, 'rbac', 'example.rego'), join(dir, 'example.rego'));
  cpSync(join(FIXTURES, 'fragment', 'policy.wasm'), join(dir, 'fragment.wasm'));
  writeFileSync(join(dir, 'roles.json'), JSON.stringify(RBAC.data));
  writeFileSync(join(dir, 'alice.json'), '{"user": "alice", "action": "write", "object": "server"}');
  writeFileSync(join(dir, 'bob.yaml'), 'user: bob\naction: write\nobject: server\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('policy eval --bundle', () => {
  it('prints what policy eval prints for the Rego source, for every input', () => {
    for (const input of ['alice.json', 'bob.yaml']) {
      const wasm = mlspec('--bundle', 'rbac.tar.gz', '-d', 'roles.json', '-i', input, 'example/allow');
      const rego = mlspec(
        '--v0-compatible',
        '-d',
        'example.rego',
        '-d',
        'roles.json',
        '-i',
        input,
        'data.example.allow',
      );
      expect(wasm.code).toBe(0);
      expect(wasm.out).toBe(rego.out);
    }
    expect(
      JSON.parse(mlspec('--bundle', 'rbac.tar.gz', '-d', 'roles.json', '-i', 'alice.json', 'example/allow').out),
    ).toEqual({
      result: [{ expressions: [{ value: true, text: 'data.example.allow', location: { row: 1, col: 1 } }] }],
    });
  });

  it('a bare .wasm, --fail on an undefined result, --format pretty', () => {
    writeFileSync(join(dir, 'moo.json'), '{"fragment": "moo"}');
    writeFileSync(join(dir, 'cow.json'), '{"fragment": "cow"}');
    expect(mlspec('--bundle', 'fragment.wasm', '-i', 'moo.json', '--format', 'pretty', 'data.test.p').out).toBe(
      'true\n',
    );
    expect(mlspec('--bundle', 'fragment.wasm', '-i', 'cow.json', '--fail', 'test/p').code).toBe(1);
  });

  it('bundle problems are usage errors that say what is wrong', () => {
    writeFileSync(join(dir, 'not-a-bundle.tar.gz'), 'hello');
    const bad = mlspec('--bundle', 'not-a-bundle.tar.gz', 'x/y');
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/neither a bundle/);
    const missing = mlspec('--bundle', 'nope.tar.gz', 'x/y');
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/cannot read nope.tar.gz \(ENOENT\)/);
    const entry = mlspec('--bundle', 'fragment.wasm', 'test/q');
    expect(entry.out).toMatch(/has no entrypoint `test\/q`/);
    const rego = mlspec('--bundle', 'fragment.wasm', '-d', 'example.rego', 'test/p');
    expect(rego.code).toBe(2);
    expect(rego.err).toMatch(/give only data files with --bundle/);
    const clash = mlspec('--bundle', 'rbac.tar.gz', '-d', 'roles.json', '-d', 'roles.json', 'example/allow');
    expect(clash.code).toBe(2);
  });
});
