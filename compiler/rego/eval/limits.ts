// Safety limits. A policy that exceeds one fails with eval_limit_error: the evaluation is an
// error (fail closed), never a pass.
import { RegoError } from '../errors.js';

export interface EvalLimits {
  /** Expressions evaluated in one query evaluation. */
  readonly maxSteps: number;
  /** Nested rule and function evaluations. */
  readonly maxDepth: number;
  /** Wall-clock milliseconds for one query evaluation. */
  readonly timeoutMs: number;
}

export const DEFAULT_LIMITS: EvalLimits = { maxSteps: 50_000_000, maxDepth: 500, timeoutMs: 30_000 };

export class LimitGuard {
  private steps = 0;
  private depth = 0;
  private readonly deadline: number;

  constructor(private readonly limits: EvalLimits) {
    this.deadline = Date.now() + limits.timeoutMs;
  }

  step(): void {
    const n = ++this.steps;
    if (n > this.limits.maxSteps) {
      throw new RegoError(
        'eval_limit_error',
        `evaluation exceeded the step limit (${this.limits.maxSteps} expressions)`,
        undefined,
        'raise limits.maxSteps if the policy is expected to do this much work',
      );
    }
    if ((n & 1023) === 0 && Date.now() > this.deadline) {
      throw new RegoError(
        'eval_limit_error',
        `evaluation exceeded the time limit (${this.limits.timeoutMs} ms)`,
        undefined,
        'raise limits.timeoutMs or simplify the policy',
      );
    }
  }

  /** `what` is named only in the error (computing names on every call costs). */
  enter(what: { readonly name: string }): void {
    if (++this.depth > this.limits.maxDepth) {
      this.depth = 0;
      throw new RegoError(
        'eval_limit_error',
        `evaluation exceeded the depth limit (${this.limits.maxDepth} nested rules or functions) in ${what.name}`,
        undefined,
        'raise limits.maxDepth if the policy nests this deeply',
      );
    }
  }

  leave(): void {
    this.depth--;
  }

  get stepsTaken(): number {
    return this.steps;
  }
}
