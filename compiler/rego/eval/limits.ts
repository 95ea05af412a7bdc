// Safety limits. A policy that exceeds one fails with eval_limit_error: the evaluation is an
// error (fail closed), never a pass, and it stops (a builtin that hits a limit does not make
// its call undefined, even without strict builtin errors).
import type { Budget } from '../builtins/table.js';
import { RegoError } from '../errors.js';

export interface EvalLimits {
  /** Expressions evaluated and members iterated in one query evaluation. */
  readonly maxSteps: number;
  /** Nested rule and function evaluations. */
  readonly maxDepth: number;
  /** Wall-clock milliseconds for one query evaluation, checked between steps and inside builtins. */
  readonly timeoutMs: number;
  /**
   * Memory one evaluation may allocate, in bytes: the strings and collections builtins and
   * comprehensions create (one byte per character, 16 per collection member), counted as
   * they are made, freed or not.
   */
  readonly maxMemoryBytes: number;
}

/**
 * The defaults keep any policy far from the process's limits: 30 s, and 256 MiB of
 * allocations, a fraction of V8's default heap (2 to 4 GiB), so the process survives an
 * evaluation that retains all it allocates.
 */
export const DEFAULT_LIMITS: EvalLimits = {
  maxSteps: 50_000_000,
  maxDepth: 500,
  timeoutMs: 30_000,
  maxMemoryBytes: 256 * 1024 * 1024,
};

function limitError(message: string, hint: string): RegoError {
  return new RegoError('eval_limit_error', message, undefined, hint);
}

export class LimitGuard implements Budget {
  private steps = 0;
  private depth = 0;
  private bytes = 0;
  private readonly deadline: number;

  constructor(private readonly limits: EvalLimits) {
    this.deadline = Date.now() + limits.timeoutMs;
  }

  step(): void {
    const n = ++this.steps;
    if (n > this.limits.maxSteps) {
      throw limitError(
        `evaluation exceeded the step limit (${this.limits.maxSteps} expressions)`,
        'raise limits.maxSteps if the policy is expected to do this much work',
      );
    }
    if ((n & 1023) === 0) this.checkDeadline();
  }

  checkDeadline(): void {
    if (Date.now() > this.deadline) {
      throw limitError(
        `evaluation exceeded the time limit (${this.limits.timeoutMs} ms)`,
        'raise limits.timeoutMs or simplify the policy',
      );
    }
  }

  allocate(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxMemoryBytes) {
      throw limitError(
        `evaluation exceeded the memory budget (${this.limits.maxMemoryBytes} bytes of strings and collections)`,
        'raise limits.maxMemoryBytes if the policy is expected to build values this large',
      );
    }
  }

  /** `what` is named only in the error (computing names on every call costs). */
  enter(what: { readonly name: string }): void {
    if (++this.depth > this.limits.maxDepth) {
      this.depth = 0;
      throw limitError(
        `evaluation exceeded the depth limit (${this.limits.maxDepth} nested rules or functions) in ${what.name}`,
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
