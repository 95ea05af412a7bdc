import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageInfo {
  readonly root: string;
  readonly version: string;
}

let found: PackageInfo | undefined;

/** mlspec's own package.json: three levels up from dist/compiler/cli/, two from compiler/cli/. */
function packageInfo(): PackageInfo | undefined {
  if (found) return found;
  for (const rel of ['../../../package.json', '../../package.json']) {
    const url = new URL(rel, import.meta.url);
    try {
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'mlspec') {
        found = { root: dirname(fileURLToPath(url)), version: pkg.version };
        return found;
      }
    } catch {
      // try the next layout
    }
  }
  return undefined;
}

/** The package version. */
export function version(): string {
  return packageInfo()?.version ?? 'unknown';
}

/** The installed package's folder (its policies/ and specs/schema/ ship with it). */
export function packageRoot(): string {
  const info = packageInfo();
  if (!info) throw new Error('internal: mlspec cannot find its own package.json');
  return info.root;
}
