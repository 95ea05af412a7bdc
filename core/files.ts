// Small file-system helpers the compiler's commands share.
import { readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compareCodeUnits } from './compare.js';

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

/**
 * The files under `path` whose names `wanted` accepts, as absolute paths, folders walked in
 * name order; entries starting with a dot are skipped. A file given as `path` is tested alone.
 */
export function filesUnder(path: string, wanted: (name: string) => boolean): string[] {
  const out: string[] = [];
  const visit = (abs: string) => {
    if (statSync(abs).isDirectory()) {
      const names = readdirSync(abs).sort(compareCodeUnits);
      for (const name of names) if (!name.startsWith('.')) visit(join(abs, name));
    } else if (wanted(basename(abs))) out.push(abs);
  };
  visit(path);
  return out;
}
