// The Python programs mlspec ships in ConfigMaps are real `.py` files beside the renderer that
// ships them (in a `python/` folder), so editors and the tests' syntax check read them as Python.
// `npm run build` copies them into dist/. A line `# mlspec:include NAME` stands for the text of
// that file of the same folder: one copy of code that several programs share.
import { readFileSync } from 'node:fs';

const INCLUDE = /^# mlspec:include ([\w.-]+\.py)\n/gm;

/** The program `name` from the `python/` folder next to `module` (pass `import.meta.url`). */
export function pythonProgram(module: string, name: string): string {
  const dir = new URL('./python/', module);
  const read = (file: string) => readFileSync(new URL(file, dir), 'utf8');
  return read(name).replace(INCLUDE, (_, included: string) => read(included));
}
