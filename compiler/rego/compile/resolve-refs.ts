// Stage ResolveRefs: names become absolute. A var naming a rule of the module's package
// becomes `data.<pkg>.<name>`, an import alias becomes the imported ref, and function names
// are made absolute the same way; builtin names stay as written. Vars the rule declares
// (`:=`, `some`, `every`, function arguments) are local and never resolved; a comprehension's
// declarations are local to the comprehension (so they shadow an import only inside it).
import type { Body, Expr, ExprKind, Module, Rule, Term, VarTerm } from '../ast/nodes.js';
import { RegoError } from '../errors.js';
import { mapChildren, varNames } from './walk.js';

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
}

/** Names declared in the enclosing bodies, innermost last (OPA's declaredVarStack). */
type Ignore = readonly ReadonlySet<string>[];

const declaredIn = (ignore: Ignore, name: string) => ignore.some((s) => s.has(name));

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
function resolveName(name: string, s: Scope, ignore: Ignore): readonly string[] | undefined {
  if (name === 'input' || name === 'data' || declaredIn(ignore, name)) return undefined;
  const imported = s.imports.get(name);
  if (imported) return imported;
  if (s.rules.has(name)) return ['data', ...s.pkg, name];
  return undefined;
}

function resolveCallName(name: string, s: Scope, ignore: Ignore): string {
  const dot = name.indexOf('.');
  const first = dot < 0 ? name : name.slice(0, dot);
  const rest = dot < 0 ? '' : name.slice(dot);
  const path = resolveName(first, s, ignore);
  return path ? path.join('.') + rest : name;
}

/**
 * The vars a body declares with `:=` and `some` (its `every` bodies included), not those of
 * the comprehensions in it: a comprehension's declarations are local to it (OPA's
 * declaredVars, which stops at comprehensions).
 */
function declaredVars(body: Body): Set<string> {
  const out = new Set<string>();
  const visit = (e: Expr) => {
    const x = e.expr;
    if (x.kind === 'assign') for (const n of varNames(x.left, false)) out.add(n);
    if (x.kind === 'some') for (const v of x.vars) out.add(v.name);
    if (x.kind === 'somein') {
      for (const n of varNames(x.value, false)) out.add(n);
      if (x.key) for (const n of varNames(x.key, false)) out.add(n);
    }
    if (x.kind === 'every') x.body.forEach(visit);
  };
  body.forEach(visit);
  return out;
}

/** Resolves a term; comprehensions open a scope with their own declarations. */
function resolveTerm(t: Term, s: Scope, ignore: Ignore): Term {
  const r = (x: Term) => resolveTerm(x, s, ignore);
  switch (t.type) {
    case 'var': {
      const path = resolveName(t.name, s, ignore);
      return path ? refTo(path, t) : t;
    }
    case 'ref': {
      const head = r(t.head);
      const path = t.path.map(r);
      // A resolved head: flatten `data.pkg.p` + `.q` into one ref.
      return head.type === 'ref' ? { ...t, head: head.head, path: [...head.path, ...path] } : { ...t, head, path };
    }
    case 'array':
    case 'set':
    case 'object':
      return mapChildren(t, r);
    case 'call':
      return { ...t, name: resolveCallName(t.name, s, ignore), args: t.args.map(r) };
    case 'arraycomp':
    case 'setcomp': {
      const inner = [...ignore, declaredVars(t.body)];
      return { ...t, term: resolveTerm(t.term, s, inner), body: resolveBody(t.body, s, inner) };
    }
    case 'objectcomp': {
      const inner = [...ignore, declaredVars(t.body)];
      const key = resolveTerm(t.key, s, inner);
      return { ...t, key, value: resolveTerm(t.value, s, inner), body: resolveBody(t.body, s, inner) };
    }
    case 'template':
      return { ...t, parts: t.parts.map((p) => (typeof p === 'string' ? p : resolveExpr(p, s, ignore))) };
    default:
      return t;
  }
}

function resolveExpr(e: Expr, s: Scope, ignore: Ignore): Expr {
  const r = (t: Term) => resolveTerm(t, s, ignore);
  const x = e.expr;
  let expr: ExprKind;
  switch (x.kind) {
    case 'term':
      expr = { kind: 'term', term: r(x.term) };
      break;
    case 'unify':
    case 'assign':
      expr = { kind: x.kind, left: r(x.left), right: r(x.right) };
      break;
    case 'some':
      expr = x;
      break;
    case 'somein':
      expr = { kind: 'somein', key: x.key && r(x.key), value: r(x.value), domain: r(x.domain) };
      break;
    case 'every': {
      // The key and value are local to the every (its body's declarations are the rule's).
      const inner = [...ignore, varNames(x.key ? [x.key, x.value] : [x.value], false)];
      expr = { ...x, domain: resolveTerm(x.domain, s, inner), body: resolveBody(x.body, s, inner) };
      break;
    }
  }
  const withs = e.withs.map((w) => ({ ...w, target: r(w.target) as typeof w.target, value: r(w.value) }));
  return { ...e, expr, withs };
}

function resolveBody(body: Body, s: Scope, ignore: Ignore): Body {
  return body.map((e) => resolveExpr(e, s, ignore));
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

function resolveRule(rule: Rule, s: Scope): void {
  // Function arguments and the body's declarations are local (they shadow imports and rules).
  const ignore: Ignore = [varNames(rule.args ?? []), declaredVars(rule.body)];
  const r = (t: Term) => resolveTerm(t, s, ignore);
  rule.ref = [rule.ref[0]!, ...rule.ref.slice(1).map(r)];
  if (rule.args) rule.args = rule.args.map(r);
  if (rule.key) rule.key = r(rule.key);
  if (rule.value) rule.value = r(rule.value);
  rule.body = resolveBody(rule.body, s, ignore);
  if (rule.else) resolveRule(rule.else, s);
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
  return resolveBody(body, { pkg, imports: new Map(), rules }, [declaredVars(body)]);
}
