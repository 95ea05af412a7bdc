// strings.render_template: Go's text/template over the variables object (as OPA passes it,
// through JSON: numbers print as written, sets are arrays). Supported: actions with fields,
// variables and pipelines; if/else if/else, range (with else), with; comments and trim markers;
// the builtin functions and, or, not, len, index, print, printf, println, eq, ne, lt, le, gt,
// ge, html, urlquery. A missing key prints `<undefined>`, as OPA reports it.
import { formatNumber } from '../number.js';
import { isNumber, ObjectValue, SetValue, type Value } from '../value.js';
import { valueToString } from '../convert.js';
import { objectArg, stringArg } from './args.js';
import { queryEscape } from './encoding.js';
import { goSprintf } from './sprintf.js';
import { BuiltinError, declare, implement } from './table.js';
import { T } from '../types.js';

type Item = { kind: 'text'; text: string } | { kind: 'action'; body: string };

/** Splits the template into text and actions, applying `{{-` / `-}}` trimming. */
function lex(src: string): Item[] {
  const items: Item[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      items.push({ kind: 'text', text: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src.startsWith('- ', start) || src.startsWith('-\t', start) || src.startsWith('-\n', start)) {
      text = text.replace(/\s+$/, '');
      start++;
    }
    if (text) items.push({ kind: 'text', text });
    const close = src.indexOf('}}', start);
    if (close < 0) throw new BuiltinError('template: template:1: unclosed action');
    let body = src.slice(start, close);
    i = close + 2;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      const m = /^\s*/.exec(src.slice(i))!;
      i += m[0].length;
    }
    body = body.trim();
    if (body.startsWith('/*')) continue;
    items.push({ kind: 'action', body });
  }
  return items;
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'print'; pipe: string }
  | { kind: 'if' | 'with'; branches: { cond: string; body: Node[] }[]; otherwise?: Node[] }
  | { kind: 'range'; pipe: string; vars: string[]; body: Node[]; otherwise?: Node[] };

/** Builds the tree of control structures. */
function parse(items: Item[]): Node[] {
  let pos = 0;
  const block = (ends: string[]): [Node[], string] => {
    const out: Node[] = [];
    while (pos < items.length) {
      const it = items[pos++]!;
      if (it.kind === 'text') {
        out.push(it);
        continue;
      }
      const word = /^\w+/.exec(it.body)?.[0] ?? '';
      if (ends.includes(word) || (word === 'else' && ends.includes('else'))) return [out, it.body];
      if (word === 'if' || word === 'with') {
        const node: Extract<Node, { kind: 'if' | 'with' }> = { kind: word, branches: [] };
        let cond = it.body.slice(word.length).trim();
        for (;;) {
          const [body, end] = block(['end', 'else']);
          node.branches.push({ cond, body });
          if (end.startsWith('else if') || end.startsWith('else with')) {
            cond = end.replace(/^else\s+\w+/, '').trim();
            continue;
          }
          if (end === 'else') node.otherwise = block(['end'])[0];
          break;
        }
        out.push(node);
      } else if (word === 'range') {
        let pipe = it.body.slice(5).trim();
        const decl = /^(\$\w*)\s*(?:,\s*(\$\w*)\s*)?:=\s*/.exec(pipe);
        const vars = decl ? [decl[1]!, decl[2]].filter((v): v is string => v !== undefined) : [];
        if (decl) pipe = pipe.slice(decl[0].length);
        const [body, end] = block(['end', 'else']);
        out.push({ kind: 'range', pipe, vars, body, otherwise: end === 'else' ? block(['end'])[0] : undefined });
      } else if (word === 'end' || word === 'else')
        throw new BuiltinError(`template: template:1: unexpected {{${word}}}`);
      else out.push({ kind: 'print', pipe: it.body });
    }
    if (ends.length) throw new BuiltinError('template: template:1: unexpected EOF');
    return [out, ''];
  };
  return block([])[0];
}

const MISSING = Symbol('missing');
type TValue = Value | typeof MISSING;

function truthy(v: TValue): boolean {
  if (v === MISSING || v === null || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof ObjectValue || v instanceof SetValue) return v.size > 0;
  return true;
}

/** fmt's %v of the JSON-decoded value. */
function show(v: TValue): string {
  if (v === MISSING) return '<undefined>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (isNumber(v)) return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v) || v instanceof SetValue) return `[${(Array.isArray(v) ? v : v.values()).map(show).join(' ')}]`;
  return (
    'map[' +
    (v as ObjectValue)
      .entries()
      .map(([k, x]) => `${typeof k === 'string' ? k : valueToString(k)}:${show(x)}`)
      .join(' ') +
    ']'
  );
}

function tokenize(pipe: string): string[] {
  return pipe.match(/"(?:[^"\\]|\\.)*"|`[^`]*`|\(|\)|\||[^\s()|]+/g) ?? [];
}

class Scope {
  constructor(
    readonly dot: TValue,
    readonly vars: Map<string, TValue>,
  ) {}
  with(dot: TValue): Scope {
    return new Scope(dot, new Map(this.vars));
  }
}

function field(v: TValue, name: string): TValue {
  if (v instanceof ObjectValue) return v.get(name) ?? MISSING;
  if (v === MISSING || v === null) return MISSING;
  throw new BuiltinError(`template: template:1: can't evaluate field ${name} in type ${typeof v}`);
}

function fields(base: TValue, path: string): TValue {
  return path.split('.').filter(Boolean).reduce(field, base);
}

function compareValues(a: TValue, b: TValue): number {
  if (isNumber(a as Value) && isNumber(b as Value)) return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  const x = show(a);
  const y = show(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const FUNCS: Record<string, (args: TValue[]) => TValue> = {
  and: (a) => a.find((x) => !truthy(x)) ?? a[a.length - 1]!,
  or: (a) => a.find(truthy) ?? a[a.length - 1]!,
  not: (a) => !truthy(a[0]!),
  len: ([x]) =>
    typeof x === 'string'
      ? Buffer.byteLength(x)
      : Array.isArray(x)
        ? x.length
        : x instanceof ObjectValue || x instanceof SetValue
          ? x.size
          : 0,
  index: ([x, ...keys]) =>
    keys.reduce<TValue>(
      (cur, k) =>
        Array.isArray(cur)
          ? (cur[Number(k)] ?? MISSING)
          : cur instanceof ObjectValue
            ? (cur.get(k as Value) ?? MISSING)
            : MISSING,
      x!,
    ),
  print: (a) => a.map(show).join(''),
  println: (a) => `${a.map(show).join(' ')}\n`,
  printf: ([f, ...a]) =>
    goSprintf(
      show(f!),
      a.map((x) => (x === MISSING ? null : x)),
    ),
  eq: ([a, ...bs]) => bs.some((b) => compareValues(a!, b) === 0),
  ne: ([a, b]) => compareValues(a!, b!) !== 0,
  lt: ([a, b]) => compareValues(a!, b!) < 0,
  le: ([a, b]) => compareValues(a!, b!) <= 0,
  gt: ([a, b]) => compareValues(a!, b!) > 0,
  ge: ([a, b]) => compareValues(a!, b!) >= 0,
  html: (a) =>
    a
      .map(show)
      .join('')
      .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!),
  urlquery: (a) => queryEscape(a.map(show).join('')),
};

function evalPipe(pipe: string, scope: Scope): TValue {
  const decl = /^(\$\w*)\s*(:?=)\s*/.exec(pipe);
  if (decl) {
    const v = evalPipe(pipe.slice(decl[0].length), scope);
    scope.vars.set(decl[1]!, v);
    return v;
  }
  const tokens = tokenize(pipe);
  let i = 0;
  const operand = (): TValue => {
    const t = tokens[i++]!;
    if (t === '(') {
      const v = pipeline(')');
      i++;
      return v;
    }
    if (t === '.') return scope.dot;
    if (t.startsWith('.')) return fields(scope.dot, t);
    if (t.startsWith('$')) {
      const [name, ...rest] = t.split('.');
      const base = name === '$' ? (scope.vars.get('$') ?? MISSING) : scope.vars.get(name!);
      if (base === undefined) throw new BuiltinError(`template: template:1: undefined variable "${name}"`);
      return fields(base, rest.join('.'));
    }
    if (t.startsWith('"')) return JSON.parse(t) as string;
    if (t.startsWith('`')) return t.slice(1, -1);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'nil') return null;
    if (/^-?\d/.test(t)) return Number(t);
    throw new BuiltinError(`template: template:1: function "${t}" not defined`);
  };
  const command = (stop: string, piped: TValue[]): TValue => {
    const t = tokens[i];
    if (t !== undefined && FUNCS[t]) {
      i++;
      const args: TValue[] = [];
      while (i < tokens.length && tokens[i] !== '|' && tokens[i] !== stop) args.push(operand());
      return FUNCS[t]([...args, ...piped]);
    }
    return operand();
  };
  const pipeline = (stop: string): TValue => {
    let v = command(stop, []);
    while (tokens[i] === '|') {
      i++;
      v = command(stop, [v]);
    }
    return v;
  };
  return pipeline('');
}

function render(nodes: Node[], scope: Scope): string {
  let out = '';
  for (const n of nodes) {
    switch (n.kind) {
      case 'text':
        out += n.text;
        break;
      case 'print': {
        const isDecl = /^\$\w*\s*:?=/.test(n.pipe);
        const v = evalPipe(n.pipe, scope);
        if (!isDecl) out += show(v);
        break;
      }
      case 'if':
      case 'with': {
        const hit = n.branches.find((b) => truthy(evalPipe(b.cond, scope)));
        if (hit) out += render(hit.body, n.kind === 'with' ? scope.with(evalPipe(hit.cond, scope)) : scope);
        else if (n.otherwise) out += render(n.otherwise, scope);
        break;
      }
      case 'range': {
        const v = evalPipe(n.pipe, scope);
        const entries: readonly (readonly [Value, Value])[] = Array.isArray(v)
          ? v.map((x, i) => [i, x] as const)
          : v instanceof ObjectValue
            ? v.entries()
            : v instanceof SetValue
              ? v.values().map((x, i) => [i, x] as const)
              : [];
        if (entries.length === 0 && n.otherwise) out += render(n.otherwise, scope);
        for (const [k, x] of entries) {
          const inner = scope.with(x);
          if (n.vars.length === 1) inner.vars.set(n.vars[0]!, x);
          if (n.vars.length === 2) {
            inner.vars.set(n.vars[0]!, k);
            inner.vars.set(n.vars[1]!, x);
          }
          out += render(n.body, inner);
        }
        break;
      }
    }
  }
  return out;
}

const renderTemplate = declare({
  name: 'strings.render_template',
  args: [
    { name: 'value', type: T.string, description: 'a templated string' },
    { name: 'vars', type: T.object(T.string, T.any), description: 'a mapping of template variable keys to values' },
  ],
  result: { name: 'result', type: T.string, description: 'rendered template with template variables injected' },
  description:
    'Renders a templated string with given template variables injected. For a given templated string and ' +
    'key/value mapping, values will be injected into the template where they are referenced by key.\n\t' +
    'For examples of templating syntax, see https://pkg.go.dev/text/template',
  categories: ['strings'],
  builds: true,
});

implement(renderTemplate, ([s, o]) => {
  const src = stringArg(s, 1);
  const vars = objectArg(o, 2);
  const scope = new Scope(vars, new Map([['$', vars]]));
  return render(parse(lex(src)), scope);
});
