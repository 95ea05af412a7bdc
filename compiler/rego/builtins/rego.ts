// Builtins about Rego itself. `rego.metadata.*` calls in rules are replaced by constants at
// compile time (compile/metadata.ts); these implementations serve queries, which have no
// annotations.
import { moduleToJSON } from '../ast/to-json.js';
import { parseModule } from '../ast/parser.js';
import { fromJS, ObjectValue } from '../value.js';
import { stringArg } from './args.js';
import { BuiltinError, declare, implement } from './table.js';
import { T } from '../types.js';

const chain = declare({
  name: 'rego.metadata.chain',
  args: [],
  result: {
    name: 'chain',
    type: T.array(T.any),
    description: 'each rule and package annotation in the chain, from the rule to the root',
  },
  description:
    'Returns the chain of metadata for the active rule, ordered starting at the active rule, going outward to ' +
    'the most distant node in its package ancestry.',
  categories: ['rego'],
});
implement(chain, () => []);

const rule = declare({
  name: 'rego.metadata.rule',
  args: [],
  result: {
    name: 'output',
    type: T.any,
    description: '"rule" scope annotations for this rule; empty object if no annotations exist',
  },
  description: 'Returns annotations declared for the active rule and using the _rule_ scope.',
  categories: ['rego'],
});
implement(rule, () => new ObjectValue());

const parse = declare({
  name: 'rego.parse_module',
  args: [
    { name: 'filename', type: T.string, description: 'file name to attach to AST nodes locations' },
    { name: 'rego', type: T.string, description: 'Rego module' },
  ],
  result: { name: 'output', type: T.object(T.string, T.any), description: 'AST object for the Rego module' },
  description: 'Parses the input Rego string and returns an object representation of the AST.',
  categories: ['encoding'],
});
implement(parse, ([filename, source]) => {
  const r = parseModule(stringArg(source, 2), { file: stringArg(filename, 1) });
  if (!r.ok) throw new BuiltinError(r.errors.map(String).join('; '));
  return fromJS(moduleToJSON(r.value));
});
