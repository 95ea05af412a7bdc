// json.verify_schema and json.match_schema. OPA validates with gojsonschema; here ajv
// (JSON Schema draft-07) does the validation and its errors are reported in gojsonschema's
// shape and wording: {error, type, field, desc}, fields like `id.0` or `(root)`.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import { fromJS, type Value } from '../value.js';
import { toJS } from '../convert.js';
import { JSONSyntaxError, parseJSON } from './json-text.js';
import { BuiltinError, declare, implement, operandTypeError } from './table.js';
import { T } from '../types.js';

const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as (ajv: Ajv) => Ajv;

const ajv = addFormats(new Ajv({ allErrors: true, strict: false, validateSchema: true, allowUnionTypes: true }));
const compiled = new Map<string, ValidateFunction>();

const TYPES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string'];

/** A document or schema operand: a string of JSON, or a value. */
function jsonOperand(v: Value | undefined, pos: number): unknown {
  if (typeof v === 'string') {
    try {
      return toJS(parseJSON(v));
    } catch (e) {
      if (e instanceof JSONSyntaxError) throw new BuiltinError(e.message);
      throw e;
    }
  }
  if (v === undefined || v === null || (typeof v !== 'object' && typeof v !== 'boolean'))
    throw operandTypeError(pos, v ?? null, 'string', 'object');
  return toJS(v);
}

/** gojsonschema's check of `type` values, with its message. */
function checkTypes(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(checkTypes);
  if (schema === null || typeof schema !== 'object') return;
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'type') {
      for (const t of Array.isArray(v) ? v : [v]) {
        if (typeof t === 'string' && !TYPES.includes(t))
          throw new Error(
            `has a primitive type that is NOT VALID -- given: /${t}/ Expected valid values are:[${TYPES.join(' ')}]`,
          );
      }
    } else if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') checkTypes(v);
  }
}

function compile(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let fn = compiled.get(key);
  if (fn === undefined) {
    checkTypes(schema);
    if (typeof schema !== 'object' && typeof schema !== 'boolean')
      throw new Error('schema must be an object or a boolean');
    try {
      fn = ajv.compile(schema as object);
    } catch (e) {
      throw new Error((e as Error).message);
    }
    if (compiled.size >= 100) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, fn);
  }
  return fn;
}

const verifySchema = declare({
  name: 'json.verify_schema',
  args: [{ name: 'schema', type: T.anyOf(T.string, T.object()), description: 'the schema to verify' }],
  result: {
    name: 'output',
    type: T.tuple(T.boolean, T.anyOf(T.string, T.null)),
    description:
      '`output` is of the form `[valid, error]`. If the schema is valid, then `valid` is `true`, and `error` is ' +
      '`null`. Otherwise, `valid` is `false` and `error` is a string describing the error.',
  },
  description:
    'Checks that the input is a valid JSON schema object. The schema can be either a JSON string or an JSON object.',
  categories: ['object'],
});
implement(verifySchema, ([s]) => {
  const schema = jsonOperand(s, 1);
  try {
    compile(schema);
    return [true, null];
  } catch (e) {
    return [false, `jsonschema: ${(e as Error).message}`];
  }
});

function givenType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function valueAt(doc: unknown, pointer: string): unknown {
  let cur = doc;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}

function field(pointer: string): string {
  if (pointer === '') return '(root)';
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}

/** One ajv error in gojsonschema's terms. */
function goError(e: ErrorObject, doc: unknown): { type: string; field: string; desc: string } {
  const p = e.params as Record<string, unknown>;
  const f = field(e.instancePath);
  const json = (x: unknown) => JSON.stringify(x);
  switch (e.keyword) {
    case 'type': {
      const expected = Array.isArray(p.type) ? p.type.join('/') : String(p.type);
      return {
        type: 'invalid_type',
        field: f,
        desc: `Invalid type. Expected: ${expected}, given: ${givenType(valueAt(doc, e.instancePath))}`,
      };
    }
    case 'required':
      return { type: 'required', field: f, desc: `${String(p.missingProperty)} is required` };
    case 'minimum':
      return { type: 'number_gte', field: f, desc: `Must be greater than or equal to ${String(p.limit)}` };
    case 'exclusiveMinimum':
      return { type: 'number_gt', field: f, desc: `Must be greater than ${String(p.limit)}` };
    case 'maximum':
      return { type: 'number_lte', field: f, desc: `Must be less than or equal to ${String(p.limit)}` };
    case 'exclusiveMaximum':
      return { type: 'number_lt', field: f, desc: `Must be less than ${String(p.limit)}` };
    case 'multipleOf':
      return { type: 'multiple_of', field: f, desc: `Must be a multiple of ${String(p.multipleOf)}` };
    case 'minLength':
      return {
        type: 'string_gte',
        field: f,
        desc: `String length must be greater than or equal to ${String(p.limit)}`,
      };
    case 'maxLength':
      return { type: 'string_lte', field: f, desc: `String length must be less than or equal to ${String(p.limit)}` };
    case 'pattern':
      return { type: 'pattern', field: f, desc: `Does not match pattern '${String(p.pattern)}'` };
    case 'format':
      return { type: 'format', field: f, desc: `Does not match format '${String(p.format)}'` };
    case 'enum':
      return {
        type: 'enum',
        field: f,
        desc: `${f} must be one of the following: ${(p.allowedValues as unknown[]).map(json).join(', ')}`,
      };
    case 'const':
      return { type: 'const', field: f, desc: `${f} does not match: ${json(p.allowedValue)}` };
    case 'additionalProperties':
      return {
        type: 'additional_property_not_allowed',
        field: f,
        desc: `Additional property ${String(p.additionalProperty)} is not allowed`,
      };
    case 'minItems':
      return { type: 'array_min_items', field: f, desc: `Array must have at least ${String(p.limit)} items` };
    case 'maxItems':
      return { type: 'array_max_items', field: f, desc: `Array must have at most ${String(p.limit)} items` };
    case 'uniqueItems':
      return {
        type: 'unique',
        field: f,
        desc: `${givenType(valueAt(doc, e.instancePath))} items[${String(p.j)},${String(p.i)}] must be unique`,
      };
    case 'minProperties':
      return { type: 'array_min_properties', field: f, desc: `Must have at least ${String(p.limit)} properties` };
    case 'maxProperties':
      return { type: 'array_max_properties', field: f, desc: `Must have at most ${String(p.limit)} properties` };
    case 'oneOf':
      return { type: 'number_one_of', field: f, desc: 'Must validate one and only one schema (oneOf)' };
    case 'anyOf':
      return { type: 'number_any_of', field: f, desc: 'Must validate at least one schema (anyOf)' };
    case 'not':
      return { type: 'number_not', field: f, desc: 'Must not validate the schema (not)' };
    case 'if':
      return {
        type: p.failingKeyword === 'else' ? 'condition_else' : 'condition_then',
        field: f,
        desc: `Must validate "${String(p.failingKeyword)}" as "if" was ${
          p.failingKeyword === 'else' ? 'not ' : ''
        }valid`,
      };
    case 'dependencies':
    case 'dependentRequired':
      return { type: 'missing_dependency', field: f, desc: `Has a dependency on ${String(p.deps)}` };
    case 'contains':
      return { type: 'contains', field: f, desc: 'At least one of the items must match' };
    case 'false schema':
      return { type: 'false', field: f, desc: 'False always fails validation' };
    default:
      return { type: e.keyword, field: f, desc: e.message ?? e.keyword };
  }
}

const matchSchema = declare({
  name: 'json.match_schema',
  args: [
    { name: 'document', type: T.anyOf(T.string, T.object()), description: 'document to verify by schema' },
    { name: 'schema', type: T.anyOf(T.string, T.object()), description: 'schema to verify document by' },
  ],
  result: {
    name: 'output',
    type: T.tuple(T.boolean, T.array(T.record({ error: T.string, type: T.string, field: T.string, desc: T.string }))),
    description:
      '`output` is of the form `[match, errors]`. If the document is valid given the schema, then `match` is ' +
      '`true`, and `errors` is an empty array. Otherwise, `match` is `false` and `errors` is an array of objects ' +
      'describing the error(s).',
  },
  description: 'Checks that the document matches the JSON schema.',
  categories: ['object'],
});
implement(matchSchema, ([d, s]) => {
  const doc = jsonOperand(d, 1);
  const schema = jsonOperand(s, 2);
  let validate: ValidateFunction;
  try {
    validate = compile(schema);
  } catch (e) {
    throw new BuiltinError((e as Error).message);
  }
  if (validate(doc)) return [true, []];
  const errors = (validate.errors ?? []).map((e) => goError(e, doc));
  return fromJS([
    false,
    errors.map((e) => ({ error: `${e.field}: ${e.desc}`, type: e.type, field: e.field, desc: e.desc })),
  ]);
});
