// Errors are values: a code from OPA's vocabulary, a message and a location. Parse and compile
// stages collect them in lists sorted by location; evaluation stops at the first one (it is
// thrown as a RegoError and caught at the engine boundary, never leaking as a raw exception).

export interface Location {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export type ErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_type_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'eval_builtin_error'
  | 'eval_type_error'
  | 'eval_conflict_error'
  | 'eval_cancel_error'
  | 'eval_limit_error'
  | 'eval_internal_error';

export class RegoError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly location?: Location,
    /** What to do about it, when we can say. */
    readonly hint?: string,
    /** Lines that explain the error (a type error's `have:`/`want:`), shown under the message. */
    readonly details?: readonly string[],
  ) {
    super(message);
    this.name = 'RegoError';
  }

  /** OPA's one-line form: `file:line: code: message`. */
  override toString(): string {
    const where = this.location ? `${this.location.file}:${this.location.line}: ` : '';
    const details = this.details ? this.details.map((l) => `\n\t${l}`).join('') : '';
    return `${where}${this.code}: ${this.message}${details}`;
  }
}

export function compareLocations(a?: Location, b?: Location): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}

export function sortErrors(errors: readonly RegoError[]): RegoError[] {
  return [...errors].sort(
    (a, b) => compareLocations(a.location, b.location) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** Several errors of one stage, thrown together by APIs that cannot return a list. */
export class RegoErrors extends Error {
  constructor(readonly errors: readonly RegoError[]) {
    super(errors.map((e) => e.toString()).join('\n'));
    this.name = 'RegoErrors';
  }
}
