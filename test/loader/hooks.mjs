// Module hooks: `./x.js` imported from a .ts file resolves to `./x.ts` when only that exists
// (the sources import with .js extensions, as the build output needs), and .ts files are
// transpiled with the project's TypeScript, module by module, without type checking. Output is
// cached under node_modules/.cache by file content: loading the compiler takes seconds on a busy
// machine, and every worker thread of every test would pay it again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = fileURLToPath(new URL('../../node_modules/.cache/mlspec-ts-loader/', import.meta.url));
let ts;

export async function resolve(specifier, context, next) {
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const js = new URL(specifier, context.parentURL);
    const source = new URL(js.href.replace(/\.js$/, '.ts'));
    if (!existsSync(fileURLToPath(js)) && existsSync(fileURLToPath(source)))
      return { url: source.href, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  const text = readFileSync(file, 'utf8');
  const cached = join(CACHE, `${createHash('sha256').update(file).update('\0').update(text).digest('hex')}.js`);
  if (existsSync(cached)) return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  ts ??= createRequire(import.meta.url)('typescript');
  const out = ts.transpileModule(text, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  }).outputText;
  mkdirSync(CACHE, { recursive: true });
  const temporary = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(temporary, out);
  renameSync(temporary, cached);
  return { format: 'module', source: out, shortCircuit: true };
}
