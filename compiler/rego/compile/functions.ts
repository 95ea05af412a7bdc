// Stage CheckFunctions: every call names a builtin or a user function, with a valid number of
// arguments (n inputs, or n + 1 with an output to unify). The call is annotated with its
// target (an index into `Functions.targets`) so the evaluator never looks names up.
import type { Body, CallTerm, Rule, Term } from '../ast/nodes.js';
import { lookupBuiltin } from '../builtins/table.js';
import { RegoError } from '../errors.js';
import type { CallTarget, FunctionTable, RuleNode } from './rule-tree.js';
import { argError, builtinType, literalType } from './signatures.js';
import { funcArgsString } from '../types.js';
import { headTerms, walkBody, walkTerm } from './walk.js';

export interface FunctionResolver {
  /** Input arity of a function or builtin name, for the safety stage. */
  arity(name: string): number | undefined;
}

export class Functions implements FunctionResolver, FunctionTable {
  /** The function table: `CallTerm.fn` indexes it. Queries compiled later append to it. */
  readonly targets: CallTarget[] = [];
  private readonly indexes = new Map<CallTarget, number>();

  constructor(
    private readonly tree: RuleNode,
    /** Builtins a v1 module may not call (deprecated in OPA 1.x). */
    private readonly allowDeprecated: boolean = false,
  ) {}

  /** The user function at `data.a.b.f`, if any. */
  userFunction(name: string): RuleNode | undefined {
    if (!name.startsWith('data.')) return undefined;
    const node = this.tree.find(name.split('.').slice(1));
    return node?.isFunction ? node : undefined;
  }

  private indexOf(target: CallTarget): number {
    let i = this.indexes.get(target);
    if (i === undefined) {
      i = this.targets.push(target) - 1;
      this.indexes.set(target, i);
    }
    return i;
  }

  arity(name: string): number | undefined {
    const user = this.userFunction(name);
    if (user) return (user.funcs[0] ?? user.default)!.rule.args!.length;
    const b = lookupBuiltin(name);
    return b && !b.decl.variadic ? b.decl.args.length : undefined;
  }

  /** Annotates `call` with its target, or adds the reason it has none to `errors`. */
  check(call: CallTerm, errors: RegoError[], allowDeprecated = this.allowDeprecated): void {
    const user = this.userFunction(call.name);
    if (user) {
      const n = this.arity(call.name)!;
      call.fn = this.indexOf(user);
      call.arity = n;
      if (!arityOk(call, n)) {
        const got = call.withOutput ? call.args.length - 1 : call.args.length;
        const message = `function ${call.name} has arity ${n}, got ${got} argument${got === 1 ? '' : 's'}`;
        errors.push(new RegoError('rego_type_error', message, call.loc));
      }
      return;
    }
    const b = call.name.startsWith('data.') ? undefined : lookupBuiltin(call.name);
    if (!b || (b.decl.deprecated && !allowDeprecated)) {
      errors.push(new RegoError('rego_type_error', `undefined function ${call.name}`, call.loc));
      return;
    }
    call.fn = this.indexOf(b);
    if (b.decl.variadic) {
      call.arity = call.args.length;
      return;
    }
    const n = b.decl.args.length;
    call.arity = n;
    if (!arityOk(call, n)) {
      const f = builtinType(b);
      errors.push(argError(call.loc, call.name, 'arity mismatch', call.args.map(literalType), funcArgsString(f, true)));
    }
  }

  body(body: Body, errors: RegoError[], allowDeprecated?: boolean): void {
    walkBody(body, (t) => {
      if (t.type === 'call') this.check(t, errors, allowDeprecated);
    });
  }

  rule(rule: Rule, errors: RegoError[]): void {
    const allow = this.allowDeprecated || rule.regoVersion === 0;
    this.body(rule.body, errors, allow);
    for (const t of headTerms(rule)) walkTerm(t, (x: Term) => x.type === 'call' && this.check(x, errors, allow));
    if (rule.else) this.rule(rule.else, errors);
  }
}

/** n inputs, or n + 1 with an output to unify; exactly n + 1 when the compiler added the output. */
function arityOk(call: CallTerm, n: number): boolean {
  const got = call.args.length;
  return call.withOutput ? got === n + 1 : got === n || got === n + 1;
}
