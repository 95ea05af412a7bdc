// Stage CheckRecursion: a rule may not depend on itself (directly or through other rules or
// functions); OPA rejects such policies at compile time with rego_recursion_error.
import type { Rule, Term } from '../ast/nodes.js';
import { RegoError } from '../errors.js';
import type { Value } from '../value.js';
import { type FunctionTable, RuleNode } from './rule-tree.js';
import { headTerms, walkBody, walkTerm } from './walk.js';

/**
 * The rule nodes a data ref may read. Ground segments select one child, other segments any
 * child; the ref depends on the first rule node on each path, or on every rule node below
 * where it ends (`data.x[y].allow` does not depend on `data.q.p`, as in OPA's rule graph).
 */
function nodesOfRef(root: RuleNode, t: Term): RuleNode[] {
  if (t.type !== 'ref' || t.head.type !== 'var' || t.head.name !== 'data') return [];
  const out: RuleNode[] = [];
  const match = (node: RuleNode, i: number): void => {
    if (node.hasRules) {
      out.push(node);
      return;
    }
    if (i === t.path.length) {
      for (const n of node.walk()) if (n.hasRules) out.push(n);
      return;
    }
    const seg = t.path[i]!;
    if (seg.type === 'scalar') {
      const child = node.find([seg.value as Value]);
      if (child) match(child, i + 1);
      return;
    }
    for (const child of node.children.values()) match(child, i + 1);
  };
  match(root, 0);
  return out;
}

function dependencies(root: RuleNode, functions: FunctionTable, rule: Rule): Set<RuleNode> {
  const out = new Set<RuleNode>();
  const visit = (t: Term) => {
    for (const n of nodesOfRef(root, t)) out.add(n);
    if (t.type === 'call' && t.fn !== undefined) {
      const target = functions.targets[t.fn];
      if (target instanceof RuleNode) out.add(target);
    }
  };
  for (let r: Rule | undefined = rule; r; r = r.else) {
    walkBody(r.body, visit);
    for (const h of headTerms(r)) walkTerm(h, visit);
  }
  return out;
}

/** The rule graph: for each node with rules, the nodes its rules read or call. */
export function ruleGraph(root: RuleNode, functions: FunctionTable): Map<RuleNode, Set<RuleNode>> {
  const deps = new Map<RuleNode, Set<RuleNode>>();
  for (const n of root.walk()) {
    if (!n.hasRules) continue;
    const all = new Set<RuleNode>();
    for (const cr of [...n.complete, ...n.multi, ...n.dynamic, ...n.funcs, ...(n.default ? [n.default] : [])])
      for (const d of dependencies(root, functions, cr.rule)) all.add(d);
    deps.set(n, all);
  }
  return deps;
}

/** The nodes with rules, each after the nodes it depends on (the graph has no cycles). */
export function dependencyOrder(deps: ReadonlyMap<RuleNode, ReadonlySet<RuleNode>>): RuleNode[] {
  const out: RuleNode[] = [];
  const done = new Set<RuleNode>();
  const visit = (n: RuleNode): void => {
    if (done.has(n)) return;
    done.add(n);
    for (const d of deps.get(n) ?? []) visit(d);
    out.push(n);
  };
  for (const n of deps.keys()) visit(n);
  return out;
}

export function checkRecursion(deps: ReadonlyMap<RuleNode, ReadonlySet<RuleNode>>, errors: RegoError[]): void {
  const nodes = [...deps.keys()];
  const state = new Map<RuleNode, 'visiting' | 'done'>();
  const stack: RuleNode[] = [];
  const reported = new Set<RuleNode>();
  const visit = (n: RuleNode): void => {
    state.set(n, 'visiting');
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      if (state.get(d) === 'visiting') {
        if (!reported.has(d)) {
          reported.add(d);
          const cycle = [...stack.slice(stack.indexOf(d)), d].map((x) => x.name).join(' -> ');
          const first = d.complete[0] ?? d.multi[0] ?? d.dynamic[0] ?? d.funcs[0] ?? d.default;
          errors.push(new RegoError('rego_recursion_error', `rule ${d.name} is recursive: ${cycle}`, first?.rule.loc));
        }
      } else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of nodes) if (!state.has(n)) visit(n);
}
