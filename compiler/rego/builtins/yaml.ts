// YAML builtins. OPA converts YAML through JSON with sigs.k8s.io/yaml (go-yaml v2, YAML 1.1:
// `yes`/`on` are booleans, `0777` is octal, merge keys work, timestamps stay strings).
import { parseDocument, stringify } from 'yaml';
import { fromJS, type Value } from '../value.js';
import { stringArg } from './args.js';
import { marshalJSON } from './json-text.js';
import { BuiltinError, declare, implement } from './table.js';
import { T } from '../types.js';

const categories = ['encoding'];

interface Parsed {
  value?: unknown;
  error?: string;
}

function parseYAML(text: string): Parsed {
  const doc = parseDocument(text, {
    version: '1.1',
    merge: true,
    intAsBigInt: true,
    uniqueKeys: false,
    // go-yaml leaves timestamps as strings when decoding into interface{}.
    customTags: (tags) => tags.filter((t) => typeof t === 'object' && t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  const err = doc.errors[0];
  if (err) {
    const line = text.slice(0, err.pos[0]).split('\n').length;
    return { error: `yaml: line ${line}: ${goMessage(err.code, err.message)}` };
  }
  return { value: jsonSafe(doc.toJS({ mapAsMap: false })) };
}

/** go-yaml's wording for the common syntax errors (policies match on it rarely, tests do). */
function goMessage(code: string, message: string): string {
  if (/flow sequence/i.test(message)) return "did not find expected ',' or ']'";
  if (/flow map/i.test(message)) return "did not find expected ',' or '}'";
  if (code === 'MISSING_CHAR' && /quote/i.test(message)) return 'found unexpected end of stream';
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/** Keys of any scalar type become strings, as YAMLToJSON does. */
function jsonSafe(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(jsonSafe);
  if (x instanceof Uint8Array) return Buffer.from(x).toString('base64');
  if (x instanceof Set) return [...x].map(jsonSafe);
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = jsonSafe(v);
    return out;
  }
  if (typeof x === 'number' && !Number.isFinite(x))
    throw new BuiltinError(`json: unsupported value: ${x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN'}`);
  return x === undefined ? null : x;
}

const marshal = declare({
  name: 'yaml.marshal',
  args: [{ name: 'x', type: T.any, description: 'the term to serialize' }],
  result: { name: 'y', type: T.string, description: 'the YAML string representation of `x`' },
  description: 'Serializes the input term to YAML.',
  categories,
  builds: true,
});

implement(marshal, ([x], ctx) => {
  // Through JSON first, so sets become arrays and numbers keep their digits.
  const plain = parseDocument(marshalJSON(x!, undefined, ctx.budget), { intAsBigInt: true }).toJS();
  return stringify(plain, { version: '1.1', indentSeq: false, lineWidth: 0 });
});

const unmarshal = declare({
  name: 'yaml.unmarshal',
  args: [{ name: 'x', type: T.string, description: 'a YAML string' }],
  result: { name: 'y', type: T.any, description: 'the term deserialized from `x`' },
  description: 'Deserializes the input string.',
  categories,
});

implement(unmarshal, ([x], ctx): Value => {
  const text = stringArg(x, 1);
  // The document built is about as large as its text.
  ctx.budget.allocate(text.length);
  const parsed = parseYAML(text);
  if (parsed.error !== undefined) throw new BuiltinError(parsed.error);
  return fromJS(parsed.value);
});

const isValid = declare({
  name: 'yaml.is_valid',
  args: [{ name: 'x', type: T.string, description: 'a YAML string' }],
  result: { name: 'result', type: T.boolean, description: '`true` if `x` is valid YAML, `false` otherwise' },
  description: 'Verifies the input string is a valid YAML document.',
  categories,
});

implement(isValid, ([x]) => typeof x === 'string' && parseYAML(x).error === undefined);
