// Static checks after parsing, as Jsonnet makes them before evaluating anything: unknown
// variables, `self`/`super`/`$` outside an object, duplicate parameters, locals and fields.
// Each variable is resolved to the frame and slot the evaluator will find it in, so the scopes
// walked here must be exactly the environments `evaluate.ts` builds.
import type { Bind, CompSpec, Node, Param } from './ast.js';
import { staticError } from './errors.js';

interface Scope {
  readonly names: readonly string[];
  readonly up: Scope | null;
}

/** The root scope of every file: the standard library. */
export const ROOT_NAMES = ['std'] as const;

export function analyze(root: Node): void {
  visit(root, { names: ROOT_NAMES, up: null }, false);
}

function push(names: readonly string[], up: Scope): Scope {
  return { names, up };
}

function resolve(node: Extract<Node, { k: 'var' }>, scope: Scope): void {
  let hops = 0;
  for (let s: Scope | null = scope; s; s = s.up, hops++) {
    const index = s.names.lastIndexOf(node.name);
    if (index >= 0) {
      node.hops = hops;
      node.index = index;
      return;
    }
  }
  throw staticError(`Unknown variable: ${node.name}`, node.loc);
}

function uniqueBinds(binds: readonly Bind[]): void {
  const seen = new Set<string>();
  for (const b of binds) {
    if (seen.has(b.name)) throw staticError(`Duplicate local var: ${b.name}`, b.loc);
    seen.add(b.name);
  }
}

function functionScope(params: readonly Param[], scope: Scope, loc: Node['loc']): Scope {
  const names = params.map((p) => p.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw staticError(`Duplicate function parameter: ${dup}`, loc);
  return push(names, scope);
}

/** The scope after a comprehension's `for`s and `if`s, checking each source and condition. */
function compScope(specs: readonly CompSpec[], scope: Scope, inObject: boolean): Scope {
  let s = scope;
  for (const spec of specs) {
    if (spec.kind === 'for') {
      visit(spec.source, s, inObject);
      s = push([spec.name], s);
    } else visit(spec.cond, s, inObject);
  }
  return s;
}

function visit(node: Node, scope: Scope, inObject: boolean): void {
  switch (node.k) {
    case 'literal':
    case 'import':
      return;
    case 'self':
      if (!inObject) throw staticError("Can't use self outside of an object.", node.loc);
      return;
    case 'dollar':
      if (!inObject) throw staticError("Can't use $ outside of an object.", node.loc);
      return;
    case 'var':
      return resolve(node, scope);
    case 'array':
      for (const item of node.items) visit(item, scope, inObject);
      return;
    case 'arrayComp':
      visit(node.body, compScope(node.specs, scope, inObject), inObject);
      return;
    case 'object': {
      const seen = new Set<string>();
      for (const f of node.fields) {
        if (typeof f.name === 'string') {
          if (seen.has(f.name)) throw staticError(`duplicate field: ${f.name}`, f.loc);
          seen.add(f.name);
        } else visit(f.name, scope, inObject);
      }
      const inner = push(
        node.locals.map((l) => l.name),
        scope,
      );
      for (const l of node.locals) visit(l.body, inner, true);
      for (const f of node.fields) visit(f.body, inner, true);
      for (const a of node.asserts) {
        visit(a.cond, inner, true);
        if (a.message) visit(a.message, inner, true);
      }
      return;
    }
    case 'objectComp': {
      const comp = compScope(node.specs, scope, inObject);
      visit(node.key, comp, inObject);
      const inner = push(
        node.locals.map((l) => l.name),
        comp,
      );
      for (const l of node.locals) visit(l.body, inner, true);
      visit(node.value, inner, true);
      return;
    }
    case 'index':
      visit(node.target, scope, inObject);
      visit(node.index, scope, inObject);
      return;
    case 'superIndex':
      if (!inObject) throw staticError("Can't use super outside of an object.", node.loc);
      visit(node.index, scope, inObject);
      return;
    case 'inSuper':
      if (!inObject) throw staticError("Can't use super outside of an object.", node.loc);
      visit(node.name, scope, inObject);
      return;
    case 'slice':
      visit(node.target, scope, inObject);
      for (const part of [node.start, node.end, node.step]) if (part) visit(part, scope, inObject);
      return;
    case 'apply': {
      visit(node.fn, scope, inObject);
      for (const a of node.args) visit(a, scope, inObject);
      const named = new Set<string>();
      for (const a of node.named) {
        if (named.has(a.name)) throw staticError(`Duplicate named argument: ${a.name}`, a.value.loc);
        named.add(a.name);
        visit(a.value, scope, inObject);
      }
      return;
    }
    case 'binary':
      visit(node.left, scope, inObject);
      visit(node.right, scope, inObject);
      return;
    case 'unary':
      visit(node.operand, scope, inObject);
      return;
    case 'if':
      visit(node.cond, scope, inObject);
      visit(node.then, scope, inObject);
      if (node.else) visit(node.else, scope, inObject);
      return;
    case 'local': {
      uniqueBinds(node.binds);
      const inner = push(
        node.binds.map((b) => b.name),
        scope,
      );
      for (const b of node.binds) visit(b.body, inner, inObject);
      visit(node.body, inner, inObject);
      return;
    }
    case 'function': {
      const inner = functionScope(node.params, scope, node.loc);
      for (const p of node.params) if (p.default) visit(p.default, inner, inObject);
      visit(node.body, inner, inObject);
      return;
    }
    case 'assert':
      visit(node.cond, scope, inObject);
      if (node.message) visit(node.message, scope, inObject);
      visit(node.rest, scope, inObject);
      return;
    case 'error':
      visit(node.value, scope, inObject);
      return;
  }
}
