// Expressions with exactly one outcome (most of a policy: assignments, comparisons, calls with
// known arguments, negations) are run in a loop instead of through continuations. That keeps
// the JS stack flat for long bodies and saves a closure per expression. Anything that may
// enumerate or bind a pattern answers NOT_SINGLE and takes the general path.
import type { CallTerm, Expr, ExprKind, Term } from '../ast/nodes.js';
import { type CallTarget, RuleNode } from '../compile/rule-tree.js';
import { equals, type Value } from '../value.js';
import { type Frame, NEEDS_SEARCH } from './frame.js';
import type { WithState } from './with.js';

export const NOT_SINGLE = Symbol('not single');

/** What single-outcome evaluation needs from the evaluator. */
export interface SingleEvaluator {
  readonly state: WithState;
  directValue(t: Term, frame: Frame): Value | undefined | typeof NEEDS_SEARCH;
  target(call: CallTerm): CallTarget | undefined;
  invoke(
    name: string,
    target: CallTarget | undefined,
    args: readonly Value[],
    call: CallTerm,
    deliver: (v: Value | undefined) => boolean,
  ): boolean;
  evalKind(x: ExprKind, frame: Frame, k: () => boolean): boolean;
}

/** How a term receives a value: bind an unbound var, or compare with a known value. */
function receive(t: Term, v: Value, frame: Frame, undo: number[], ev: SingleEvaluator): boolean {
  if (t.type === 'var' && t.slot !== undefined) {
    const cur = frame[t.slot];
    if (cur === undefined) {
      frame[t.slot] = v;
      undo.push(t.slot);
      return true;
    }
    return equals(cur, v);
  }
  const known = ev.directValue(t, frame);
  return known !== NEEDS_SEARCH && known !== undefined && equals(known, v);
}

/** Whether `receive` can handle `t` without enumerating. */
function receivable(t: Term, frame: Frame, ev: SingleEvaluator): boolean {
  if (t.type === 'var' && t.slot !== undefined) return true;
  return ev.directValue(t, frame) !== NEEDS_SEARCH;
}

function singleCall(
  call: CallTerm,
  frame: Frame,
  undo: number[],
  ev: SingleEvaluator,
  negated: boolean,
): boolean | typeof NOT_SINGLE {
  const target = ev.target(call);
  if (ev.state.mocks || !target || (!(target instanceof RuleNode) && target.relation)) return NOT_SINGLE;
  const n = call.arity ?? call.args.length;
  const output = call.args.length > n ? call.args[n] : undefined;
  if (output && (negated || !receivable(output, frame, ev))) return NOT_SINGLE;
  const args: Value[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = ev.directValue(call.args[i]!, frame);
    if (v === NEEDS_SEARCH) return NOT_SINGLE;
    if (v === undefined) return negated;
    args[i] = v;
  }
  let result: Value | undefined;
  ev.invoke(call.name, target, args, call, (v) => {
    result = v;
    return true;
  });
  if (result === undefined) return negated;
  if (output) return receive(output, result, frame, undo, ev);
  return (result !== false) !== negated;
}

/**
 * Runs `e` if it has a single outcome: true (bindings recorded in `undo`), false, or
 * NOT_SINGLE when it needs the general evaluation.
 */
export function evalSingle(e: Expr, frame: Frame, undo: number[], ev: SingleEvaluator): boolean | typeof NOT_SINGLE {
  if (e.withs.length > 0) return NOT_SINGLE;
  const x = e.expr;
  switch (x.kind) {
    case 'some':
      return true;
    case 'term': {
      if (x.term.type === 'call') return singleCall(x.term, frame, undo, ev, e.negated);
      const v = ev.directValue(x.term, frame);
      if (v === NEEDS_SEARCH) break;
      return (v !== undefined && v !== false) !== e.negated;
    }
    case 'unify':
    case 'assign': {
      if (e.negated) break;
      const { left, right } = x;
      // The common `var := value` (either way round): evaluate the value once, bind the var.
      const unboundLeft = left.type === 'var' && left.slot !== undefined && frame[left.slot] === undefined;
      const unboundRight = right.type === 'var' && right.slot !== undefined && frame[right.slot] === undefined;
      if (unboundLeft !== unboundRight) {
        const [target, source] = unboundLeft ? [left, right] : [right, left];
        const v = ev.directValue(source, frame);
        if (v === NEEDS_SEARCH) break;
        if (v === undefined) return false;
        frame[(target as { slot: number }).slot] = v;
        undo.push((target as { slot: number }).slot);
        return true;
      }
      if (unboundLeft) break;
      const l = ev.directValue(left, frame);
      if (l === NEEDS_SEARCH) break;
      const r = ev.directValue(right, frame);
      if (r === NEEDS_SEARCH) break;
      return l !== undefined && r !== undefined && equals(l, r);
    }
  }
  // A negation has one outcome whatever it contains, and binds nothing.
  if (e.negated) return !ev.evalKind(x, frame, () => true);
  return NOT_SINGLE;
}
