// Stage ResolveRefs: names become absolute. A var naming a rule of the module's package
// becomes `data.<pkg>.<name>`, an import alias becomes the imported ref, and function names
// are made absolute the same way; builtin names stay as written. Vars the rule declares
// (`:=`, `some`, `every`, function arguments) are local and never resolved.
import type { Body, Expr, Module, Rule, Term, VarTerm } from '../ast/nodes.js';
import { RegoError } from '../errors.js';
import { headTerms, mapBody, mapTerm, walkBody, walkTerm, varNames } from './walk.js';

export interface PackageIndex {
  /** package path (joined by '.') → first segments of its rules' heads */
  readonly rootNames: Map<string, Set<string>>;
}

export function indexPackages(modules: readonly Module[]): PackageIndex {
  const rootNames = new Map<string, Set<string>>();
  for (const m of modules) {
    const key = m.pkg.join('.');
    const names = rootNames.get(key) ?? new Set<string>();
    for (const r of m.rules) names.add((r.ref[0] as VarTerm).name);
    rootNames.set(key, names);
  }
  return { rootNames };
}

interface Scope {
  readonly pkg: readonly string[];
  readonly imports: ReadonlyMap<string, readonly string[]>;
  readonly rules: ReadonlySet<string>;
  readonly ignore: ReadonlySet<string>;
}

function refTo(path: readonly string[], at: Term): Term {
  const [root, ...rest] = path;
  return {
    type: 'ref',
    head: { type: 'var', name: root!, loc: at.loc },
    path: rest.map((p) => ({ type: 'scalar', value: p, loc: at.loc })),
    loc: at.loc,
  };
}

/** The absolute path a bare name stands for, if any. */
function resolveName(name: string, s: Scope): readonly string[] | undefined {
  if (name === 'input' || name === 'data' || s.ignore.has(name)) return undefined;
  const imported = s.imports.get(name);
  if (imported) return imported;
  if (s.rules.has(name)) return ['data', ...s.pkg, name];
  return undefined;
}

/** The rewrite applied to every term, bottom-up (so a resolved ref head is flattened after). */
function resolver(s: Scope): (x: Term) => Term | undefined {
  return (x) => {
    if (x.type === 'var') {
      const path = resolveName(x.name, s);
      return path ? refTo(path, x) : undefined;
    }
    if (x.type === 'ref' && x.head.type === 'ref') {
      // A resolved head: flatten `data.pkg.p` + `.q` into one ref.
      return { ...x, head: x.head.head, path: [...x.head.path, ...x.path] };
    }
    if (x.type === 'call') {
      const name = resolveCallName(x.name, s);
      return name === x.name ? undefined : { ...x, name };
    }
    return undefined;
  };
}

export function resolveCallName(name: string, s: Scope): string {
  const dot = name.indexOf('.');
  const first = dot < 0 ? name : name.slice(0, dot);
  const rest = dot < 0 ? '' : name.slice(dot);
  const path = resolveName(first, s);
  return path ? path.join('.') + rest : name;
}

/** Every var the rule declares anywhere, comprehensions in its head included (OPA ignores
 * these when resolving). `params` are function arguments; `head` the other head terms. */
export function declaredVars(body: Body, params: readonly Term[] = [], head: readonly Term[] = []): Set<string> {
  const out = varNames(params);
  const visitExpr = (e: Expr) => {
    const x = e.expr;
    if (x.kind === 'assign') for (const n of varNames(x.left)) out.add(n);
    if (x.kind === 'some') for (const v of x.vars) out.add(v.name);
    if (x.kind === 'somein' || x.kind === 'every') {
      for (const n of varNames(x.value)) out.add(n);
      if (x.key) for (const n of varNames(x.key)) out.add(n);
    }
    if (x.kind === 'every') x.body.forEach(visitExpr);
  };
  body.forEach(visitExpr);
  const closures = (t: Term) => {
    if (t.type === 'arraycomp' || t.type === 'setcomp' || t.type === 'objectcomp') t.body.forEach(visitExpr);
  };
  walkBody(body, closures);
  for (const t of head) walkTerm(t, closures);
  return out;
}

function importMap(m: Module, errors: RegoError[]): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const imp of m.imports) {
    if (imp.path[0] !== 'data' && imp.path[0] !== 'input') continue;
    const alias = imp.alias ?? (imp.path.length > 1 ? imp.path[imp.path.length - 1]! : undefined);
    if (alias === undefined) continue; // `import data` / `import input` name themselves
    if (out.has(alias))
      errors.push(new RegoError('rego_compile_error', `import must not shadow import ${alias}`, imp.loc));
    out.set(alias, imp.path);
  }
  return out;
}

function resolveRule(rule: Rule, base: Omit<Scope, 'ignore'>): void {
  const ignore = declaredVars(rule.body, rule.args ?? [], headTerms(rule));
  const s: Scope = { ...base, ignore };
  const r = (t: Term) => mapTerm(t, resolver(s));
  rule.ref = [rule.ref[0]!, ...rule.ref.slice(1).map(r)];
  if (rule.args) rule.args = rule.args.map(r);
  if (rule.key) rule.key = r(rule.key);
  if (rule.value) rule.value = r(rule.value);
  rule.body = resolveBody(rule.body, s);
  if (rule.else) resolveRule(rule.else, base);
}

function resolveBody(body: Body, s: Scope): Body {
  return mapBody(body, resolver(s));
}

export function resolveRefs(modules: readonly Module[], index: PackageIndex, errors: RegoError[]): void {
  for (const m of modules) {
    const base = {
      pkg: m.pkg,
      imports: importMap(m, errors),
      rules: index.rootNames.get(m.pkg.join('.')) ?? new Set<string>(),
    };
    for (const rule of m.rules) resolveRule(rule, base);
  }
}

/** Resolves a query: no package, only the given imports (none by default). */
export function resolveQuery(body: Body, pkg: readonly string[] = [], rules: ReadonlySet<string> = new Set()): Body {
  const s: Scope = { pkg, imports: new Map(), rules, ignore: declaredVars(body) };
  return resolveBody(body, s);
}
