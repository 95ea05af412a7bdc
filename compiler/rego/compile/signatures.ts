// Function signatures as the type checker sees them, and OPA's argument errors:
//   count: invalid argument(s)
//   	have: (number, ???)
//   	want: (collection: any<string, array[any], object[any: any], set[any]>, n: number)
import type { Term } from '../ast/nodes.js';
import type { Builtin } from '../builtins/table.js';
import { type Location, RegoError } from '../errors.js';
import { type FunctionType, objectType, or, type RegoType, T, typeOfValue, typeToString } from '../types.js';

const signatures = new WeakMap<Builtin, FunctionType>();

/** A builtin's signature as a function type, with its argument and result names. */
export function builtinType(b: Builtin): FunctionType {
  let f = signatures.get(b);
  if (!f) {
    const d = b.decl;
    f = d.variadic
      ? { kind: 'function', args: [], variadic: d.args[0]!.type }
      : {
          kind: 'function',
          args: d.args.map((a) => a.type),
          result: d.result.type,
          names: d.args.map((a) => a.name),
          resultName: d.result.name,
        };
    signatures.set(b, f);
  }
  return f;
}

/** `name: what` with the argument types found (`have`) and the signature (`want`). */
export function argError(
  at: Location,
  name: string,
  what: string,
  have: readonly (RegoType | undefined)[],
  want: string,
): RegoError {
  return new RegoError('rego_type_error', `${name}: ${what}`, at, undefined, [
    `have: (${have.map(typeToString).join(', ')})`,
    `want: ${want}`,
  ]);
}

/** The type of a term before any var has a type: literals, and `any` for input and data. */
export function literalType(t: Term): RegoType | undefined {
  switch (t.type) {
    case 'scalar':
      return typeOfValue(t.value);
    case 'var':
      return t.name === 'input' || t.name === 'data' ? T.any : undefined;
    case 'ref':
      return t.head.type === 'var' && (t.head.name === 'input' || t.head.name === 'data') ? T.any : undefined;
    case 'array':
      return t.items.length === 0 ? T.array() : { kind: 'array', static: t.items.map((x) => literalType(x)!) };
    case 'set': {
      let of: RegoType | undefined;
      for (const x of t.items) of = or(of, literalType(x));
      return T.set(of ?? T.any);
    }
    case 'object': {
      if (t.entries.length === 0) return T.object();
      const props: [string | number | boolean | null, RegoType | undefined][] = [];
      for (const [k, v] of t.entries) if (k.type === 'scalar') props.push([k.value as string, literalType(v)]);
      return objectType(props, props.length < t.entries.length ? { key: undefined, value: undefined } : undefined);
    }
    default:
      return undefined;
  }
}
