// An OPA bundle built for Wasm (`opa build -t wasm`): a gzip tar with `/policy.wasm`, data files
// (`data.json`, `data.yaml` in any folder: the folder is the data's path, as in OPA), a
// `.manifest` and usually the Rego sources. A bare `.wasm` module is a bundle without data.
import { readFileLimited } from '../../../core/read-file.js';
import { parse as parseYAML } from 'yaml';
import { ArchiveError, readTarGz } from './tar.js';

/** A bundle read into memory, before any Wasm is compiled. */
export interface WasmBundle {
  /** The bundle's file as shown in messages. */
  readonly file: string;
  readonly wasm: Uint8Array;
  /** The bundle's data (`data` of its policies), plain JSON. */
  readonly data: Record<string, unknown>;
  /** Rego sources shipped in the bundle, for their METADATA (title, severity, controls). */
  readonly modules: readonly { readonly file: string; readonly source: string }[];
}

export class BundleError extends Error {}

/** The largest bundle file read, and the most its archive may expand to. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

const GZIP = [0x1f, 0x8b];
const WASM = [0x00, 0x61, 0x73, 0x6d];
const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

export function readBundleFile(path: string, shown: string): WasmBundle {
  let read: ReturnType<typeof readFileLimited>;
  try {
    read = readFileLimited(path, MAX_BUNDLE_BYTES, { followLinks: true });
  } catch (e) {
    throw new BundleError(`cannot read ${shown} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (read.kind !== 'file') throw new BundleError(`${shown} is not a file`);
  if (!read.complete) throw new BundleError(`${shown} is larger than ${MAX_BUNDLE_BYTES} bytes`);
  return parseBundle(read.bytes, shown);
}

export function parseBundle(bytes: Uint8Array, file: string): WasmBundle {
  if (startsWith(bytes, WASM)) return { file, wasm: bytes, data: {}, modules: [] };
  if (!startsWith(bytes, GZIP))
    throw new BundleError(`${file} is neither a bundle (.tar.gz, from \`opa build -t wasm\`) nor a Wasm module`);
  let files: Map<string, Uint8Array>;
  try {
    files = readTarGz(bytes, { maxBytes: MAX_BUNDLE_BYTES });
  } catch (e) {
    if (e instanceof ArchiveError) throw new BundleError(`${file}: ${e.message}`);
    throw e;
  }
  const wasm = [...files.keys()].filter((p) => p.endsWith('.wasm'));
  if (wasm.length === 0)
    throw new BundleError(`${file} holds no Wasm module: build it with \`opa build -t wasm -e <entrypoint>\``);
  if (wasm.length > 1)
    throw new BundleError(`${file} holds ${wasm.length} Wasm modules (${wasm.join(', ')}); only one is supported`);
  const text = (p: string) => new TextDecoder('utf-8', { fatal: true }).decode(files.get(p)!);
  let data: Record<string, unknown> = {};
  const modules: { file: string; source: string }[] = [];
  for (const p of files.keys()) {
    const name = p.split('/').pop()!;
    if (p.endsWith('.rego')) modules.push({ file: `${file}#${p}`, source: text(p) });
    if (name !== 'data.json' && name !== 'data.yaml' && name !== 'data.yml') continue;
    let value: unknown;
    try {
      value = name === 'data.json' ? JSON.parse(text(p)) : (parseYAML(text(p), { maxAliasCount: 100 }) ?? {});
    } catch (e) {
      throw new BundleError(
        `${file}#${p} is not valid ${name === 'data.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
      );
    }
    const merged = mergeData(data, p.split('/').slice(0, -1), value);
    if (!merged) throw new BundleError(`${file}#${p} conflicts with data loaded before it`);
    data = merged;
  }
  return { file, wasm: files.get(wasm[0]!)!, data, modules };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `base` with `value` merged at `path` (objects merge key by key); undefined on a conflict. */
export function mergeData(
  base: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): Record<string, unknown> | undefined {
  let wrapped = value;
  for (let i = path.length - 1; i >= 0; i--) wrapped = { [path[i]!]: wrapped };
  if (!isObject(wrapped)) return undefined;
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> | undefined => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const has = Object.hasOwn(out, k);
      if (has && !(isObject(out[k]) && isObject(v))) return undefined;
      const m = has ? merge(out[k] as Record<string, unknown>, v as Record<string, unknown>) : v;
      if (m === undefined) return undefined;
      // Defined, not assigned: a key named `__proto__` (valid in JSON) stays data.
      Object.defineProperty(out, k, { value: m, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return merge(base, wrapped);
}
