// The syntax tree as JSON in OPA's AST shape (`opa parse --format json`), for
// `rego.parse_module`: terms are {"type": ..., "value": ...}, modules have "package",
// "imports" and "rules".
import type { RegoNumber } from '../number.js';
import type { Body, Expr, Import, Module, Rule, Term } from './nodes.js';

/** JSON data, except that numbers keep every digit (a BigNum passes through `fromJS` as is). */
type Json = null | boolean | RegoNumber | string | Json[] | { [k: string]: Json };

const OPERATORS: Record<string, string> = { unify: 'eq', assign: 'assign' };

function ref(names: readonly string[]): Json {
  return {
    type: 'ref',
    value: names.map((n, i) => (i === 0 ? { type: 'var', value: n } : { type: 'string', value: n })),
  };
}

export function termToJSON(t: Term): Json {
  switch (t.type) {
    case 'scalar': {
      const v = t.value;
      if (v === null) return { type: 'null' };
      if (typeof v === 'boolean') return { type: 'boolean', value: v };
      if (typeof v === 'string') return { type: 'string', value: v };
      // Numbers are kept exactly, as OPA's json.Number keeps `1e1000`.
      return { type: 'number', value: v };
    }
    case 'var':
      return { type: 'var', value: t.name };
    case 'ref':
      return { type: 'ref', value: [termToJSON(t.head), ...t.path.map(termToJSON)] };
    case 'array':
      return { type: 'array', value: t.items.map(termToJSON) };
    case 'set':
      return { type: 'set', value: t.items.map(termToJSON) };
    case 'object':
      return { type: 'object', value: t.entries.map(([k, v]) => [termToJSON(k), termToJSON(v)]) };
    case 'call':
      return { type: 'call', value: [ref(t.name.split('.')), ...t.args.map(termToJSON)] };
    case 'arraycomp':
      return { type: 'arraycomprehension', value: { term: termToJSON(t.term), body: bodyToJSON(t.body) } };
    case 'setcomp':
      return { type: 'setcomprehension', value: { term: termToJSON(t.term), body: bodyToJSON(t.body) } };
    case 'objectcomp':
      return {
        type: 'objectcomprehension',
        value: { key: termToJSON(t.key), value: termToJSON(t.value), body: bodyToJSON(t.body) },
      };
    case 'template':
      return {
        type: 'templatestring',
        value: t.parts.map((p) => (typeof p === 'string' ? { type: 'string', value: p } : exprToJSON(p, 0))),
      };
  }
}

function exprToJSON(e: Expr, index: number): Json {
  const x = e.expr;
  let terms: Json;
  switch (x.kind) {
    case 'term':
      terms =
        x.term.type === 'call' ? [ref(x.term.name.split('.')), ...x.term.args.map(termToJSON)] : termToJSON(x.term);
      break;
    case 'unify':
    case 'assign':
      terms = [ref([OPERATORS[x.kind]!]), termToJSON(x.left), termToJSON(x.right)];
      break;
    case 'some':
      terms = { type: 'somedecl', value: x.vars.map(termToJSON) };
      break;
    case 'somein':
      terms = {
        type: 'somedecl',
        value: [
          {
            type: 'call',
            value: [
              ref(['internal', x.key ? 'member_3' : 'member_2']),
              ...(x.key ? [termToJSON(x.key)] : []),
              termToJSON(x.value),
              termToJSON(x.domain),
            ],
          },
        ],
      };
      break;
    case 'every':
      terms = {
        type: 'every',
        value: {
          ...(x.key ? { key: termToJSON(x.key) } : {}),
          value: termToJSON(x.value),
          domain: termToJSON(x.domain),
          body: bodyToJSON(x.body),
        },
      };
      break;
  }
  const out: { [k: string]: Json } = { index, terms };
  if (e.negated) out.negated = true;
  if (e.withs.length > 0) out.with = e.withs.map((w) => ({ target: termToJSON(w.target), value: termToJSON(w.value) }));
  return out;
}

function bodyToJSON(b: Body): Json {
  return b.map((e, i) => exprToJSON(e, i));
}

function ruleToJSON(r: Rule): Json {
  const name = r.ref[0]!.type === 'var' ? r.ref[0]!.name : '';
  const head: { [k: string]: Json } = { name, ref: [{ type: 'var', value: name }, ...r.ref.slice(1).map(termToJSON)] };
  if (r.args) head.args = r.args.map(termToJSON);
  if (r.key) head.key = termToJSON(r.key);
  if (r.value) head.value = termToJSON(r.value);
  if (r.assign) head.assign = true;
  const out: { [k: string]: Json } = { head, body: bodyToJSON(r.body) };
  if (r.isDefault) out.default = true;
  if (r.else) out.else = ruleToJSON(r.else);
  return out;
}

function importToJSON(i: Import): Json {
  const out: { [k: string]: Json } = { path: ref(i.path) };
  if (i.alias) out.alias = i.alias;
  return out;
}

export function moduleToJSON(m: Module): Json {
  return {
    package: { path: [{ type: 'var', value: 'data' }, ...m.pkg.map((p) => ({ type: 'string', value: p }))] },
    ...(m.imports.length > 0 ? { imports: m.imports.map(importToJSON) } : {}),
    ...(m.rules.length > 0 ? { rules: m.rules.map(ruleToJSON) } : {}),
  };
}
