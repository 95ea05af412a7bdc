// Jsonnet's errors: static (lexing, parsing, scope checks) and runtime, each at the position of
// the offending expression, plus the limits (time, stack, memory) that stop an evaluation.

/** A position in a Jsonnet source file: 1-based line and column. */
export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/**
 * `error`: a static or runtime error of the program; `timeout`, `stack`, `memory`: a limit was
 * hit; `import`: an import was refused by the import policy (outside the allowed roots).
 */
export type ErrorKind = 'static' | 'runtime' | 'timeout' | 'stack' | 'memory' | 'import';

export class JsonnetError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** The message alone, without location or trace. */
    readonly text: string,
    readonly loc: Loc | undefined,
    /** Where the evaluation was, innermost first: `file:line:col` and the frame's name. */
    readonly trace: readonly string[] = [],
    readonly hint?: string,
    /** A diagnostic code chosen by the importer for its refusals. */
    readonly code?: string,
  ) {
    super(text);
  }

  /** The message as the jsonnet command prints it: kind, message, then the trace. */
  render(): string {
    if (this.kind === 'static') return `STATIC ERROR: ${this.loc ? `${formatLoc(this.loc)}: ` : ''}${this.text}`;
    const lines = [`RUNTIME ERROR: ${this.text}`];
    for (const t of this.trace) lines.push(`\t${t}`);
    return lines.join('\n');
  }
}

export const formatLoc = (loc: Loc): string => (loc.line === 0 ? loc.file : `${loc.file}:${loc.line}:${loc.col}`);

export function staticError(text: string, loc: Loc): JsonnetError {
  return new JsonnetError('static', text, loc);
}

/** Cut a value echoed in a message short, so that a huge string does not flood the output. */
export function shorten(text: string, max = 60): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
