// The Rego syntax tree, as the parser produces it and the compiler stages rewrite it.
// Every node carries its location (file, line, column) for error messages.
import type { Location } from '../errors.js';
import type { RegoNumber } from '../number.js';
import type { Value } from '../value.js';

export type Scalar = null | boolean | RegoNumber | string;

export type Term =
  | ScalarTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | CallTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | TemplateTerm;

export interface ScalarTerm {
  readonly type: 'scalar';
  readonly value: Scalar;
  readonly loc: Location;
}

export interface VarTerm {
  readonly type: 'var';
  /** After RewriteLocalVars, unique within a rule; generated names start with `__`. */
  name: string;
  readonly loc: Location;
  /** Frame slot, assigned by the AllocateSlots stage. */
  slot?: number;
}

/** `head.a[b][1]`: the head is a var (input, data, a local) or a call/composite; dot keys are strings. */
export interface RefTerm {
  readonly type: 'ref';
  head: Term;
  path: Term[];
  readonly loc: Location;
  /** For `data...` refs with constant keys: the keys (set by AllocateSlots). */
  keys?: Value[];
  /** For other refs whose keys are all constant strings (`c.resources.limits.cpu`): the keys,
   * and their text as one cache key (set by AllocateSlots). */
  constPath?: string[];
  pathKey?: string;
}

export interface ArrayTerm {
  /** The value, when the term is a constant (set by the compiler). */
  value?: Value;
  readonly type: 'array';
  items: Term[];
  readonly loc: Location;
}

export interface ObjectTerm {
  /** The value, when the term is a constant (set by the compiler). */
  value?: Value;
  readonly type: 'object';
  entries: [Term, Term][];
  readonly loc: Location;
}

export interface SetTerm {
  /** The value, when the term is a constant (set by the compiler). */
  value?: Value;
  readonly type: 'set';
  items: Term[];
  readonly loc: Location;
}

/** `f(x)`, `a.b.c(x)`, and operators (`x + 1` is `plus(x, 1)`). `name` is the dotted name
 * as written; the ResolveRefs stage turns user functions into `data.pkg.f`. */
export interface CallTerm {
  readonly type: 'call';
  name: string;
  args: Term[];
  readonly loc: Location;
  /** The operator text when written infix (`+`), for messages. */
  readonly infix?: string;
  /** What the name refers to, as an index into the compiled policy's function table (set by
   * CheckFunctions): the syntax tree knows no layer above it. */
  fn?: number;
  /** Number of input arguments; a call with one more argument unifies its result with it. */
  arity?: number;
  /** The last argument is an output var the compiler added (RewriteExprTerms). */
  withOutput?: boolean;
  /** Order to evaluate the input arguments in, when not left to right (set by CheckSafety). */
  argOrder?: number[];
}

export interface ArrayComprehension {
  /** Vars owned by this closure (set by RewriteLocalVars). */
  locals?: Set<string>;
  readonly type: 'arraycomp';
  term: Term;
  body: Body;
  readonly loc: Location;
}

export interface SetComprehension {
  /** Vars owned by this closure (set by RewriteLocalVars). */
  locals?: Set<string>;
  readonly type: 'setcomp';
  term: Term;
  body: Body;
  readonly loc: Location;
}

export interface ObjectComprehension {
  /** Vars owned by this closure (set by RewriteLocalVars). */
  locals?: Set<string>;
  readonly type: 'objectcomp';
  key: Term;
  value: Term;
  body: Body;
  readonly loc: Location;
}

/** `$"a {x} b"`: literal parts alternate with embedded expressions (a term, maybe `with`). */
export interface TemplateTerm {
  readonly type: 'template';
  parts: (string | Expr)[];
  readonly loc: Location;
}

export type Body = Expr[];

export type ExprKind =
  /** A term that must be defined and not false (a call, a ref, a comparison). */
  | { kind: 'term'; term: Term }
  /** `a = b` */
  | { kind: 'unify'; left: Term; right: Term }
  /** `a := b` (declares the vars of `a`) */
  | { kind: 'assign'; left: Term; right: Term }
  /** `some x, y` */
  | { kind: 'some'; vars: VarTerm[] }
  /** `some v in xs`, `some k, v in xs` */
  | { kind: 'somein'; key?: Term; value: Term; domain: Term }
  /** `every k, v in xs { body }` */
  | { kind: 'every'; key?: Term; value: Term; domain: Term; body: Body; locals?: Set<string> };

export interface With {
  /** `input...` or `data...` or a function/builtin name, as a ref. */
  target: RefTerm | VarTerm;
  value: Term;
  readonly loc: Location;
  /** Set by the CheckWith stage: what is replaced. */
  kind?: 'input' | 'data' | 'func';
  /** For input/data: the path below the root. */
  path?: Value[];
  /** For func: the function or builtin name replaced. */
  func?: string;
  /** When the value names a function or builtin, the replacement function's name. */
  replacement?: string;
}

export interface Expr {
  expr: ExprKind;
  negated: boolean;
  withs: With[];
  readonly loc: Location;
  /** True for expressions the compiler generated (lifted calls...). */
  generated?: boolean;
  /** Source text of the expression (queries report it with each expression's value). */
  text?: string;
  /** In queries: the var that captures the expression's value (RewriteToCaptureValue). */
  capture?: string;
}

/**
 * One rule. The head's `ref` is the full path as written (`p`, `a.b[x].c`); a multi-value
 * rule (`contains`) has a `key`; a function has `args`. `value` is undefined only for
 * multi-value rules. Rules chained with `else` hang off `else`.
 */
export interface Rule {
  ref: Term[];
  args?: Term[];
  key?: Term;
  value?: Term;
  /** Written with `:=` (so redeclaring the name elsewhere is an error). */
  assign: boolean;
  isDefault: boolean;
  body: Body;
  else?: Rule;
  readonly loc: Location;
  /** The module (file) the rule is in. */
  readonly file: string;
  /** The value was not written (`p if ...`, `p[x] if ...`): it defaults to true. */
  implicitValue?: boolean;
  /** Written as v0 partial set `p[x] { ... }` / v1 `p contains x`. */
  readonly multi: boolean;
  /** From metadata: the module's Rego version. */
  readonly regoVersion: RegoVersion;
  /** The `# METADATA` annotations above the rule, as parsed YAML-like text. */
  annotations?: string;
}

export type RegoVersion = 0 | 1;

export interface Import {
  /** `data.lib.x` or `input.y` or `future.keywords.in` / `rego.v1` */
  readonly path: string[];
  readonly alias?: string;
  readonly loc: Location;
}

export interface Module {
  readonly file: string;
  /** The package path without `data`: `["lib", "k8s"]`. */
  readonly pkg: string[];
  readonly pkgLoc: Location;
  readonly imports: Import[];
  readonly rules: Rule[];
  readonly regoVersion: RegoVersion;
  /** `# METADATA` blocks of the package (for rego.metadata.chain). */
  annotations?: string;
}

export interface Query {
  body: Body;
}

export const loc0 = (file: string): Location => ({ file, line: 1, column: 1 });
