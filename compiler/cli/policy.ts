// `mlspec policy test|eval`: the counterparts of `opa test` and `opa eval`, over the embedded
// Rego engine (compiler/rego). A thin layer: load files, call the library, print, exit.
import {
  errorsJson,
  errorsText,
  fromJS,
  loadPolicyPaths,
  parseJSON,
  RegoEngine,
  type RegoVersion,
  renderTestJson,
  renderTestText,
  resultsJson,
  resultsPretty,
  runTests,
  summarize,
  type Value,
} from '../rego/engine.js';
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parse as parseYAML } from 'yaml';
import { EXIT, outputFormat, parseCommandArgs, UsageError, type CliIO, type Command } from './io.js';

const help = `Usage:
  mlspec policy test [PATH...] [-v] [--v0-compatible] [--format text|json] [--run REGEX]
  mlspec policy eval -d PATH... [-i INPUT] QUERY [--format json|pretty] [--fail] [--v0-compatible]

Run Rego policies with mlspec's embedded engine (no opa binary needed).

policy test   runs every rule named test_* (todo_* rules are skipped) in the .rego files
              under PATH (default: .), like \`opa test\`. Data files (.json, .yaml) are
              loaded as data: a file inside a directory argument goes under the path of
              its folder (dir/k8s/data.json is data.k8s).
policy eval   evaluates QUERY against the modules and data given with -d and the input
              document given with -i (JSON or YAML), like \`opa eval\`.

Options:
  -d, --data PATH      policy or data file or directory (eval; repeatable)
  -i, --input FILE     input document (eval)
  --format FORMAT      test: text (default) or json; eval: json (default, the shape of
                       \`opa eval --format json\`) or pretty
  --fail               eval: exit 1 when the query is undefined
  -v, --verbose        test: list every test, with its print() output
  --run REGEX          test: only tests whose path (data.pkg.test_x) matches
  --v0-compatible      parse modules as Rego v0 (pre-1.0 syntax: \`p[x] { ... }\`, no
                       \`if\`/\`contains\`); a v0 module with \`import rego.v1\` is read as v1.
                       Without this flag modules are Rego v1 (OPA 1.x).
  -h, --help           show this help

Exit codes: 0 ok; 1 a test failed or errored, or (with --fail) the query is undefined;
2 usage, parse, compile or evaluation errors.`;

function regoVersion(v0: boolean | undefined): RegoVersion {
  return v0 ? 0 : 1;
}

function loadEngine(paths: readonly string[], io: CliIO, v0: boolean | undefined, json: boolean): RegoEngine | number {
  const files = loadPolicyPaths(paths, io.cwd);
  if (files.errors.length > 0) {
    io.stderr(errorsText(files.errors));
    return EXIT.usage;
  }
  const engine = RegoEngine.load(files.modules, { data: files.data, regoVersion: regoVersion(v0) });
  if (!engine.ok) {
    if (json) io.stdout(errorsJson(engine.errors));
    else io.stderr(errorsText(engine.errors));
    return EXIT.usage;
  }
  return engine.value;
}

async function testCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    verbose: { type: 'boolean', short: 'v' },
    'v0-compatible': { type: 'boolean' },
    format: { type: 'string' },
    run: { type: 'string' },
  });
  const format = outputFormat(values.format, ['text', 'json']);
  let filter: RegExp | undefined;
  if (values.run !== undefined) {
    try {
      filter = new RegExp(values.run);
    } catch (e) {
      throw new UsageError(`invalid --run pattern: ${(e as Error).message}`);
    }
  }
  const engine = loadEngine(
    positionals.length > 0 ? positionals : ['.'],
    io,
    values['v0-compatible'],
    format === 'json',
  );
  if (typeof engine === 'number') return engine;
  const results = runTests(engine, { filter });
  if (results.length === 0) {
    io.stderr('mlspec policy test: no tests found (rules named test_*)\n');
    return EXIT.findings;
  }
  io.stdout(format === 'json' ? renderTestJson(results) : renderTestText(results, values.verbose ?? false));
  const s = summarize(results);
  return s.failed > 0 || s.errors > 0 ? EXIT.findings : EXIT.ok;
}

/** The input document, or what is wrong with its file (a problem of the file, not of usage). */
function readInput(path: string, io: CliIO): { value: Value } | { problem: string } {
  const file = resolve(io.cwd, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { problem: `cannot read input file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    const ext = extname(file).toLowerCase();
    return { value: ext === '.yaml' || ext === '.yml' ? fromJS(parseYAML(text)) : parseJSON(text) };
  } catch (e) {
    const format = extname(file) === '.json' ? 'JSON' : 'JSON or YAML';
    return { problem: `input file ${path} is not valid ${format}: ${(e as Error).message}` };
  }
}

async function evalCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    data: { type: 'string', short: 'd', multiple: true },
    input: { type: 'string', short: 'i' },
    format: { type: 'string' },
    fail: { type: 'boolean' },
    'v0-compatible': { type: 'boolean' },
  });
  const format = outputFormat(values.format ?? 'json', ['json', 'pretty']);
  if (positionals.length !== 1)
    throw new UsageError('give exactly one query, e.g. `mlspec policy eval -d policy.rego data.k8s.deny`');
  const read = values.input === undefined ? undefined : readInput(values.input, io);
  if (read && 'problem' in read) {
    io.stderr(`mlspec policy: ${read.problem}\n`);
    return EXIT.usage;
  }
  const input = read?.value;
  const engine = loadEngine(values.data ?? [], io, values['v0-compatible'], format === 'json');
  if (typeof engine === 'number') return engine;
  const query = engine.prepare(positionals[0]!);
  if (!query.ok) {
    if (format === 'json') io.stdout(errorsJson(query.errors));
    else io.stderr(errorsText(query.errors));
    return EXIT.usage;
  }
  const out = query.value.evaluate(input, { print: (line) => io.stderr(`${line}\n`), env: io.env });
  if (!out.ok) {
    if (format === 'json') io.stdout(errorsJson([out.error]));
    else io.stderr(errorsText([out.error]));
    return EXIT.usage;
  }
  io.stdout(format === 'json' ? resultsJson(out.results) : resultsPretty(out.results));
  return out.results.length === 0 && values.fail ? EXIT.findings : EXIT.ok;
}

export const policyCommand: Command = {
  name: 'policy',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === 'test') return testCommand(rest, io);
    if (sub === 'eval') return evalCommand(rest, io);
    throw new UsageError(
      sub === undefined ? 'give a subcommand: test or eval' : `unknown subcommand "${sub}": use test or eval`,
    );
  },
};
