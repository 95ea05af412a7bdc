// Stage RewriteRegoMetadataCalls: `rego.metadata.rule()` and `rego.metadata.chain()` become
// constants built from the `# METADATA` annotations around the calling rule (as in OPA,
// where they are rewritten at compile time too).
//   rule()  → the rule's own annotations ({} if none)
//   chain() → [{path, annotations}] from the rule, through document-scope annotations of
//             rules at the same path, to the package's
import { parse } from 'yaml';
import type { Module, Rule, Term } from '../ast/nodes.js';
import { RegoError } from '../errors.js';
import { fromJS, ObjectValue, type Value } from '../value.js';
import { mapBody, mapTerm } from './walk.js';

function person(x: unknown): unknown {
  if (typeof x !== 'string') return x;
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(x);
  return m ? (m[1] ? { name: m[1], email: m[2] } : { email: m[2] }) : { name: x.trim() };
}

/** Annotations as OPA reports them: defaults applied, authors/resources normalized. */
export function annotationsValue(
  text: string,
  defaultScope: string,
  errors: RegoError[],
  loc: Rule['loc'],
): ObjectValue | undefined {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (e) {
    errors.push(new RegoError('rego_parse_error', `invalid METADATA block: ${(e as Error).message}`, loc));
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push(new RegoError('rego_parse_error', 'a METADATA block must be a YAML mapping', loc));
    return undefined;
  }
  const a = { ...(raw as Record<string, unknown>) };
  a.scope ??= defaultScope;
  if (Array.isArray(a.authors)) a.authors = a.authors.map(person);
  if (Array.isArray(a.related_resources))
    a.related_resources = a.related_resources.map((r) => (typeof r === 'string' ? { ref: r } : r));
  return fromJS(a) as ObjectValue;
}

function constant(v: Value, loc: Term['loc']): Term {
  if (Array.isArray(v)) return { type: 'array', items: [], value: v, loc };
  return { type: 'object', entries: [], value: v, loc };
}

function ruleName(r: Rule): string[] {
  return r.ref.map((t) => (t.type === 'var' ? t.name : t.type === 'scalar' ? String(t.value) : '_'));
}

export function rewriteMetadataCalls(modules: readonly Module[], errors: RegoError[]): void {
  // Package annotations may sit in any module of the package.
  const pkgAnnotations = new Map<string, ObjectValue>();
  for (const m of modules) {
    if (m.annotations === undefined) continue;
    const v = annotationsValue(m.annotations, 'package', errors, m.pkgLoc);
    if (v) pkgAnnotations.set(m.pkg.join('.'), v);
  }
  const ruleAnnotations = new Map<Rule, ObjectValue>();
  const documentScope = new Map<string, ObjectValue[]>();
  for (const m of modules) {
    for (const r of m.rules) {
      if (r.annotations === undefined) continue;
      const v = annotationsValue(r.annotations, 'rule', errors, r.loc);
      if (!v) continue;
      ruleAnnotations.set(r, v);
      if (v.get('scope') === 'document') {
        const key = [...m.pkg, ...ruleName(r)].join('.');
        documentScope.set(key, [...(documentScope.get(key) ?? []), v]);
      }
    }
  }
  for (const m of modules) {
    const pkgPath = m.pkg;
    for (const r of m.rules) {
      const path = [...pkgPath, ...ruleName(r)];
      const own = ruleAnnotations.get(r);
      const ownIsRule = own !== undefined && own.get('scope') !== 'document';
      const chain: Value[] = [ObjectValue.fromRecord(ownIsRule ? { path, annotations: own } : { path })];
      for (const d of documentScope.get(path.join('.')) ?? [])
        chain.push(ObjectValue.fromRecord({ path, annotations: d }));
      const pkg = pkgAnnotations.get(pkgPath.join('.'));
      if (pkg) chain.push(ObjectValue.fromRecord({ path: [...pkgPath], annotations: pkg }));
      const ruleValue = ownIsRule ? own : new ObjectValue();
      const replace = (t: Term): Term | undefined => {
        if (t.type !== 'call' || t.args.length !== 0) return undefined;
        if (t.name === 'rego.metadata.chain') return constant(chain, t.loc);
        if (t.name === 'rego.metadata.rule') return constant(ruleValue, t.loc);
        return undefined;
      };
      for (let x: Rule | undefined = r; x; x = x.else) {
        x.body = mapBody(x.body, replace);
        if (x.value) x.value = mapTerm(x.value, replace);
        if (x.key) x.key = mapTerm(x.key, replace);
      }
    }
  }
}
