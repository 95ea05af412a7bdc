// What a Jsonnet spec may import: files inside the allowed roots only. Specs come from pull
// requests, so `importstr '/proc/self/environ'`, `import '../../.ssh/id_rsa'` or a symbolic link
// pointing out of the repository must not be read: the refusal happens before anything is
// opened, and a link is judged by where it really leads.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { type ImportedFile, type Importer, importError } from './jsonnet/engine.js';
import { LOAD_LIMITS } from './limits.js';

export interface ImportPolicy {
  /** Absolute directories imports may read from (a file must really be inside one). */
  readonly roots: readonly string[];
  /** Told of every file the importer opens, by its real path. */
  readonly onOpen?: (path: string) => void;
}

const OUTSIDE = 'jsonnet_import_outside';

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The default roots: each folder given, and the folder of each file given. */
export function importRoots(paths: readonly string[], cwd: string): string[] {
  return paths.map((p) => {
    const abs = resolve(cwd, p);
    try {
      return statSync(abs).isDirectory() ? abs : dirname(abs);
    } catch {
      return dirname(abs);
    }
  });
}

/** An importer confined to the policy's roots. Keys are real paths; names are relative to cwd. */
export function confinedImporter(policy: ImportPolicy): Importer {
  const roots = policy.roots.map((r) => realOrUndefined(r) ?? resolve(r));
  return (request) => {
    const { path, loc } = request;
    const outside = (why: string) =>
      importError(
        `import ${JSON.stringify(path)} refused: ${why}`,
        loc,
        "Imports must stay inside the folders given to mlspec (a file's own folder for a file): import by a " +
          'relative path within them, and keep shared libraries there (links out of them are not followed).',
        OUTSIDE,
      );
    if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) throw outside('absolute paths are not allowed');
    if (path.includes('\0')) throw outside('the path contains a NUL character');
    const candidate = resolve(dirname(request.fromKey), path);
    if (!roots.some((r) => inside(candidate, r))) throw outside('it leads outside the allowed folders');
    const real = realOrUndefined(candidate);
    if (real === undefined) {
      throw importError(`couldn't open import ${JSON.stringify(path)}: no such file`, loc, undefined, 'jsonnet_error');
    }
    if (!roots.some((r) => inside(real, r))) throw outside('a symbolic link leads outside the allowed folders');
    const stat = statSync(real);
    if (!stat.isFile()) throw outside('it is not a regular file');
    if (stat.size > LOAD_LIMITS.maxFileBytes) {
      const limit = LOAD_LIMITS.maxFileBytes;
      const text = `import ${JSON.stringify(path)} refused: the file is ${stat.size} bytes; the limit is ${limit}`;
      throw importError(text, loc, undefined, 'file_too_large');
    }
    policy.onOpen?.(real);
    const bytes = readFileSync(real);
    const file: ImportedFile = {
      key: real,
      // Named like the importing file: `lib/x.libsonnet` from `specs/a.jsonnet` is `specs/lib/x.libsonnet`.
      display: posix.normalize(posix.join(posix.dirname(request.from), path)),
      text: bytes.toString('utf8'),
      bytes,
    };
    return file;
  };
}
