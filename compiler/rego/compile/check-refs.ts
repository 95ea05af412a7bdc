// The type checker's ref check (OPA's refChecker): each key of a ref must be one the value
// before it can have, and vars used as keys take the type of those keys. `x := 1; x.a` and
// `p := {"a": 1}; p.b` (p a rule) are `undefined ref` errors, with OPA's explanation:
//   undefined ref: data.test.p.b
//   	data.test.p.b
//   	            ^
//   	            have: "b"
//   	            want (one of): ["a"]
import type { RefTerm, Term } from '../ast/nodes.js';
import { valueToString } from '../convert.js';
import { RegoError } from '../errors.js';
import { keysOf, type RegoType, select, T, typeToString, unifies, valuesOf } from '../types.js';
import { compare, type Value } from '../value.js';
import { sourceName } from './local-vars.js';
import { constKey, type TypeEnv, type TypeNode, VarKey } from './type-env.js';

type TypeOf = (t: Term) => RegoType | undefined;
type Unify = (t: Term, tpe: RegoType | undefined) => boolean;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Rego text of a term, as OPA prints it in messages (vars under their source names). */
export function termText(t: Term): string {
  switch (t.type) {
    case 'scalar':
      return valueToString(t.value);
    case 'var':
      return sourceName(t.name);
    case 'ref':
      return refText(t.head, t.path);
    case 'array':
      return `[${t.items.map(termText).join(', ')}]`;
    case 'set':
      return t.items.length === 0 ? 'set()' : `{${t.items.map(termText).join(', ')}}`;
    case 'object':
      return `{${t.entries.map(([k, v]) => `${termText(k)}: ${termText(v)}`).join(', ')}}`;
    case 'call':
      return `${t.name}(${t.args.map(termText).join(', ')})`;
    default:
      return '<closure>';
  }
}

function refText(head: Term, path: readonly Term[]): string {
  let out = termText(head);
  for (const p of path) {
    out +=
      p.type === 'scalar' && typeof p.value === 'string' && IDENT.test(p.value) ? `.${p.value}` : `[${termText(p)}]`;
  }
  return out;
}

/** `ref` up to (not including) path position `n` (0 is the head). */
const prefixText = (ref: RefTerm, n: number) => refText(ref.head, ref.path.slice(0, n - 1));

function oneOfText(values: readonly Value[]): string {
  return `[${values.map(valueToString).join(' ')}]`;
}

function invalid(ref: RefTerm, pos: number, have: RegoType | undefined, want: RegoType | undefined, oneOf: Value[]) {
  const text = refText(ref.head, ref.path);
  const pad = ' '.repeat(prefixText(ref, pos).length + 1);
  const lines = [text, `${pad}^`];
  lines.push(
    have !== undefined ? `${pad}have (type): ${typeToString(have)}` : `${pad}have: ${termText(ref.path[pos - 1]!)}`,
  );
  lines.push(
    oneOf.length > 0 ? `${pad}want (one of): ${oneOfText(oneOf)}` : `${pad}want (type): ${typeToString(want)}`,
  );
  return new RegoError('rego_type_error', `undefined ref: ${text}`, ref.loc, undefined, lines);
}

function unsupported(ref: RefTerm, pos: number, have: RegoType | undefined) {
  const text = refText(ref.head, ref.path);
  const lines = [text, '^'.repeat(prefixText(ref, pos + 1).length)];
  lines.push(`have: ${typeToString(have)}`);
  return new RegoError('rego_type_error', `undefined ref: ${text}`, ref.loc, undefined, lines);
}

/** The constant keys below a type-tree node (vars in rule heads are no keys one can write). */
function childKeys(node: TypeNode): Value[] {
  return sortedKeys([...node.children.values()].flatMap((c) => (c.key instanceof VarKey ? [] : [c.key])));
}

function sortedKeys(keys: Value[]): Value[] {
  const out: Value[] = [];
  for (const k of keys.sort(compare)) if (out.length === 0 || compare(out[out.length - 1]!, k) !== 0) out.push(k);
  return out;
}

/** The keys an object type (or objects in an `any`) is known to have, for messages. */
function knownKeys(t: RegoType | undefined): Value[] {
  if (t?.kind === 'object') return sortedKeys((t.static ?? []).map(([k]) => k));
  if (t?.kind === 'any') return sortedKeys((t.of ?? []).flatMap(knownKeys));
  return [];
}

const isLocal = (t: Term): t is Extract<Term, { type: 'var' }> =>
  t.type === 'var' && t.name !== 'input' && t.name !== 'data';

/** Checks one ref, typing the vars used as its keys; returns the error it finds, if any. */
export function checkRef(env: TypeEnv, ref: RefTerm, typeOf: TypeOf, unify1: Unify): RegoError | undefined {
  const head = ref.head;
  if (head.type === 'var' && head.name === 'data') {
    // Before any rule has a type, all of data is base data (OPA has no `data` node yet).
    if (env.data.children.size === 0) return checkLeaf(env, T.any, ref, 0, typeOf, unify1);
    return checkData(env, env.data, ref, 0, typeOf, unify1);
  }
  if (head.type === 'var' && head.name === 'input') return checkLeaf(env, T.any, ref, 0, typeOf, unify1);
  let t = typeOf(head);
  if (t === undefined) {
    // A var of unknown type (bound by this ref, say) can be anything.
    if (isLocal(head)) env.setVar(head.name, T.any);
    t = T.any;
  }
  return checkLeaf(env, t, ref, 0, typeOf, unify1);
}

/** Keys through the rule tree's types: known documents are checked, unknown ones are base data. */
function checkData(
  env: TypeEnv,
  node: TypeNode,
  ref: RefTerm,
  i: number,
  typeOf: TypeOf,
  unify1: Unify,
): RegoError | undefined {
  if (i === ref.path.length) return undefined;
  const seg = ref.path[i]!;
  // `data.x.y` starts with a package path: strings (or vars) only.
  if (i < 2 && !(seg.type === 'var' || (seg.type === 'scalar' && typeof seg.value === 'string'))) {
    const keys = childKeys(node);
    return invalid(ref, i + 1, typeOf(seg), T.string, keys);
  }
  if (isLocal(seg)) {
    const tpe = keysOf(node.extent());
    const exist = env.varType(seg.name);
    if (exist === undefined) env.setVar(seg.name, tpe);
    else if (!unifies(tpe, exist)) {
      const keys = childKeys(node);
      return invalid(ref, i + 1, exist, tpe, keys);
    }
  }
  const key = constKey(seg);
  const child = key === undefined ? undefined : node.child(key);
  if (!child) {
    // A key rules do not define: base data, or any of the children (not checked further).
    for (const c of node.children.values()) checkData(env, c, ref, i + 1, typeOf, unify1);
    return undefined;
  }
  if (child.leaf) return checkLeaf(env, child.value!, ref, i + 1, typeOf, unify1);
  return checkData(env, child, ref, i + 1, typeOf, unify1);
}

/** Keys into a value of type `t`, from path position `i`. */
function checkLeaf(
  env: TypeEnv,
  t: RegoType | undefined,
  ref: RefTerm,
  i: number,
  typeOf: TypeOf,
  unify1: Unify,
): RegoError | undefined {
  for (; i < ref.path.length; i++) {
    const seg = ref.path[i]!;
    const keys = keysOf(t);
    if (keys === undefined) return unsupported(ref, i, t);
    const key = constKey(seg);
    if (isLocal(seg)) {
      const exist = env.varType(seg.name);
      if (exist === undefined) env.setVar(seg.name, keys);
      else if (!unifies(exist, keys)) return invalid(ref, i + 1, exist, keys, knownKeys(t));
    } else if (key !== undefined) {
      const child = select(t, key);
      if (child === undefined) return invalid(ref, i + 1, undefined, keys, knownKeys(t));
      t = child;
      continue;
    } else if (seg.type === 'array' || seg.type === 'object' || seg.type === 'set') {
      if (!unify1(seg, keys)) return invalid(ref, i + 1, typeOf(seg), keys, []);
    } else {
      const exist = typeOf(seg);
      if (exist !== undefined && !unifies(exist, keys)) return invalid(ref, i + 1, exist, keys, knownKeys(t));
    }
    t = valuesOf(t);
  }
  return undefined;
}
