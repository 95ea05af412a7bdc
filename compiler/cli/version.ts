import { readFileSync } from 'node:fs';

/** The package version, read from package.json (three levels up from dist/compiler/cli/ and compiler/cli/). */
export function version(): string {
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'mlspec') return pkg.version;
    } catch {
      // try the next layout
    }
  }
  return 'unknown';
}
