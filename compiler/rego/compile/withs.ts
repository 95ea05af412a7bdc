// Stage CheckWith: classifies each `with` target (input, data, or a function/builtin to
// replace) and notes when the value names a replacement function rather than a value.
import type { Body, Term, With } from '../ast/nodes.js';
import { lookupBuiltin } from '../builtins/table.js';
import { RegoError } from '../errors.js';
import type { Value } from '../value.js';
import type { Functions } from './functions.js';
import { walkBody } from './walk.js';

function refPath(t: Term): { root: string; path: Value[] | undefined; name: string | undefined } | undefined {
  if (t.type === 'var') return { root: t.name, path: [], name: t.name };
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
  const path: Value[] = [];
  let ground = true;
  for (const p of t.path) {
    if (p.type === 'scalar') path.push(p.value);
    else ground = false;
  }
  const names = path.every((p) => typeof p === 'string') ? [t.head.name, ...(path as string[])].join('.') : undefined;
  return { root: t.head.name, path: ground ? path : undefined, name: ground ? names : undefined };
}

export function checkWiths(body: Body, functions: Functions, errors: RegoError[]): void {
  const visitExprWiths = (withs: With[]) => {
    for (const w of withs) classify(w, functions, errors);
  };
  for (const e of body) visitExprWiths(e.withs);
  walkBody(body, (t) => {
    if (t.type === 'arraycomp' || t.type === 'setcomp' || t.type === 'objectcomp')
      for (const e of t.body) visitExprWiths(e.withs);
  });
  for (const e of body) if (e.expr.kind === 'every') checkWiths(e.expr.body, functions, errors);
}

function isFunctionName(name: string | undefined, functions: Functions): boolean {
  if (name === undefined) return false;
  return functions.userFunction(name) !== undefined || (lookupBuiltin(name) !== undefined && !name.startsWith('data.'));
}

function classify(w: With, functions: Functions, errors: RegoError[]): void {
  const target = refPath(w.target);
  if (!target || target.path === undefined) {
    errors.push(
      new RegoError('rego_type_error', 'with keyword target must be a reference to input, data or a function', w.loc),
    );
    return;
  }
  if (isFunctionName(target.name, functions)) {
    w.kind = 'func';
    w.func = target.name;
  } else if (target.root === 'input') {
    w.kind = 'input';
    w.path = target.path;
  } else if (target.root === 'data') {
    w.kind = 'data';
    w.path = target.path;
  } else {
    errors.push(
      new RegoError(
        'rego_compile_error',
        `with keyword target must reference existing input, data, or a function`,
        w.loc,
      ),
    );
    return;
  }
  const value = refPath(w.value);
  if (value && isFunctionName(value.name, functions)) w.replacement = value.name;
}
