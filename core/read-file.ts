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

/** Up to a multiple of 8 (at least 8). */
const roundUp = (n: number) => Math.max(8, Math.ceil(n / 8) * 8);

/**
 * Reads at most `maxBytes` of the regular file at `path`. Errors of opening it (ENOENT, EACCES,
 * ELOOP for a link that is not followed) are thrown, as from `readFileSync`.
 */
export function readFileLimited(path: string, maxBytes: number, options: ReadOptions = {}): FileRead {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.followLinks ? 0 : constants.O_NOFOLLOW);
  const fd = openSync(path, flags);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { kind: 'not_a_file' };
    // Sized by stat, which is right for ordinary files (two reads, as readFileSync), and grown
    // for files whose stat lies (/proc files say 0). Reading past the limit tells a file of
    // exactly `maxBytes` from a larger one. Sizes stay multiples of 8: some files only take
    // reads of sizes they like (/proc/self/pagemap).
    let buffer = Buffer.allocUnsafe(roundUp(Math.min(stat.size, maxBytes) + 1));
    let total = 0;
    while (total <= maxBytes) {
      if (total === buffer.length) {
        const bigger = Buffer.allocUnsafe(roundUp(Math.min(buffer.length * 2, maxBytes + 1)));
        buffer.copy(bigger, 0, 0, total);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, total, buffer.length - total, null);
      if (n === 0) break;
      total += n;
    }
    return total > maxBytes
      ? { kind: 'file', bytes: buffer.subarray(0, maxBytes), complete: false }
      : { kind: 'file', bytes: buffer.subarray(0, total), complete: true };
  } finally {
    closeSync(fd);
  }
}
