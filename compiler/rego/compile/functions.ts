// Stage CheckFunctions: every call names a builtin or a user function, with a valid number of
// arguments (n inputs, or n + 1 with an output to unify). The call is annotated with its
// target (an index into `Functions.targets`) so the evaluator never looks names up.
import type { Body, CallTerm, Rule, Term } from '../ast/nodes.js';
import { lookupBuiltin, type Builtin } from '../builtins/table.js';
import { RegoError } from '../errors.js';
import type { RuleNode } from './rule-tree.js';
import { headTerms, walkBody, walkTerm } from './walk.js';

export interface FunctionResolver {
  /** Input arity of a function or builtin name, for the safety stage. */
  arity(name: string): number | undefined;
}

/** What a call runs: a builtin, or the rule-tree node of a user function. */
export type CallTarget = Builtin | RuleNode;

export class Functions implements FunctionResolver {
  /** The function table: `CallTerm.fn` indexes it. Queries compiled later append to it. */
  readonly targets: CallTarget[] = [];
  private readonly indexes = new Map<CallTarget, number>();

  constructor(
    private readonly tree: RuleNode,
    private readonly errors: RegoError[],
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

  check(call: CallTerm, allowDeprecated = this.allowDeprecated): void {
    const user = this.userFunction(call.name);
    if (user) {
      const n = this.arity(call.name)!;
      call.fn = this.indexOf(user);
      call.arity = n;
      if (call.args.length !== n && call.args.length !== n + 1) this.arityError(call, n);
      return;
    }
    const b = lookupBuiltin(call.name);
    if (!b || (b.decl.deprecated && !allowDeprecated)) {
      const hint = call.name.startsWith('data.') ? `${call.name} is not a function` : `undefined function ${call.name}`;
      this.errors.push(new RegoError('rego_type_error', hint, call.loc));
      return;
    }
    call.fn = this.indexOf(b);
    if (b.decl.variadic) {
      call.arity = call.args.length;
      return;
    }
    const n = b.decl.args.length;
    call.arity = n;
    if (call.args.length !== n && call.args.length !== n + 1) this.arityError(call, n);
  }

  private arityError(call: CallTerm, n: number): void {
    const got = call.args.length;
    const what = got < n ? 'too few arguments' : 'too many arguments';
    this.errors.push(new RegoError('rego_type_error', `${call.name}: ${what}: expected ${n}, got ${got}`, call.loc));
  }

  body(body: Body, allowDeprecated?: boolean): void {
    walkBody(body, (t) => {
      if (t.type === 'call') this.check(t, allowDeprecated);
    });
  }

  rule(rule: Rule): void {
    const allow = this.allowDeprecated || rule.regoVersion === 0;
    this.body(rule.body, allow);
    for (const t of headTerms(rule)) walkTerm(t, (x: Term) => x.type === 'call' && this.check(x, allow));
    if (rule.else) this.rule(rule.else);
  }
}
