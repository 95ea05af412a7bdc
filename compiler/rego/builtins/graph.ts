// Graph builtins: walk (a relation over every nested document), graph.reachable and
// graph.reachable_paths over adjacency objects.
import { keyOf, ObjectValue, SetValue, type Value } from '../value.js';
import { objectArg } from './args.js';
import { type Budget, declare, implement, implementRelation, MEMBER_BYTES, operandTypeError } from './table.js';
import { T } from '../types.js';

const walk = declare({
  name: 'walk',
  relation: true,
  args: [{ name: 'x', type: T.any, description: 'value to walk' }],
  result: {
    name: 'output',
    type: T.tuple(T.array(), T.any),
    description:
      'pairs of `path` and `value`: `path` is an array representing the pointer to `value` in `x`. If `path` ' +
      'is assigned a wildcard (`_`), the `walk` function will skip path creation entirely for faster ' +
      'evaluation.',
  },
  description:
    'Generates `[path, value]` tuples for all nested documents of `x` (recursively).  Queries can use `walk` ' +
    'to traverse documents nested under `x`.',
  categories: ['graph'],
  builds: true,
});

/** Pre-order: a document, then its children (object keys and set members in sorted order).
 * An explicit stack instead of recursion: depth costs neither stack nor time per result. */
function* walkValue(root: Value, budget: Budget): Generator<Value> {
  const stack: [Value[], Value][] = [[[], root]];
  for (let n = 1; stack.length > 0; n++) {
    const [path, v] = stack.pop()!;
    if ((n & 1023) === 0) budget.checkDeadline();
    budget.allocate(path.length * MEMBER_BYTES);
    yield [path, v];
    const children: [Value, Value][] = Array.isArray(v)
      ? v.map((x, i) => [i, x])
      : v instanceof ObjectValue
        ? v.entries().map(([k, x]) => [k, x])
        : v instanceof SetValue
          ? v.values().map((m) => [m, m])
          : [];
    for (let i = children.length - 1; i >= 0; i--) stack.push([[...path, children[i]![0]], children[i]![1]]);
  }
}

implementRelation(walk, ([x], ctx) => walkValue(x!, ctx.budget));

/** The vertices of an adjacency entry or of the initial operand (array or set). */
function vertices(v: Value | undefined): readonly Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof SetValue) return v.values();
  return [];
}

function initialVertices(v: Value | undefined): readonly Value[] {
  if (!Array.isArray(v) && !(v instanceof SetValue)) throw operandTypeError(2, v ?? null, '{array, set}');
  return vertices(v);
}

const graphType = T.object(T.any, T.anyOf(T.set(), T.array()));

const reachable = declare({
  name: 'graph.reachable',
  args: [
    { name: 'graph', type: graphType, description: 'object containing a set or array of neighboring vertices' },
    { name: 'initial', type: T.anyOf(T.set(), T.array()), description: 'set or array of root vertices' },
  ],
  result: {
    name: 'output',
    type: T.set(),
    description: 'set of vertices reachable from the `initial` vertices in the directed `graph`',
  },
  description: 'Computes the set of reachable nodes in the graph from a set of starting nodes.',
  categories: ['graph'],
});

implement(reachable, ([g, init], ctx) => {
  const graph = objectArg(g, 1);
  const queue = [...initialVertices(init)];
  const reached = new SetValue();
  // Vertices missing from the graph are not reached.
  for (let i = 0; i < queue.length; i++) {
    if ((i & 1023) === 1023) ctx.budget.checkDeadline();
    const node = queue[i]!;
    const edges = graph.get(node);
    if (edges === undefined || reached.has(node)) continue;
    reached.add(node);
    for (const n of vertices(edges)) if (!reached.has(n)) queue.push(n);
  }
  return reached;
});

const reachablePaths = declare({
  name: 'graph.reachable_paths',
  args: [
    { name: 'graph', type: graphType, description: 'object containing a set or array of root vertices' },
    { name: 'initial', type: T.anyOf(T.set(), T.array()), description: 'initial paths' },
  ],
  result: {
    name: 'output',
    type: T.set(T.array()),
    description: 'paths reachable from the `initial` vertices in the directed `graph`',
  },
  description: 'Computes the set of reachable paths in the graph from a set of starting nodes.',
  categories: ['graph'],
  builds: true,
});

/** Extends `path` through `root`, committing a path at leaves, missing vertices and cycles.
 * `visited` is shared by the whole walk below one first edge (OPA's set copy aliases), so a
 * vertex reached on one branch ends a later sibling branch. */
function buildPaths(
  graph: ObjectValue,
  root: Value,
  path: Value[],
  out: SetValue,
  visited: Set<string>,
  budget: Budget,
): void {
  budget.checkDeadline();
  budget.allocate((path.length + 1) * MEMBER_BYTES);
  const edges = graph.get(root);
  if (edges === undefined) {
    out.add(path);
    return;
  }
  const here = [...path, root];
  const next = vertices(edges);
  if (next.length === 0) {
    out.add(here);
    return;
  }
  visited.add(keyOf(root));
  for (const n of next) {
    if (visited.has(keyOf(n))) out.add(here);
    else buildPaths(graph, n, here, out, visited, budget);
  }
}

implement(reachablePaths, ([g, init], ctx) => {
  const graph = objectArg(g, 1);
  const out = new SetValue();
  for (const node of initialVertices(init)) {
    const edges = graph.get(node);
    if (edges === undefined) continue;
    const next = vertices(edges);
    if (next.length === 0) out.add([node]);
    for (const n of next) buildPaths(graph, n, [node], out, new Set([keyOf(node)]), ctx.budget);
  }
  return out;
});
