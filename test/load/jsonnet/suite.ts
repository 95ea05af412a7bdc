// Jsonnet's own test programs (test_suite/ of the Jsonnet 0.20 sources, shipped inside the
// @hanazuki/node-jsonnet devDependency and read in place): each *.jsonnet with its expected
// output (*.golden, else `true`), run as upstream's run_tests.sh runs them, with the same
// external variables and top-level arguments.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  type EvaluateOptions,
  evaluateToJsonText,
  type Importer,
  importError,
  isJsonnetError,
} from '../../../compiler/load/jsonnet/engine.js';

const PACKAGE_SUITE = 'node_modules/@hanazuki/node-jsonnet/third_party/jsonnet/test_suite';

/** The suite in the repository's node_modules (found from here, run from test/ or dist/test/). */
export const SUITE = ((): string => {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'node_modules'))) return join(dir, PACKAGE_SUITE);
  }
  return resolve(PACKAGE_SUITE);
})();

export const suiteExists = (): boolean => existsSync(join(SUITE, 'stdlib.jsonnet'));

export function suitePrograms(): string[] {
  return readdirSync(SUITE)
    .filter((f) => f.endsWith('.jsonnet'))
    .sort();
}

/** Imports as the jsonnet command resolves them: relative to the importing file. */
export const suiteImporter: Importer = (r) => {
  const path = resolve(dirname(r.fromKey), r.path);
  if (!existsSync(path)) {
    throw importError(
      `couldn't open import ${JSON.stringify(r.path)}: no match locally or in the Jsonnet library paths.`,
      r.loc,
    );
  }
  const bytes = readFileSync(path);
  return { key: path, display: relative(SUITE, path), text: bytes.toString('utf8'), bytes };
};

export interface Outcome {
  readonly ok: boolean;
  /** What happened, for the failure list. */
  readonly got: string;
}

/** `file:line:col` of a message line, without the end of the range (`-40`, `-(22:5)`). */
function normalize(line: string): string {
  return line
    .replace(/:\((\d+):(\d+)\)-\(\d+:\d+\)/g, ':$1:$2')
    .replace(/(:\d+:\d+)-\d+/g, '$1')
    .trim();
}

/**
 * A program passes when its output is byte-identical to the golden file, or, for `error.*`
 * programs, when it fails with the golden's message and at the golden's position (the first
 * trace line; positions inside upstream's std.jsonnet are not compared, as its stdlib is
 * Jsonnet code where ours is native).
 */
export function runProgram(name: string): Outcome {
  const goldenFile = join(SUITE, `${name}.golden`);
  const golden = existsSync(goldenFile) ? readFileSync(goldenFile, 'utf8').replace(/\n$/, '') : 'true';
  const traces: string[] = [];
  const external = { var1: { string: 'test' }, var2: { code: '{x:1,y:2}' } };
  const options: EvaluateOptions = {
    file: name,
    key: join(SUITE, name),
    text: readFileSync(join(SUITE, name), 'utf8'),
    importer: suiteImporter,
    trace: (message, loc) => traces.push(`TRACE: ${loc.file}:${loc.line} ${message}`),
    ...(name.startsWith('tla.') ? { tlas: external } : { extVars: external }),
  };
  let output: string;
  try {
    const result = evaluateToJsonText(options);
    output = [...traces, result].join('\n');
  } catch (e) {
    if (!isJsonnetError(e)) return { ok: false, got: `crash: ${String(e)}` };
    const mine = e.render().split('\n');
    const want = golden.split('\n');
    if (!name.startsWith('error.')) return { ok: false, got: mine[0]! };
    if (normalize(mine[0]!) !== normalize(want[0]!)) return { ok: false, got: mine[0]! };
    const at = want[1]?.trim().split('\t')[0];
    if (e.kind !== 'static' && at && !at.startsWith('std.jsonnet')) {
      const mineAt = mine[1]?.trim().split('\t')[0] ?? '';
      if (normalize(at) !== normalize(mineAt)) return { ok: false, got: `${mine[0]} at ${mineAt}` };
    }
    return { ok: true, got: mine[0]! };
  }
  if (name.startsWith('error.')) return { ok: false, got: 'no error' };
  return { ok: output === golden, got: output.slice(0, 200) };
}
