// Stage BuildRuleTree: rules indexed by path under `data`, like OPA's RuleTree. A rule sits at
// the node named by the ground prefix of its head ref (`p[q].r := 1` sits at `p`, with the
// dynamic suffix `[q].r`). Conflicting declarations are reported here.
import type { Rule, Term } from '../ast/nodes.js';
import type { Builtin } from '../builtins/table.js';
import { RegoError } from '../errors.js';
import { keyOf, type Value } from '../value.js';
import { valueToString } from '../convert.js';

export type RuleKind =
  /** `p := v`, `p.q := v`: the whole document at its node. */
  | 'complete'
  /** `p contains x`: a set at its node. */
  | 'multi'
  /** `p[x] := v`, `p[x].q contains y`: keys below the node come from the body. */
  | 'dynamic'
  /** `f(x) := v` */
  | 'func';

export interface CompiledRule {
  readonly rule: Rule;
  readonly kind: RuleKind;
  /** For dynamic rules: the head segments after the node. */
  suffix: readonly Term[];
  /** A dynamic rule whose leaf is a set (`p[x] contains y`). */
  readonly multiLeaf: boolean;
  /** Frame size (set by AllocateSlots). */
  slots: number;
  /** The head value does not depend on the body: stop at the first solution. */
  constantValue: boolean;
  readonly else?: CompiledRule;
}

/** What a call runs: a builtin, or the rule-tree node of a user function. */
export type CallTarget = Builtin | RuleNode;

/** The compiled policy's functions: `CallTerm.fn` indexes `targets`. */
export interface FunctionTable {
  readonly targets: readonly CallTarget[];
  /** The user function at `data.a.b.f`, if any. */
  userFunction(name: string): RuleNode | undefined;
}

export class RuleNode {
  readonly children = new Map<string, RuleNode>();
  readonly complete: CompiledRule[] = [];
  readonly multi: CompiledRule[] = [];
  readonly dynamic: CompiledRule[] = [];
  readonly funcs: CompiledRule[] = [];
  default?: CompiledRule;

  constructor(
    readonly key: Value,
    /** Keys from the data root (without `data`). */
    readonly path: readonly Value[],
  ) {}

  get hasRules(): boolean {
    return (
      this.complete.length > 0 ||
      this.multi.length > 0 ||
      this.dynamic.length > 0 ||
      this.funcs.length > 0 ||
      this.default !== undefined
    );
  }

  get isFunction(): boolean {
    return this.funcs.length > 0 || (this.default !== undefined && this.default.rule.args !== undefined);
  }

  child(key: Value): RuleNode {
    const k = keyOf(key);
    let c = this.children.get(k);
    if (!c) {
      c = new RuleNode(key, [...this.path, key]);
      this.children.set(k, c);
    }
    return c;
  }

  /** The node at `path`, if rules are defined at or below it. */
  find(path: readonly Value[]): RuleNode | undefined {
    let n: RuleNode | undefined = this;
    for (const k of path) {
      n = n.children.get(keyOf(k));
      if (!n) return undefined;
    }
    return n;
  }

  *walk(): Generator<RuleNode> {
    yield this;
    for (const c of this.children.values()) yield* c.walk();
  }

  get name(): string {
    return pathString(this.path);
  }
}

export function pathString(path: readonly Value[]): string {
  return [
    'data',
    ...path.map((k) => (typeof k === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `[${valueToString(k)}]`)),
  ]
    .join('.')
    .replace(/\.\[/g, '[');
}

function scalarKey(t: Term): Value | undefined {
  return t.type === 'scalar' ? t.value : undefined;
}

function compiled(rule: Rule, kind: RuleKind, suffix: Term[], multiLeaf: boolean): CompiledRule {
  return {
    rule,
    kind,
    suffix,
    multiLeaf,
    slots: 0,
    constantValue: false,
    else: rule.else ? compiled(rule.else, kind, suffix, multiLeaf) : undefined,
  };
}

/** Builds the tree from rules whose `ref` is already absolute under data (first segment = package root). */
export function buildRuleTree(
  rules: readonly { rule: Rule; path: Term[] }[],
  errors: RegoError[],
  packages: readonly (readonly string[])[] = [],
): RuleNode {
  const root = new RuleNode('data', []);
  // Every package is a document, even without rules (`data.empty` is `{}`).
  for (const pkg of packages) {
    let node = root;
    for (const k of pkg) node = node.child(k);
  }
  for (const { rule, path } of rules) {
    let node = root;
    let i = 0;
    for (; i < path.length; i++) {
      const k = scalarKey(path[i]!);
      if (k === undefined) break;
      node = node.child(k);
    }
    const suffix = path.slice(i);
    if (rule.isDefault) {
      if (node.default)
        errors.push(new RegoError('rego_type_error', `multiple default rules ${node.name} found`, rule.loc));
      else if (suffix.length > 0)
        errors.push(
          new RegoError('rego_compile_error', `default rules must have a ground ref head: ${node.name}`, rule.loc),
        );
      else node.default = compiled(rule, rule.args ? 'func' : 'complete', [], false);
      continue;
    }
    if (rule.args) {
      if (suffix.length > 0)
        errors.push(new RegoError('rego_compile_error', `function name must be ground: ${node.name}`, rule.loc));
      node.funcs.push(compiled(rule, 'func', [], false));
    } else if (suffix.length > 0) {
      node.dynamic.push(compiled(rule, 'dynamic', suffix, rule.multi));
    } else if (rule.multi) {
      node.multi.push(compiled(rule, 'multi', [], false));
    } else {
      node.complete.push(compiled(rule, 'complete', [], false));
    }
  }
  for (const node of root.walk()) checkNode(node, errors);
  return root;
}

function checkNode(node: RuleNode, errors: RegoError[]): void {
  const kinds = [node.complete.length > 0, node.multi.length > 0, node.funcs.length > 0].filter(Boolean).length;
  const first = [...node.complete, ...node.multi, ...node.funcs][0];
  if (kinds > 1 && first)
    errors.push(new RegoError('rego_type_error', `conflicting rules ${node.name} found`, first.rule.loc));
  if (node.default?.rule.args && node.complete.length > 0)
    errors.push(new RegoError('rego_type_error', `conflicting rules ${node.name} found`, node.default.rule.loc));
  const arities = new Set(node.funcs.map((f) => f.rule.args!.length));
  if (node.default?.rule.args) arities.add(node.default.rule.args.length);
  if (arities.size > 1)
    errors.push(
      new RegoError(
        'rego_type_error',
        `conflicting rules ${node.name} found: functions must have the same number of arguments`,
        node.funcs[0]!.rule.loc,
      ),
    );
}
