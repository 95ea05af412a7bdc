// Type tests (is_number, ...) and type_name. The `is_*` builtins are false, not undefined,
// for other types.
import { typeName, type TypeName } from '../value.js';
import { declare, implement } from './table.js';
import { T } from '../types.js';

const categories = ['types'];

function typeTest(name: string, type: TypeName, article: string, description: string): void {
  const decl = declare({
    name,
    args: [{ name: 'x', type: T.any, description: 'input value' }],
    result: {
      name: 'result',
      type: T.boolean,
      description: `\`true\` if \`x\` is ${article} ${type}, \`false\` otherwise.`,
    },
    description,
    categories,
  });
  implement(decl, ([x]) => typeName(x!) === type);
}

typeTest('is_number', 'number', 'a', 'Returns `true` if the input value is a number.');
typeTest('is_string', 'string', 'a', 'Returns `true` if the input value is a string.');
typeTest('is_boolean', 'boolean', 'an', 'Returns `true` if the input value is a boolean.');
typeTest('is_array', 'array', 'an', 'Returns `true` if the input value is an array.');
typeTest('is_set', 'set', 'a', 'Returns `true` if the input value is a set.');
typeTest('is_object', 'object', 'an', 'Returns true if the input value is an object');
typeTest('is_null', 'null', '', 'Returns `true` if the input value is null.');

const typeNameBuiltin = declare({
  name: 'type_name',
  args: [{ name: 'x', type: T.any, description: 'input value' }],
  result: {
    name: 'type',
    type: T.string,
    description: 'one of "null", "boolean", "number", "string", "array", "object", "set"',
  },
  description: 'Returns the type of its input value.',
  categories,
});
implement(typeNameBuiltin, ([x]) => typeName(x!));
