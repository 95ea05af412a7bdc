// The two backends behind `PolicyEngine`: mlspec's engine over the Rego sources and the Wasm
// backend over the bundles `opa build -t wasm` made of them (../shared/opa-wasm). Tests run the
// Wasm worker from the build (`npm test` builds first), as tests of other workers do.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseBundle } from '../../../compiler/policy/wasm/bundle.js';
import { WasmEngine, type WasmEngineOptions } from '../../../compiler/policy/wasm/wasm-engine.js';
import { type PolicyEngine, RegoEngine } from '../../../compiler/rego/engine.js';
import { tarGz } from './tar-writer.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const FIXTURES = process.env.MLSPEC_OPA_WASM ?? resolve(ROOT, '..', 'shared', 'opa-wasm');

export interface Fixture {
  readonly name: 'rbac' | 'fragment';
  readonly rego: string;
  readonly entrypoint: string;
  readonly data: Record<string, unknown>;
}

export const RBAC: Fixture = {
  name: 'rbac',
  rego: 'example.rego',
  entrypoint: 'example/allow',
  data: {
    user_roles: { alice: ['admin'], bob: ['viewer', 'editor'], carol: [] },
    role_permissions: {
      admin: [
        { action: 'read', object: 'server' },
        { action: 'write', object: 'server' },
      ],
      editor: [{ action: 'edit', object: 'article' }],
      viewer: [{ action: 'read', object: 'article' }],
    },
  },
};

export const FRAGMENT: Fixture = { name: 'fragment', rego: 'test.rego', entrypoint: 'test/p', data: {} };

export interface Backend {
  readonly name: string;
  open(fixture: Fixture): PolicyEngine & { close?(): void };
}

const unwrap = <T>(r: { ok: true; value: T } | { ok: false; errors: { message: string }[] }): T => {
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
};

export const regoBackend: Backend = {
  name: 'engine (Rego source)',
  open: (f) =>
    unwrap(
      RegoEngine.load(
        [{ file: f.rego, source: readFileSync(join(FIXTURES, f.name, f.rego), 'utf8'), regoVersion: 0 }],
        { data: f.data },
      ),
    ),
};

/** The bundle as `opa build -t wasm` packs it: the module, the data, the manifest and the source. */
export function bundleOf(f: Fixture): Buffer {
  return tarGz({
    '/.manifest': JSON.stringify({
      revision: '',
      roots: [''],
      wasm: [{ entrypoint: f.entrypoint, module: '/policy.wasm' }],
    }),
    '/data.json': JSON.stringify(f.data),
    [`/${f.rego}`]: readFileSync(join(FIXTURES, f.name, f.rego)),
    '/policy.wasm': readFileSync(join(FIXTURES, f.name, 'policy.wasm')),
  });
}

export function openWasm(bytes: Uint8Array, file: string, options: WasmEngineOptions = {}): WasmEngine {
  return unwrap(WasmEngine.load(parseBundle(bytes, file), options));
}

export const wasmBackend: Backend = {
  name: 'Wasm (bundle)',
  open: (f) => openWasm(bundleOf(f), `${f.name}.tar.gz`),
};
