// The deprecated cast_* builtins (OPA removed them from Rego v1; v0 modules may still call
// them): each returns its operand if it has the type, converting between arrays and sets.
import { SetValue, typeName, type TypeName, type Value } from '../value.js';
import { declare, implement, operandTypeError } from './table.js';
import { T, type RegoType } from '../types.js';

function cast(name: string, result: RegoType, fn: (x: Value) => Value): void {
  const decl = declare({
    name,
    args: [{ name: 'x', type: T.any }],
    result: { name: 'y', type: result },
    description: `Returns \`x\` as ${name.slice(5)} if it is one (deprecated).`,
    categories: ['conversions'],
    deprecated: true,
  });
  implement(decl, ([x]) => fn(x!));
}

function same(type: TypeName) {
  return (x: Value): Value => {
    if (typeName(x) !== type) throw operandTypeError(1, x, type);
    return x;
  };
}

cast('cast_array', T.array(), (x) => {
  if (Array.isArray(x)) return x;
  if (x instanceof SetValue) return [...x.values()];
  throw operandTypeError(1, x, 'array', 'set');
});
cast('cast_set', T.set(), (x) => {
  if (x instanceof SetValue) return x;
  if (Array.isArray(x)) return SetValue.of(x);
  throw operandTypeError(1, x, 'array', 'set');
});
cast('cast_string', T.string, same('string'));
cast('cast_boolean', T.boolean, same('boolean'));
cast('cast_null', T.null, same('null'));
cast('cast_object', T.object(), same('object'));
