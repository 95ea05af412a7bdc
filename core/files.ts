// Small file-system helpers the compiler's commands share.
import { renameSync, statSync, writeFileSync } from 'node:fs';

/** True when `path` is a folder (following links); false when it is missing or anything else. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes `text` to a temporary file beside `path`, then renames it over `path`: a reader sees the
 * old content or the new, never half a file. Errors are thrown as they come.
 */
export function replaceFile(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}
