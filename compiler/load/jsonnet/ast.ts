// The Jsonnet syntax tree after the parser's desugaring: `a.b` is an index, `a {…}` is `a + {…}`,
// method and local function sugar are functions, `if` without `else` has a null branch. Slices,
// `%`, `in` and `!=` keep nodes of their own and are evaluated by the standard library's code.
import type { Loc } from './errors.js';

export type BinaryOp =
  | '*'
  | '/'
  | '%'
  | '+'
  | '-'
  | '<<'
  | '>>'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | 'in'
  | '&'
  | '^'
  | '|'
  | '&&'
  | '||';

export type UnaryOp = '-' | '+' | '!' | '~';

/** `:` inherits visibility, `::` hides, `:::` forces visible. */
export type Visibility = 'inherit' | 'hidden' | 'visible';

export interface Bind {
  readonly name: string;
  readonly body: Node;
  readonly loc: Loc;
}

export interface Param {
  readonly name: string;
  readonly default?: Node;
}

export interface Field {
  /** A fixed name (identifier or string), or the expression computing it. */
  readonly name: string | Node;
  readonly visibility: Visibility;
  readonly plus: boolean;
  readonly body: Node;
  readonly loc: Loc;
}

export interface ObjectAssert {
  readonly cond: Node;
  readonly message?: Node;
  readonly loc: Loc;
}

export type CompSpec =
  | { readonly kind: 'for'; readonly name: string; readonly source: Node }
  | { readonly kind: 'if'; readonly cond: Node };

export interface NamedArg {
  readonly name: string;
  readonly value: Node;
}

/**
 * Variables are resolved by the analyzer to a frame count (`hops`) and a slot (`index`): the
 * evaluator's environments are built to mirror the scopes the analyzer walks.
 */
export type Node =
  | { k: 'literal'; loc: Loc; value: null | boolean | number | string }
  | { k: 'self'; loc: Loc }
  | { k: 'dollar'; loc: Loc }
  | { k: 'var'; loc: Loc; name: string; hops: number; index: number }
  | { k: 'array'; loc: Loc; items: Node[] }
  | { k: 'arrayComp'; loc: Loc; body: Node; specs: CompSpec[] }
  | { k: 'object'; loc: Loc; fields: Field[]; locals: Bind[]; asserts: ObjectAssert[] }
  | {
      k: 'objectComp';
      loc: Loc;
      key: Node;
      plus: boolean;
      value: Node;
      locals: Bind[];
      specs: CompSpec[];
    }
  | { k: 'index'; loc: Loc; target: Node; index: Node }
  | { k: 'superIndex'; loc: Loc; index: Node }
  | { k: 'inSuper'; loc: Loc; name: Node }
  | { k: 'slice'; loc: Loc; target: Node; start?: Node; end?: Node; step?: Node }
  | { k: 'apply'; loc: Loc; fn: Node; args: Node[]; named: NamedArg[]; tailstrict: boolean }
  | { k: 'binary'; loc: Loc; op: BinaryOp; left: Node; right: Node }
  | { k: 'unary'; loc: Loc; op: UnaryOp; operand: Node }
  | { k: 'if'; loc: Loc; cond: Node; then: Node; else?: Node }
  | { k: 'local'; loc: Loc; binds: Bind[]; body: Node }
  | { k: 'function'; loc: Loc; params: Param[]; body: Node; name?: string }
  | { k: 'assert'; loc: Loc; cond: Node; message?: Node; rest: Node }
  | { k: 'error'; loc: Loc; value: Node }
  | { k: 'import'; loc: Loc; kind: ImportKind; path: string };

export type ImportKind = 'import' | 'importstr' | 'importbin';

export type NodeOf<K extends Node['k']> = Extract<Node, { k: K }>;
