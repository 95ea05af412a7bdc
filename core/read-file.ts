// Reading files that someone else controls. `stat` cannot be trusted for a size (/proc files
// report 0 and then yield gigabytes), a FIFO blocks an ordinary open until a writer comes, and a
// symbolic link leads wherever its author wanted. So: open non-blocking, check the open file is
// a regular file, read at most a limit, and refuse a link where the caller says links are not
// followed.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type FileRead =
  /** `bytes` holds at most the limit; `complete` is false when the file holds more. */
  | { readonly kind: 'file'; readonly bytes: Buffer; readonly complete: boolean }
  /** A FIFO, socket, device or directory: nothing was read. */
  | { readonly kind: 'not_a_file' };

export interface ReadOptions {
  /** Whether a symbolic link as the path's last component is followed (default false: ELOOP is thrown). */
  readonly followLinks?: boolean;
}

const CHUNK = 64 * 1024;

/**
 * Reads at most `maxBytes` of the regular file at `path`. Errors of opening it (ENOENT, EACCES,
 * ELOOP for a link that is not followed) are thrown, as from `readFileSync`.
 */
export function readFileLimited(path: string, maxBytes: number, options: ReadOptions = {}): FileRead {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.followLinks ? 0 : constants.O_NOFOLLOW);
  const fd = openSync(path, flags);
  try {
    if (!fstatSync(fd).isFile()) return { kind: 'not_a_file' };
    // Reading past the limit tells a file of exactly `maxBytes` from a larger one. Whole chunks:
    // some files only take reads of a size they like (/proc/self/pagemap: multiples of 8).
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
    }
    const bytes = Buffer.concat(chunks, total);
    return total > maxBytes
      ? { kind: 'file', bytes: bytes.subarray(0, maxBytes), complete: false }
      : { kind: 'file', bytes, complete: true };
  } finally {
    closeSync(fd);
  }
}
