// Jsonnet values. Scalars are JavaScript's; arrays hold lazy elements; objects are a stack of
// layers (the operands of `+`, leftmost first) so that `self` and `super` bind late; functions
// are closures or the standard library's native code.
import type { Bind, Node, Visibility } from './ast.js';
import type { Loc } from './errors.js';

export type Value = null | boolean | number | string | JArray | JObject | JFunction;

/** A value computed on first use: array elements, arguments, locals and fields are lazy. */
export interface Thunk {
  force(): Value;
}

/** A value already known. */
export class Ready implements Thunk {
  constructor(readonly value: Value) {}

  force(): Value {
    return this.value;
  }
}

/** A value computed by native code on first use (the standard library's lazy array elements). */
export class Lazy implements Thunk {
  private value: Value | undefined;

  constructor(private compute: (() => Value) | null) {}

  force(): Value {
    if (this.value === undefined) {
      this.value = this.compute!();
      this.compute = null;
    }
    return this.value;
  }
}

/**
 * Where an expression is evaluated: variable slots (a frame per binding construct, resolved by
 * the analyzer), and the object the expression belongs to: `self`, the layer it was written in
 * (`super` is the layers below), and `$`, the outermost object.
 */
export class Env {
  constructor(
    readonly up: Env | null,
    readonly slots: Thunk[],
    readonly self: JObject | null,
    readonly layer: number,
    readonly dollar: JObject | null,
  ) {}

  /** A frame of variables within the same object. */
  extend(slots: Thunk[]): Env {
    return new Env(this, slots, this.self, this.layer, this.dollar);
  }
}

export class JArray {
  constructor(readonly items: readonly Thunk[]) {}

  get length(): number {
    return this.items.length;
  }

  static of(values: readonly Value[]): JArray {
    return new JArray(values.map((v) => new Ready(v)));
  }
}

export interface FieldDef {
  readonly visibility: Visibility;
  readonly plus: boolean;
  /** The expression and where it is written; or, for fields built by native code, the value. */
  readonly body?: Node;
  readonly env?: Env;
  readonly locals?: readonly Bind[];
  readonly value?: Thunk;
}

export interface ObjectAssertDef {
  readonly cond: Node;
  readonly message?: Node;
  readonly env: Env;
  readonly locals: readonly Bind[];
}

/** One operand of `+` on objects: its own fields and assertions. */
export interface Layer {
  readonly fields: ReadonlyMap<string, FieldDef>;
  readonly asserts: readonly ObjectAssertDef[];
}

export class JObject {
  /** Field values of the whole object, by name. */
  readonly cache = new Map<string, Value>();
  /** 0: assertions not checked yet, 1: being checked, 2: passed. */
  assertState = 0;
  private visibility: Map<string, boolean> | undefined;

  constructor(readonly layers: readonly Layer[]) {
    if (layers.every((l) => l.asserts.length === 0)) this.assertState = 2;
  }

  /** The topmost layer at or below `from` that defines the field, or -1. */
  find(name: string, from = this.layers.length - 1): number {
    for (let i = from; i >= 0; i--) if (this.layers[i]!.fields.has(name)) return i;
    return -1;
  }

  /** Every field name with whether it is visible: the topmost `::`/`:::` decides, else visible. */
  fields(): Map<string, boolean> {
    if (this.visibility) return this.visibility;
    const vis = new Map<string, boolean>();
    for (const layer of this.layers) {
      for (const [name, def] of layer.fields) {
        if (def.visibility === 'hidden') vis.set(name, false);
        else if (def.visibility === 'visible') vis.set(name, true);
        else if (!vis.has(name)) vis.set(name, true);
      }
    }
    this.visibility = vis;
    return vis;
  }
}

export interface NativeFunction {
  readonly name: string;
  readonly params: readonly string[];
  /** Defaults of trailing optional parameters (`undefined`: optional without a value). */
  readonly defaults?: readonly (Value | undefined)[];
  /** Arguments are lazy; a native forces what it needs. `undefined` is an omitted optional one. */
  readonly call: (args: (Thunk | undefined)[], loc: Loc) => Value;
}

export class JFunction {
  constructor(
    readonly params: readonly { readonly name: string; readonly default?: Node }[],
    readonly body: Node | null,
    readonly env: Env | null,
    readonly name: string,
    readonly native?: NativeFunction,
  ) {}

  static native(fn: NativeFunction): JFunction {
    return new JFunction(
      fn.params.map((name) => ({ name })),
      null,
      null,
      fn.name,
      fn,
    );
  }
}

/** An object built by native code: its fields and their lazy values. */
export function objectOf(entries: Iterable<readonly [string, Thunk]>, visibility: Visibility = 'inherit'): JObject {
  const fields = new Map<string, FieldDef>();
  for (const [name, value] of entries) fields.set(name, { visibility, plus: false, value });
  return new JObject([{ fields, asserts: [] }]);
}

export function typeOf(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
  }
  if (v instanceof JArray) return 'array';
  if (v instanceof JObject) return 'object';
  return 'function';
}
