// The compiler: parsed modules → a rule tree the evaluator runs. It is an ordered list of
// named stages, like OPA's; each either rewrites rules in place or checks them, adding errors
// to one list. The order matters where noted.
import type { Body, Module, Rule, Term } from '../ast/nodes.js';
import { compareLocations, type Location, type RegoError, sortErrors } from '../errors.js';
import { DynamicTerms } from './dynamics.js';
import { ExprTerms } from './expr-terms.js';
import { Functions } from './functions.js';
import { LocalVars } from './local-vars.js';
import { captureValues } from './capture.js';
import { rewriteMetadataCalls } from './metadata.js';
import { checkRecursion, dependencyOrder, ruleGraph } from './recursion.js';
import { TypeChecker } from './check-types.js';
import { indexPackages, resolveQuery, resolveRefs } from './resolve-refs.js';
import { buildRuleTree, type CompiledRule, type RuleNode } from './rule-tree.js';
import { Safety } from './safety.js';
import { Shapes } from './shapes.js';
import { Slots, constantValue } from './slots.js';
import { Sugar } from './sugar.js';
import { checkWiths } from './withs.js';
import { headTerms, mapTerm, walkTerm } from './walk.js';

export interface CompiledPolicy {
  readonly modules: readonly Module[];
  readonly tree: RuleNode;
  /** Stage state reused when compiling queries against this policy. */
  readonly functions: Functions;
  /** The rules' types, to type-check queries. */
  readonly types: TypeChecker;
}

export interface CompileOptions {
  /** Allow deprecated builtins in v1 modules too (OPA removes them from v1). */
  readonly allowDeprecatedBuiltins?: boolean;
}

export type CompileResult<T> = { ok: true; value: T } | { ok: false; errors: RegoError[] };

interface State {
  readonly modules: readonly Module[];
  readonly errors: RegoError[];
  readonly options: CompileOptions;
  tree?: RuleNode;
  functions?: Functions;
  graph?: Map<RuleNode, Set<RuleNode>>;
  types?: TypeChecker;
}

function allRules(modules: readonly Module[]): Rule[] {
  return modules.flatMap((m) => m.rules);
}

function* chain(rule: Rule): Generator<Rule> {
  for (let r: Rule | undefined = rule; r; r = r.else) yield r;
}

/** The rule's path under data: package segments, rule name, then its head ref. */
function rulePath(m: Module, rule: Rule): Term[] {
  const loc = rule.loc;
  const name = rule.ref[0]!.type === 'var' ? rule.ref[0]!.name : '';
  return [
    ...m.pkg.map((p): Term => ({ type: 'scalar', value: p, loc })),
    { type: 'scalar', value: name, loc },
    ...rule.ref.slice(1),
  ];
}

const STAGES: readonly { name: string; run: (s: State) => void }[] = [
  // Names first: later stages see absolute refs (`data.pkg.p`) and can tell locals apart.
  { name: 'ResolveRefs', run: (s) => resolveRefs(s.modules, indexPackages(s.modules), s.errors) },
  // Needs the annotations of whole packages; the calls become constants.
  { name: 'RewriteRegoMetadataCalls', run: (s) => rewriteMetadataCalls(s.modules, s.errors) },
  // Before local vars: the comprehensions these create own their vars.
  {
    name: 'RewriteSugar',
    run: (s) => {
      const sugar = new Sugar();
      for (const rule of allRules(s.modules)) {
        for (const r of chain(rule)) {
          r.body = sugar.body(r.body);
          if (r.value) r.value = mapTerm(r.value, (t) => sugar.term(t));
          if (r.key) r.key = mapTerm(r.key, (t) => sugar.term(t));
          if (r.args) r.args = r.args.map((a) => mapTerm(a, (t) => sugar.term(t)));
        }
      }
    },
  },
  {
    name: 'RewriteLocalVars',
    run: (s) => {
      for (const rule of allRules(s.modules)) for (const r of chain(rule)) new LocalVars(s.errors).rule(r);
    },
  },
  // After local vars, so the vars it generates cannot clash with user names.
  {
    name: 'RewriteExprTerms',
    run: (s) => {
      const lift = new ExprTerms();
      for (const rule of allRules(s.modules)) for (const r of chain(rule)) lift.rule(r);
    },
  },
  {
    name: 'BuildRuleTree',
    run: (s) => {
      s.tree = buildRuleTree(
        s.modules.flatMap((m) => m.rules.map((rule) => ({ rule, path: rulePath(m, rule) }))),
        s.errors,
        s.modules.map((m) => m.pkg),
      );
    },
  },
  // Needs the tree (user functions) and precedes safety (which needs arities).
  {
    name: 'CheckFunctions',
    run: (s) => {
      s.functions = new Functions(s.tree!, s.options.allowDeprecatedBuiltins);
      for (const rule of allRules(s.modules)) s.functions.rule(rule, s.errors);
    },
  },
  {
    name: 'CheckWith',
    run: (s) => {
      for (const rule of allRules(s.modules)) for (const r of chain(rule)) checkWiths(r.body, s.functions!, s.errors);
    },
  },
  {
    name: 'CheckSafety',
    run: (s) => {
      const safety = new Safety((n) => s.functions!.arity(n), s.errors);
      for (const rule of allRules(s.modules)) {
        for (const r of chain(rule)) {
          const args = new Set<string>();
          for (const a of r.args ?? []) walkTerm(a, (t) => t.type === 'var' && args.add(t.name), false);
          const { body, bound } = safety.reorder(r.body, args);
          r.body = body;
          safety.checkHead(headTerms(r), bound, r.loc);
        }
      }
    },
  },
  // After safety, which fixed the order of each body.
  {
    name: 'RewriteDynamicTerms',
    run: (s) => {
      const dynamics = new DynamicTerms();
      for (const rule of allRules(s.modules)) for (const r of chain(rule)) dynamics.rule(r);
    },
  },
  {
    name: 'CheckRecursion',
    run: (s) => {
      s.graph = ruleGraph(s.tree!, s.functions!);
      checkRecursion(s.graph, s.errors);
    },
  },
  // After recursion: rules are typed in dependency order, which needs the graph acyclic.
  {
    name: 'CheckTypes',
    run: (s) => {
      s.types = new TypeChecker(s.functions!);
      s.types.checkRules(dependencyOrder(s.graph!), s.errors);
    },
  },
  {
    name: 'AllocateSlots',
    run: (s) => {
      for (const node of s.tree!.walk()) {
        for (const cr of [
          ...node.complete,
          ...node.multi,
          ...node.dynamic,
          ...node.funcs,
          ...(node.default ? [node.default] : []),
        ])
          allocate(cr);
      }
    },
  },
];

function allocate(cr: CompiledRule): void {
  for (let c: CompiledRule | undefined = cr; c; c = c.else) {
    const slots = new Slots();
    const r = c.rule;
    const shapes = new Shapes();
    const t = (x: Term) => shapes.term(x);
    if (r.args) r.args = r.args.map(t);
    r.ref = r.ref.map(t);
    if (r.key) r.key = t(r.key);
    if (r.value) r.value = t(r.value);
    r.body = shapes.body(r.body);
    c.suffix = c.suffix.map(t);
    for (const a of r.args ?? []) slots.term(a);
    for (const t of c.suffix) slots.term(t);
    for (const t of r.ref.slice(1)) slots.term(t);
    if (r.key) slots.term(r.key);
    if (r.value) slots.term(r.value);
    slots.body(r.body);
    c.slots = slots.size;
    c.constantValue = r.value !== undefined && constantValue(r.value) !== undefined && c.kind !== 'dynamic';
  }
}

export function compileModules(
  modules: readonly Module[],
  options: CompileOptions = {},
): CompileResult<CompiledPolicy> {
  const state: State = { modules, errors: [], options };
  for (const stage of STAGES) {
    stage.run(state);
    // Later stages assume the earlier ones succeeded.
    if (state.errors.length > 0) return { ok: false, errors: sortErrors(state.errors) };
  }
  return { ok: true, value: { modules, tree: state.tree!, functions: state.functions!, types: state.types! } };
}

export interface CompiledQuery {
  readonly body: Body;
  readonly slots: number;
  /** User-visible vars of the query and their slots, in order of first appearance. */
  readonly vars: ReadonlyMap<string, number>;
  /** The query's expressions as written, with the slot capturing each one's value (else true). */
  readonly expressions: readonly {
    readonly text: string;
    readonly location: Location;
    readonly slot?: number;
  }[];
}

/** Compiles a query against a policy: the same stages, for one body. */
export function compileQuery(policy: CompiledPolicy, parsed: Body): CompileResult<CompiledQuery> {
  const errors: RegoError[] = [];
  let body = resolveQuery(parsed);
  // Before ExprTerms, so a top-level call gets the capture as its output argument.
  body = captureValues(body, (n) => policy.functions.arity(n));
  body = new Sugar().body(body);
  body = new LocalVars(errors).query(body);
  body = new ExprTerms().body(body, new Set());
  policy.functions.body(body, errors, true);
  checkWiths(body, policy.functions, errors);
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  body = new Safety((n) => policy.functions.arity(n), errors).reorder(body, new Set()).body;
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  body = new DynamicTerms().body(body);
  policy.types.checkQuery(body, errors);
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  body = new Shapes().body(body);
  const slots = new Slots();
  slots.body(body);
  const vars = new Map([...slots.names].filter(([n]) => !n.startsWith('$') && !n.startsWith('__')));
  const expressions = body
    .filter((e) => !e.generated)
    .map((e) => ({
      text: e.text ?? '',
      location: e.loc,
      slot: e.capture === undefined ? undefined : slots.names.get(e.capture),
    }))
    .sort((a, b) => compareLocations(a.location, b.location));
  return { ok: true, value: { body, slots: slots.size, vars, expressions } };
}
