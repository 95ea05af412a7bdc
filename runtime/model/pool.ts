// Sessions shared between config generations. A hot reload that keeps a variant's file (same
// path and digest) reuses its session instead of loading it again; a session is released when
// the last generation using it has drained.
import { loadModelSession, type ModelSession, type SessionSpec } from './session.js';

interface Entry {
  readonly session: Promise<ModelSession>;
  refs: number;
}

export class SessionPool {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly load: (spec: SessionSpec) => Promise<ModelSession> = (spec) => loadModelSession(spec)) {}

  async acquire(spec: SessionSpec): Promise<ModelSession> {
    const key = keyOf(spec);
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { session: this.load(spec), refs: 0 };
      this.#entries.set(key, entry);
    }
    entry.refs++;
    try {
      return await entry.session;
    } catch (e) {
      // A failed load is not cached: the next reload tries the file again.
      if (--entry.refs === 0 && this.#entries.get(key) === entry) this.#entries.delete(key);
      throw e;
    }
  }

  async release(spec: SessionSpec): Promise<void> {
    const key = keyOf(spec);
    const entry = this.#entries.get(key);
    if (!entry || --entry.refs > 0) return;
    this.#entries.delete(key);
    await (await entry.session).release();
  }

  get size(): number {
    return this.#entries.size;
  }
}

function keyOf(spec: SessionSpec): string {
  return [spec.path, spec.sha256, ...(spec.externalData ?? []).map((f) => `${f.path}=${f.sha256}`)].join('\0');
}
