// Loads policy files the way `opa eval -d` / `opa test` do: `.rego` files are modules; `.json`,
// `.yaml` and `.yml` files are data. A data file found inside a directory argument is placed
// at the path of its folder below that directory (dir/k8s/data.json → data.k8s); a data file
// given directly is merged at the root, so its top level must be an object. Objects merge; any
// other overlap is an error. Input files (`opa eval -i`) are read by the same parser.
import { readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { parse as parseYAML } from 'yaml';
import type { ModuleSource } from './policy-engine.js';
import { RegoError } from './errors.js';
import { JSONSyntaxError, parseJSON } from './json.js';
import { fromJS, ObjectValue, typeName, type Value } from './value.js';

export interface LoadedFiles {
  readonly modules: ModuleSource[];
  readonly data: ObjectValue;
  readonly errors: RegoError[];
}

const DATA_EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/** Reads every path (files or directories, recursively); names in locations are relative to `cwd`. */
export function loadPolicyPaths(paths: readonly string[], cwd: string): LoadedFiles {
  const modules: ModuleSource[] = [];
  const errors: RegoError[] = [];
  let data = new ObjectValue();
  const display = (abs: string) => displayName(cwd, abs);
  const addData = (file: string, prefix: readonly string[]) => {
    const name = display(file);
    const read = readDocument(file, name);
    if ('error' in read) {
      errors.push(read.error);
      return;
    }
    const at = { file: name, line: 1, column: 1 };
    if (prefix.length === 0 && !(read.value instanceof ObjectValue)) {
      const hint = 'put the value under a key (`{"items": [...]}`), or in a folder named for its path';
      const message = `data file ${name} must hold an object at its top level, not a ${typeName(read.value)}`;
      errors.push(new RegoError('rego_compile_error', message, at, hint));
      return;
    }
    const merged = mergeAt(data, prefix, read.value);
    if (merged === undefined)
      errors.push(new RegoError('rego_compile_error', `data from ${name} conflicts with data loaded before it`, at));
    else data = merged;
  };
  const visit = (abs: string, root: string | undefined) => {
    const ext = extname(abs).toLowerCase();
    if (ext === '.rego') modules.push({ file: display(abs), source: readFileSync(abs, 'utf8') });
    else if (DATA_EXTENSIONS.has(ext)) {
      const prefix = root === undefined ? [] : relative(root, join(abs, '..')).split(sep).filter(Boolean);
      addData(abs, prefix);
    }
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let stat: Stats;
    try {
      stat = statSync(abs);
    } catch {
      errors.push(new RegoError('rego_compile_error', `${p}: no such file or directory`));
      continue;
    }
    if (stat.isDirectory()) for (const f of walk(abs)) visit(f, abs);
    else visit(abs, undefined);
  }
  return { modules, data, errors };
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * A JSON or YAML document (by extension; anything but `.json` is read as YAML, which JSON also
 * is), or why it cannot be read. `name` is the file's name in messages.
 */
function readDocument(file: string, name: string): { value: Value } | { error: RegoError } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return { error: new RegoError('rego_compile_error', `cannot read ${name} (${code})`) };
  }
  const json = extname(file).toLowerCase() === '.json';
  try {
    return { value: json ? parseJSON(text) : fromJS(parseYAML(text, { maxAliasCount: 100 }) ?? {}) };
  } catch (e) {
    if (e instanceof RangeError) {
      const message = `${name} is nested too deeply to read`;
      return { error: new RegoError('eval_limit_error', message, { file: name, line: 1, column: 1 }) };
    }
    const at =
      e instanceof JSONSyntaxError
        ? { file: name, line: e.line, column: e.column }
        : { file: name, line: yamlLine(e) ?? 1, column: 1 };
    const what = json ? 'JSON' : 'JSON or YAML';
    return { error: new RegoError('rego_parse_error', `${name} is not valid ${what}: ${(e as Error).message}`, at) };
  }
}

function yamlLine(e: unknown): number | undefined {
  return (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
}

/** The input document of `opa eval -i FILE` (JSON or YAML), or the error to report. */
export function loadInputFile(path: string, cwd: string): { value: Value } | { error: RegoError } {
  const abs = resolve(cwd, path);
  return readDocument(abs, displayName(cwd, abs));
}

/** A file's name in messages: relative to `cwd` when below it. */
function displayName(cwd: string, abs: string): string {
  const r = relative(cwd, abs);
  return r && !r.startsWith('..') ? r : abs;
}

/** `base` with `value` merged at `path`; undefined on a conflict. */
export function mergeAt(base: ObjectValue, path: readonly string[], value: Value): ObjectValue | undefined {
  let wrapped = value;
  for (let i = path.length - 1; i >= 0; i--) wrapped = new ObjectValue().put(path[i]!, wrapped);
  const merged = merge(base, wrapped);
  return merged instanceof ObjectValue ? merged : undefined;
}

function merge(a: Value, b: Value): Value | undefined {
  if (!(a instanceof ObjectValue) || !(b instanceof ObjectValue)) return undefined;
  const out = ObjectValue.of(a.entries());
  for (const [k, v] of b.entries()) {
    const cur = out.get(k);
    if (cur === undefined) {
      out.put(k, v);
      continue;
    }
    const m = merge(cur, v);
    if (m === undefined) return undefined;
    out.put(k, m);
  }
  return out;
}
