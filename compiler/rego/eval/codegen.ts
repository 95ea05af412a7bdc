// The evaluator's fast path, generated as JavaScript per body: each expression of a body becomes
// a function holding the interpreter's code for that expression's kind, specialised to the
// node (its var slots, keys and callee written in), that calls the next expression's function
// as its continuation. Whenever the interpreter would leave its fast path (an unbound var,
// a term to search, `with`, mocks, a pattern to unify), the generated code calls the
// interpreter for that expression, with the generated rest of the body as the continuation.
// So the generated code computes exactly what the interpreter computes, in the same order
// (steps, caches, errors); it only skips the dispatch on node kinds and reads input members
// at their own sites (codegen-terms.ts).
//
// Bodies are compiled on first evaluation and kept per body. Where code cannot be generated
// (`--disallow-code-generation-from-strings`), the interpreter runs alone.
import type { Body, CallTerm, Expr, RefTerm, Term } from '../ast/nodes.js';
import type { Builtin } from '../builtins/table.js';
import { type CallTarget, RuleNode } from '../compile/rule-tree.js';
import { equals, fromJS, ObjectValue, SetValue, type Value } from '../value.js';
import { index } from './collections.js';
import { Constants, TermEmitter } from './codegen-terms.js';
import { type Frame, NEEDS_SEARCH } from './frame.js';
import type { LimitGuard } from './limits.js';
import { evalSingle, NOT_SINGLE, type SingleEvaluator } from './single.js';

/** What generated code calls on the evaluator. */
export interface CodeEvaluator extends SingleEvaluator {
  readonly guard: LimitGuard;
  /** Slots bound by single-outcome expressions (see Evaluator.evalBody). */
  readonly undo: number[];
  evalExprStepped(e: Expr, frame: Frame, k: () => boolean): boolean;
  dataRef(t: RefTerm): Value | undefined;
  directData(path: readonly Term[], frame: Frame): Value | undefined | typeof NEEDS_SEARCH;
  callFunction(node: RuleNode, args: readonly Value[], call: CallTerm): Value | undefined;
  callBuiltin(b: Builtin, args: readonly Value[], call: CallTerm): Value | undefined;
}

/** A body's generated code: `evalBody(body, 0, frame, k)`. */
export type BodyCode = (ev: CodeEvaluator, frame: Frame, k: () => boolean) => boolean;

/** What the generated code refers to besides its constants. */
const RUNTIME = {
  N: NEEDS_SEARCH,
  NOT_SINGLE,
  evalSingle,
  equals,
  index,
  fromJS,
  ObjectValue,
  SetValue,
  OP: Object.prototype,
  getProto: Object.getPrototypeOf,
  hasOwn: Object.hasOwn,
  TRUE: () => true,
  EMPTY: [],
};

const PRELUDE = `const { ${Object.keys(RUNTIME).join(', ')} } = R;\n`;

/**
 * Generated code per body (null: none can be generated), with the function table it was
 * generated against: the code holds the call targets themselves, so a body compiled again
 * into another policy (with its own targets) gets code of its own.
 */
const generated = new WeakMap<Body, { readonly functions: readonly CallTarget[]; readonly code: BodyCode | null }>();
let codegenAvailable = true;
let enabled = true;

/** Turns the generated code off (or back on) for the whole process: tests compare the two. */
export function useGeneratedCode(on: boolean): void {
  enabled = on;
}

/**
 * Longer bodies are interpreted: each generated expression calls the next, so the JS stack
 * grows with the body, where the interpreter runs single-outcome expressions in a loop.
 */
const MAX_GENERATED_LENGTH = 64;

/** The generated code of a non-empty body, compiled on first use; undefined to interpret. */
export function bodyCode(body: Body, functions: readonly CallTarget[]): BodyCode | undefined {
  if (!enabled || body.length > MAX_GENERATED_LENGTH) return undefined;
  const known = generated.get(body);
  if (known !== undefined && known.functions === functions) return known.code ?? undefined;
  const code = codegenAvailable ? generate(body, functions) : null;
  generated.set(body, { functions, code });
  return code ?? undefined;
}

function generate(body: Body, functions: readonly CallTarget[]): BodyCode | null {
  const gen = new BodyGenerator(functions);
  const source = gen.source(body);
  try {
    return new Function('C', 'R', source)(gen.consts.values, RUNTIME) as BodyCode;
  } catch (e) {
    // Code generation from strings is disabled in this process: interpret.
    if (e instanceof EvalError) {
      codegenAvailable = false;
      return null;
    }
    throw e;
  }
}

class BodyGenerator {
  readonly consts = new Constants();
  private readonly terms = new TermEmitter(this.consts);

  constructor(private readonly functions: readonly CallTarget[]) {}

  source(body: Body): string {
    const steps = body.map((e, i) => this.step(e, i, i === body.length - 1));
    return `"use strict";\n${PRELUDE}${this.consts.declarations()}${steps.join('')}return s0;\n`;
  }

  /** `s<i>(ev, f, k)`: expression i, then the rest of the body, then k. */
  private step(e: Expr, i: number, last: boolean): string {
    const next = last ? 'k()' : `s${i + 1}(ev, f, k)`;
    const cont = last ? 'k' : `() => s${i + 1}(ev, f, k)`;
    const fallback = `return ev.evalExprStepped(${this.consts.ref(e)}, f, ${cont});\n`;
    const code = (e.withs.length === 0 && this.specialised(e, next, fallback)) || this.generic(e, next, cont);
    return `function s${i}(ev, f, k) {\nev.guard.step();\n${code}}\n`;
  }

  /** What Evaluator.evalBody does for any expression. */
  private generic(e: Expr, next: string, cont: string): string {
    const E = this.consts.ref(e);
    return (
      'const undo = ev.undo, base = undo.length;\n' +
      `const r = evalSingle(${E}, f, undo, ev);\n` +
      `const stop = r === NOT_SINGLE ? ev.evalExprStepped(${E}, f, ${cont}) : r ? ${next} : false;\n` +
      'while (undo.length > base) f[undo.pop()] = undefined;\n' +
      'return stop;\n'
    );
  }

  /** The fast paths of evalSingle and evalKind for this expression; undefined for none. */
  private specialised(e: Expr, next: string, fallback: string): string | undefined {
    const x = e.expr;
    switch (x.kind) {
      case 'some':
        return `return ${next};\n`;
      case 'somein':
        if (e.negated || x.key || x.value.type !== 'var' || x.value.slot === undefined) return undefined;
        return this.someIn(x.value.slot, x.domain, next, fallback);
      case 'term':
        if (x.term.type === 'call') return this.call(x.term, e.negated, next, fallback);
        return this.test(e, x.term, next, fallback);
      case 'unify':
      case 'assign':
        if (e.negated) return undefined;
        return this.assign(x.left, x.right, next, fallback);
      default:
        return undefined;
    }
  }

  /** `some x in xs` binding a fresh var (evalKind's fast path). */
  private someIn(slot: number, domain: Term, next: string, fallback: string): string {
    return (
      `if (f[${slot}] !== undefined) ${fallback}` +
      `let d;\n${this.terms.direct(domain, 'd')}` +
      `if (d === N) ${fallback}` +
      'if (d === undefined) return false;\n' +
      'const items = Array.isArray(d) ? d : d instanceof SetValue || d instanceof ObjectValue ? d.values() : EMPTY;\n' +
      'const guard = ev.guard;\n' +
      'for (let j = 0; j < items.length; j++) {\n' +
      'guard.step();\n' +
      `f[${slot}] = items[j];\n` +
      `const stop = ${next};\n` +
      `f[${slot}] = undefined;\n` +
      'if (stop) return true;\n' +
      '}\n' +
      'return false;\n'
    );
  }

  /** A term that must be defined and not false (or, negated, undefined or false). */
  private test(e: Expr, term: Term, next: string, fallback: string): string {
    const searched = e.negated
      ? `if (ev.evalKind(${this.consts.ref(e.expr)}, f, TRUE)) return false;\nreturn ${next};\n`
      : fallback;
    const holds = e.negated ? 'v === undefined || v === false' : 'v !== undefined && v !== false';
    return `let v;\n${this.terms.direct(term, 'v')}if (v === N) {\n${searched}}\nreturn ${holds} ? ${next} : false;\n`;
  }

  /** singleCall: a call of a function or builtin with known arguments. */
  private call(call: CallTerm, negated: boolean, next: string, fallback: string): string | undefined {
    const target = call.fn === undefined ? undefined : this.functions[call.fn];
    if (!target || (!(target instanceof RuleNode) && (target.relation || !target.fn))) return undefined;
    const n = call.arity ?? call.args.length;
    const output = call.args.length > n ? call.args[n] : undefined;
    if (output && negated) return undefined;
    const outVar = output?.type === 'var' && output.slot !== undefined ? output.slot : undefined;
    const neg = String(negated);
    let code = 'let r;\nL: {\nif (ev.state.mocks) { r = NOT_SINGLE; break L; }\n';
    if (output && outVar === undefined)
      code += `let o;\n${this.terms.direct(output, 'o')}if (o === N) { r = NOT_SINGLE; break L; }\n`;
    const args: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = `a${i}`;
      args.push(a);
      code += `let ${a};\n${this.terms.direct(call.args[i]!, a)}`;
      code += `if (${a} === N) { r = NOT_SINGLE; break L; }\nif (${a} === undefined) { r = ${neg}; break L; }\n`;
    }
    const invoke = target instanceof RuleNode ? 'callFunction' : 'callBuiltin';
    code += `const res = ev.${invoke}(${this.consts.ref(target)}, [${args.join(', ')}], ${this.consts.ref(call)});\n`;
    code += `if (res === undefined) { r = ${neg}; break L; }\n`;
    if (outVar !== undefined) {
      const bind = bindThen(outVar, 'res', next);
      code += `const cur = f[${outVar}];\nif (cur === undefined) {\n${bind}}\nr = equals(cur, res);\n`;
    } else if (output) {
      code += `let o2;\n${this.terms.direct(output, 'o2')}r = o2 !== N && o2 !== undefined && equals(o2, res);\n`;
    } else {
      code += `r = (res !== false) !== ${neg};\n`;
    }
    return `${code}}\nif (r === NOT_SINGLE) ${fallback}return r ? ${next} : false;\n`;
  }

  /** `x := value`, `x = value` (either way round): bind or compare, as evalSingle. */
  private assign(left: Term, right: Term, next: string, fallback: string): string | undefined {
    const slotOf = (t: Term) => (t.type === 'var' ? t.slot : undefined);
    const l = slotOf(left);
    const r = slotOf(right);
    if ((l === undefined) === (r === undefined)) return undefined;
    const slot = (l ?? r)!;
    const source = l !== undefined ? right : left;
    return (
      `if (f[${slot}] === undefined) {\n` +
      `let v;\n${this.terms.direct(source, 'v')}` +
      `if (v === N) ${fallback}` +
      'if (v === undefined) return false;\n' +
      bindThen(slot, 'v', next) +
      '}\n' +
      `let l;\n${this.terms.direct(left, 'l')}if (l === N) ${fallback}` +
      `let r;\n${this.terms.direct(right, 'r')}if (r === N) ${fallback}` +
      `return l !== undefined && r !== undefined && equals(l, r) ? ${next} : false;\n`
    );
  }
}

/** Binds a slot for the rest of the body (`next`), unbinding it when that returns. */
function bindThen(slot: number, value: string, next: string): string {
  return `f[${slot}] = ${value};\nconst stop = ${next};\nf[${slot}] = undefined;\nreturn stop;\n`;
}
