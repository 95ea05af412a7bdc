// What the load stage may read. Specs come from pull requests that nobody has reviewed yet, so
// a spec folder may hold links to anywhere on the machine (`leak.yaml -> /proc/self/environ`).
// Everything is read inside the repository (`root`, by default the working directory): a file
// found in a folder, or the target of a link, must really be there, links resolved. The one
// exception is a path given by the caller that lies outside the repository as written (say
// `--platform /etc/mlspec/platform.yaml`): the caller chose it, so it is read, and what lies
// under it may be read too; a link inside it still may not lead further out.
//
// Every file and folder is reported to `onRead` (its real path) before its content is read, so
// tests can check that nothing outside the repository is ever opened. Jsonnet imports go
// through the same scope.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { readFileLimited, type FileRead } from '../../core/read-file.js';

export interface ReadScopeOptions {
  /** The repository: nothing outside it is read unless given as a path. Default: the working directory. */
  readonly root?: string;
  /**
   * Called with the absolute real path (links resolved) of every file and folder the loader
   * opens, before it reads it: spec files, Jsonnet imports, folder listings and the probes for
   * mlspec's own output folders.
   */
  readonly onRead?: (path: string) => void;
}

/** Where a path really is. */
export type Located =
  | { readonly kind: 'inside'; readonly real: string }
  /** Its real path is outside the scope: it must not be read. */
  | { readonly kind: 'outside'; readonly real: string }
  /** It cannot be resolved (`code`: ENOENT for a missing file or a dangling link, ELOOP, EACCES). */
  | { readonly kind: 'missing'; readonly code: string };

export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

function realPath(path: string): { real: string } | { code: string } {
  try {
    return { real: realpathSync(path) };
  } catch (e) {
    return { code: (e as NodeJS.ErrnoException).code ?? 'error' };
  }
}

export class ReadScope {
  private readonly root: string;
  private readonly rootReal: string;
  /** Real paths under which reading is allowed: the repository and the given paths outside it. */
  private readonly allowed: string[];
  private readonly onRead: (path: string) => void;

  constructor(cwd: string, options: ReadScopeOptions = {}) {
    this.root = resolve(cwd, options.root ?? '.');
    const real = realPath(this.root);
    this.rootReal = 'real' in real ? real.real : this.root;
    this.allowed = [this.rootReal];
    this.onRead = options.onRead ?? (() => {});
  }

  /**
   * A path the caller gave (absolute). Inside the repository as written, its real path must
   * stay inside; outside it as written, it is allowed, with what lies under it.
   */
  admit(path: string): Located {
    const real = realPath(path);
    if (!('real' in real)) return { kind: 'missing', code: real.code };
    if (isInside(path, this.root) || isInside(path, this.rootReal)) return this.classify(real.real);
    if (!this.allowed.some((a) => isInside(real.real, a))) this.allowed.push(real.real);
    return { kind: 'inside', real: real.real };
  }

  /** A path found while loading (a folder entry, a link, an import). */
  locate(path: string): Located {
    const real = realPath(path);
    return 'real' in real ? this.classify(real.real) : { kind: 'missing', code: real.code };
  }

  contains(real: string): boolean {
    return this.allowed.some((a) => isInside(real, a));
  }

  /** Report that the file or folder at `real` (a real path inside the scope) is about to be read. */
  reading(real: string): void {
    this.onRead(real);
  }

  /**
   * Read a file located inside the scope, at most `maxBytes` (see readFileLimited): reported,
   * and opened by its real path, so no link is followed on the way.
   */
  read(real: string, maxBytes: number): FileRead {
    if (!this.contains(real)) throw new Error(`internal: ${real} is outside the read scope`);
    this.onRead(real);
    return readFileLimited(real, maxBytes);
  }

  private classify(real: string): Located {
    return this.contains(real) ? { kind: 'inside', real } : { kind: 'outside', real };
  }
}
