// `mlspec policy test|eval|verify`: the counterparts of `opa test`, `opa eval` and `gator
// verify`, over the embedded Rego engine (compiler/rego) or an OPA Wasm bundle
// (compiler/policy/wasm). A thin layer: load files, call the library, print, exit.
import { isDirectory } from '../../core/files.js';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  asRegoError,
  type EvalOptions,
  errorsJson,
  errorsText,
  loadInputFile,
  loadPolicyPaths,
  RegoError,
  RegoEngine,
  type RegoVersion,
  renderTestJson,
  renderTestText,
  resultsJson,
  resultsPretty,
  runTests,
  summarize,
  toJS,
} from '../rego/engine.js';
import { BundleError, readBundleFile, type WasmBundle } from '../policy/wasm/bundle.js';
import { WasmEngine } from '../policy/wasm/wasm-engine.js';
import { type CaseResult, findSuites, runSuite, suitePath } from '../policy/gatekeeper/suite.js';
import { type CliIO, type Command, EXIT, outputFormat, parseCommandArgs, UsageError } from './io.js';

const help =
  `Usage:
  mlspec policy test [PATH...] [-v] [--v0-compatible] [--format text|json] [--run REGEX]
                     [--strict-builtin-errors] [--env NAME...]
  mlspec policy eval -d PATH... [-i INPUT] QUERY [--format json|pretty] [--fail] [--v0-compatible]
                     [--strict-builtin-errors] [--env NAME...]
  mlspec policy eval --bundle FILE [-d DATA...] [-i INPUT] ENTRYPOINT [--format json|pretty] [--fail]
                     [--strict-builtin-errors] [--env NAME...]
  mlspec policy verify [PATH...] [-v]

Run Rego policies with mlspec's embedded engine (no opa binary needed).

policy test   runs every rule named test_* (todo_* rules are skipped) in the .rego files
              under PATH (default: policies, the repository's policy folder), like \`opa test\`. ` +
  `Data files (.json, .yaml) are
              loaded as data: a file inside a directory argument goes under the path of
              its folder (dir/k8s/data.json is data.k8s).
policy eval   evaluates QUERY against the modules and data given with -d and the input
              document given with -i (JSON or YAML), like \`opa eval\`. With --bundle it
              evaluates ENTRYPOINT (\`example/allow\` or \`data.example.allow\`) of an OPA
              Wasm bundle (the .tar.gz of \`opa build -t wasm\`, or a bare .wasm) instead;
              -d then adds data files (.json, .yaml) beside the bundle's data.
policy verify runs the Gatekeeper test suites (YAML documents of \`kind: Suite\`) under
              PATH (default: .; gator's PATH/... too), like \`gator verify\`: each case
              reviews its object with the test's ConstraintTemplate and constraint and
              checks the assertions on the violations. Ends with \`N passed, N failed\`
              (cases). Templates whose only code is CEL (K8sNativeValidation) are
              unsupported: their cases fail.

Options:
  -d, --data PATH      policy or data file or directory (eval; repeatable)
  --bundle FILE        OPA Wasm bundle to evaluate (eval); builtins it imports from its host
                       run in mlspec's builtin table
  -i, --input FILE     input document (eval)
  --format FORMAT      test: text (default) or json; eval: json (default, the shape of
                       \`opa eval --format json\`) or pretty. Errors follow the format.
  --fail               eval: exit 1 when the query is undefined
  -v, --verbose        test: list every test, with its print() output; verify: every case
  --run REGEX          test: only tests whose path (data.pkg.test_x) matches
  --strict-builtin-errors
                       a builtin that fails (type error, bad argument) stops the evaluation
                       with its error, as in OPA; without it the call is undefined
  --env NAME           expose the environment variable NAME to policies (opa.runtime().env);
                       NAME* exposes every variable starting with NAME. Repeatable. By
                       default policies see no environment variable.
  --v0-compatible      parse modules as Rego v0 (pre-1.0 syntax: \`p[x] { ... }\`, no
                       \`if\`/\`contains\`); a v0 module with \`import rego.v1\` is read as v1.
                       Without this flag modules are Rego v1 (OPA 1.x).
  -h, --help           show this help

http.send never reaches the network: a call fails with an error (mock it in tests with
\`with http.send as ...\`). Evaluations stop with eval_limit_error beyond 30 s or 256 MiB of
built strings and collections (a bundle: 256 MiB of Wasm memory; a trap fails too).

Exit codes: 0 ok; 1 a test or suite case failed or errored, or (with --fail) the query is undefined;
2 usage, parse, compile or evaluation errors.`;

/** Options shared by test and eval. */
const common = {
  'v0-compatible': { type: 'boolean' },
  'strict-builtin-errors': { type: 'boolean' },
  env: { type: 'string', multiple: true },
} as const;

function regoVersion(v0: boolean | undefined): RegoVersion {
  return v0 ? 0 : 1;
}

/** The variables named with --env (NAME, or NAME* for a prefix); none by default. */
export function exposedEnv(env: CliIO['env'], names: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(name))
      throw new UsageError(`invalid --env ${JSON.stringify(name)}: give a variable name, or a prefix ending in *`);
    const prefix = name.endsWith('*') ? name.slice(0, -1) : undefined;
    for (const [k, v] of Object.entries(env)) {
      if (v !== undefined && (prefix === undefined ? k === name : k.startsWith(prefix))) out[k] = v;
    }
  }
  return out;
}

function report(errors: readonly RegoError[], io: CliIO, json: boolean): number {
  if (json) io.stdout(errorsJson(errors));
  else io.stderr(errorsText(errors));
  return EXIT.usage;
}

function loadEngine(paths: readonly string[], io: CliIO, v0: boolean | undefined, json: boolean): RegoEngine | number {
  const files = loadPolicyPaths(paths, io.cwd);
  if (files.errors.length > 0) return report(files.errors, io, json);
  const engine = RegoEngine.load(files.modules, { data: files.data, regoVersion: regoVersion(v0) });
  if (!engine.ok) return report(engine.errors, io, json);
  return engine.value;
}

/** `policies/` of the working folder: the repository's policies, never out/ or node_modules. */
function defaultPolicyFolder(io: CliIO): string[] {
  if (!isDirectory(join(io.cwd, 'policies')))
    throw new UsageError('no policies/ folder here: run it at the repository root, or give the policy folders');
  return ['policies'];
}

/** An OPA Wasm bundle with the data files given by -d (Rego files cannot join a compiled bundle). */
function loadBundle(file: string, data: readonly string[], io: CliIO, json: boolean): WasmEngine | number {
  const files = loadPolicyPaths(data, io.cwd);
  if (files.errors.length > 0) return report(files.errors, io, json);
  if (files.modules.length > 0)
    throw new UsageError(`-d ${files.modules[0]!.file}: a bundle is compiled; give only data files with --bundle`);
  let bundle: WasmBundle;
  try {
    bundle = readBundleFile(resolve(io.cwd, file), file);
  } catch (e) {
    if (e instanceof BundleError) return report([new RegoError('rego_compile_error', e.message)], io, json);
    throw e;
  }
  const engine = WasmEngine.load(bundle, { data: toJS(files.data) as Record<string, unknown> });
  if (!engine.ok) return report(engine.errors, io, json);
  return engine.value;
}

async function testCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...common,
    verbose: { type: 'boolean', short: 'v' },
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
  const env = exposedEnv(io.env, values.env);
  const engine = loadEngine(
    positionals.length > 0 ? positionals : defaultPolicyFolder(io),
    io,
    values['v0-compatible'],
    format === 'json',
  );
  if (typeof engine === 'number') return engine;
  const results = runTests(engine, { filter, env, strictBuiltinErrors: values['strict-builtin-errors'] });
  if (results.length === 0) {
    io.stderr('mlspec policy test: no tests found (rules named test_*)\n');
    return EXIT.findings;
  }
  io.stdout(format === 'json' ? renderTestJson(results) : renderTestText(results, values.verbose ?? false));
  const s = summarize(results);
  return s.failed > 0 || s.errors > 0 ? EXIT.findings : EXIT.ok;
}

async function evalCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...common,
    data: { type: 'string', short: 'd', multiple: true },
    input: { type: 'string', short: 'i' },
    format: { type: 'string' },
    fail: { type: 'boolean' },
    bundle: { type: 'string' },
  });
  const format = outputFormat(values.format ?? 'json', ['json', 'pretty']);
  const json = format === 'json';
  if (positionals.length !== 1)
    throw new UsageError('give exactly one query, e.g. `mlspec policy eval -d policy.rego data.k8s.deny`');
  const options: EvalOptions = {
    print: (line) => io.stderr(`${line}\n`),
    env: exposedEnv(io.env, values.env),
    strictBuiltinErrors: values['strict-builtin-errors'],
  };
  const read = values.input === undefined ? undefined : loadInputFile(values.input, io.cwd);
  if (read && 'error' in read) return report([read.error], io, json);
  if (values.bundle !== undefined && values['v0-compatible'])
    throw new UsageError('--v0-compatible does not apply to --bundle: a bundle is compiled already');
  const engine =
    values.bundle === undefined
      ? loadEngine(values.data ?? [], io, values['v0-compatible'], json)
      : loadBundle(values.bundle, values.data ?? [], io, json);
  if (typeof engine === 'number') return engine;
  const query = engine.prepare(positionals[0]!);
  if (!query.ok) return report(query.errors, io, json);
  const out = query.value.evaluate(read?.value, options);
  if (engine instanceof WasmEngine) engine.close();
  if (!out.ok) return report([out.error], io, json);
  let text: string;
  try {
    text = json ? resultsJson(out.results) : resultsPretty(out.results);
  } catch (e) {
    // A result too deeply nested to print is a limit, reported like any other error.
    return report([asRegoError(e)], io, json);
  }
  io.stdout(text);
  return out.results.length === 0 && values.fail ? EXIT.findings : EXIT.ok;
}

async function verifyCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { verbose: { type: 'boolean', short: 'v' } });
  const paths = positionals.length > 0 ? positionals : ['.'];
  for (const p of paths) if (!existsSync(resolve(io.cwd, suitePath(p)))) throw new UsageError(`${p} does not exist`);
  const { suites, outside } = findSuites(paths, io.cwd);
  for (const problem of outside) io.stderr(`mlspec policy verify: ${problem}\n`);
  if (outside.length > 0) return EXIT.findings;
  if (suites.length === 0) {
    io.stderr('mlspec policy verify: no Gatekeeper suites found (YAML documents of `kind: Suite`)\n');
    return EXIT.findings;
  }
  const results = suites.flatMap((s) => runSuite(s, io.cwd));
  io.stdout(renderVerify(results, values.verbose ?? false));
  return results.some((r) => r.status === 'fail') ? EXIT.findings : EXIT.ok;
}

function renderVerify(results: readonly CaseResult[], verbose: boolean): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.status === 'fail') lines.push(`FAIL ${r.suite}: ${r.test} / ${r.name}`, `  ${r.message ?? ''}`);
    else if (verbose) lines.push(`${r.status === 'pass' ? 'PASS' : 'SKIP'} ${r.suite}: ${r.test} / ${r.name}`);
  }
  const count = (s: CaseResult['status']) => results.filter((r) => r.status === s).length;
  if (count('skip') > 0) lines.push(`${count('skip')} skipped`);
  lines.push(`${count('pass')} passed, ${count('fail')} failed`);
  return `${lines.join('\n')}\n`;
}

export const policyCommand: Command = {
  name: 'policy',
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === 'test') return testCommand(rest, io);
    if (sub === 'eval') return evalCommand(rest, io);
    if (sub === 'verify') return verifyCommand(rest, io);
    throw new UsageError(
      sub === undefined
        ? 'give a subcommand: test, eval or verify'
        : `unknown subcommand "${sub}": use test, eval or verify`,
    );
  },
};
