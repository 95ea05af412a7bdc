// Reading bundles: the archive `opa build -t wasm` writes, a bare module, and broken input.
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BundleError, MAX_BUNDLE_BYTES, parseBundle } from '../../../compiler/policy/wasm/bundle.js';
import { tarGz } from './tar-writer.js';

const RBAC = readFileSync('/work/shared/opa-wasm/rbac/policy.wasm');

describe('OPA Wasm bundles', () => {
  it('reads policy.wasm, the data files at their folder paths and the Rego sources', () => {
    const long = `${'deep/'.repeat(30)}data.json`;
    const bundle = parseBundle(
      tarGz({
        '/.manifest': '{"revision":"","roots":[""],"wasm":[{"entrypoint":"example/allow","module":"/policy.wasm"}]}',
        '/data.json': '{"user_roles":{"alice":["admin"]}}',
        '/roles/data.yaml': 'admin: [{action: read, object: server}]\n',
        [`/${long}`]: '{"x": 1}',
        '/example.rego': 'package example\n',
        '/policy.wasm': RBAC,
      }),
      'bundle.tar.gz',
    );
    expect(Buffer.from(bundle.wasm).equals(RBAC)).toBe(true);
    expect(bundle.data.user_roles).toEqual({ alice: ['admin'] });
    expect(bundle.data.roles).toEqual({ admin: [{ action: 'read', object: 'server' }] });
    expect((bundle.data as Record<string, Record<string, unknown>>).deep).toBeDefined();
    expect(bundle.modules).toEqual([{ file: 'bundle.tar.gz#example.rego', source: 'package example\n' }]);
  });

  it('a bare .wasm is a bundle without data', () => {
    expect(parseBundle(RBAC, 'policy.wasm')).toMatchObject({ data: {}, modules: [] });
  });

  it('refuses what is not a bundle, with the reason', () => {
    const fails = (bytes: Uint8Array, message: RegExp) => expect(() => parseBundle(bytes, 'b')).toThrow(message);
    fails(Buffer.from('package x'), /neither a bundle .* nor a Wasm module/);
    fails(tarGz({ '/data.json': '{}' }), /holds no Wasm module/);
    fails(tarGz({ 'a.wasm': RBAC, 'b.wasm': RBAC }), /holds 2 Wasm modules/);
    fails(tarGz({ 'policy.wasm': RBAC, 'data.json': '{"a": 1}', 'a/data.json': '{}' }), /conflicts with data/);
    fails(tarGz({ 'policy.wasm': RBAC, 'data.json': '{nope' }), /data.json is not valid JSON/);
    fails(gzipSync(Buffer.alloc(1024, 7)), /not a tar archive/);
    const tar = gunzipSync(tarGz({ 'policy.wasm': RBAC }));
    fails(gzipSync(tar.subarray(0, 4096)), /the tar archive is truncated/);
  });

  it('a small archive that expands past the limit is refused, not expanded', () => {
    const bomb = gzipSync(Buffer.alloc(MAX_BUNDLE_BYTES + 1024));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(() => parseBundle(bomb, 'bomb.tar.gz')).toThrow(BundleError);
    expect(() => parseBundle(bomb, 'bomb.tar.gz')).toThrow(/expands to more than/);
  });
});
