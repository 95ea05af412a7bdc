// Build step (`npm run build`, after tsc): copies what tsc does not, the Python programs the
// render stage ships (compiler/render/**/python/*.py), into dist/ beside the compiled modules.
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../compiler/render/', import.meta.url));
const target = fileURLToPath(new URL('./render/', import.meta.url));

for (const entry of readdirSync(source, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.py')) continue;
  const rel = join(entry.parentPath, entry.name).slice(source.length);
  cpSync(join(source, rel), join(target, rel));
}
