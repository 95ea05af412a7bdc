// Type descriptors for builtin signatures, after OPA's `types` package: what a builtin takes
// and returns, used for documentation, arity checks and (where values are known at compile
// time) type checks.

export type RegoType =
  | { readonly kind: 'any'; readonly of?: readonly RegoType[] }
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'number' }
  | { readonly kind: 'string' }
  | { readonly kind: 'array'; readonly static?: readonly RegoType[]; readonly dynamic?: RegoType }
  | { readonly kind: 'set'; readonly of: RegoType }
  | {
      readonly kind: 'object';
      readonly static?: readonly (readonly [string, RegoType])[];
      readonly dynamic?: { readonly key: RegoType; readonly value: RegoType };
    };

export const T = {
  any: { kind: 'any' } as RegoType,
  null: { kind: 'null' } as RegoType,
  boolean: { kind: 'boolean' } as RegoType,
  number: { kind: 'number' } as RegoType,
  string: { kind: 'string' } as RegoType,
  /** Any of the given types (OPA's `types.NewAny(...)`). */
  anyOf: (...of: RegoType[]): RegoType => ({ kind: 'any', of }),
  /** array[of] */
  array: (of: RegoType = { kind: 'any' }): RegoType => ({ kind: 'array', dynamic: of }),
  /** A fixed-length array (a tuple) of the given types. */
  tuple: (...items: RegoType[]): RegoType => ({ kind: 'array', static: items }),
  set: (of: RegoType = { kind: 'any' }): RegoType => ({ kind: 'set', of }),
  /** object[key: value] */
  object: (key: RegoType = { kind: 'any' }, value: RegoType = { kind: 'any' }): RegoType => ({
    kind: 'object',
    dynamic: { key, value },
  }),
  /** An object with known string keys. */
  record: (fields: Record<string, RegoType>): RegoType => ({ kind: 'object', static: Object.entries(fields) }),
} as const;

/** OPA's rendering of a type: `string`, `array[number]`, `object[string: any]`, `any<string, number>`. */
export function typeToString(t: RegoType): string {
  switch (t.kind) {
    case 'any':
      return t.of && t.of.length > 0 ? `any<${t.of.map(typeToString).join(', ')}>` : 'any';
    case 'array':
      if (t.static) return `array<${t.static.map(typeToString).join(', ')}>`;
      return `array[${typeToString(t.dynamic ?? T.any)}]`;
    case 'set':
      return `set[${typeToString(t.of)}]`;
    case 'object':
      if (t.static) return `object<${t.static.map(([k, v]) => `${k}: ${typeToString(v)}`).join(', ')}>`;
      return `object[${typeToString(t.dynamic?.key ?? T.any)}: ${typeToString(t.dynamic?.value ?? T.any)}]`;
    default:
      return t.kind;
  }
}
