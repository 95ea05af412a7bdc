// std.parseJson and std.parseYaml: text → values, refusing nesting deeper than the stack limit
// allows instead of exhausting the process.
import { parseAllDocuments } from 'yaml';
import type { Loc } from '../errors.js';
import { reserve, runtimeError, work } from '../runtime.js';
import { JArray, objectOf, Ready, type Value } from '../value.js';
import { type Builtin, builtin, strictArgs } from './natives.js';

/** Deeper data than this is refused: no configuration nests so deep, and manifesting it would fail. */
const MAX_DEPTH = 500;

function fromPlain(name: string, v: unknown, loc: Loc, depth = 0): Value {
  if (depth > MAX_DEPTH) throw runtimeError(`std.${name}: the data nests deeper than ${MAX_DEPTH} levels`, loc);
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw runtimeError(`std.${name}: ${v} is not a finite number`, loc);
    return v;
  }
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) {
    work(v.length, loc);
    return new JArray(v.map((x) => new Ready(fromPlain(name, x, loc, depth + 1))));
  }
  if (v instanceof Map) {
    return objectOf([...v].map(([k, x]) => [String(k), new Ready(fromPlain(name, x, loc, depth + 1))] as const));
  }
  if (typeof v === 'object') {
    const entries = Object.keys(v).map(
      (k) => [k, new Ready(fromPlain(name, (v as Record<string, unknown>)[k], loc, depth + 1))] as const,
    );
    return objectOf(entries);
  }
  throw runtimeError(`std.${name}: unsupported value`, loc);
}

function parseJson(text: string, loc: Loc): Value {
  reserve(text.length * 8, loc);
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch (e) {
    if (e instanceof RangeError) throw runtimeError('std.parseJson: the data nests too deeply', loc);
    throw runtimeError(`std.parseJson: ${(e as Error).message.replace(/^JSON\.parse: /, '')}`, loc);
  }
  return fromPlain('parseJson', plain, loc);
}

/**
 * How deeply YAML text nests, roughly: flow brackets outside quotes, and block nesting by
 * indentation and `- ` items. The YAML parser recurses per level, so deep input is refused
 * before it is parsed.
 */
function yamlNesting(text: string): number {
  let deepest = 0;
  let flow = 0;
  let quote = '';
  let lineStart = true;
  let block = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '\n') {
      lineStart = true;
      block = 0;
      continue;
    }
    if (lineStart && (c === ' ' || c === '-')) {
      // Two columns of indentation or one `- ` make a level at most.
      block += c === '-' ? 1 : 0.5;
      deepest = Math.max(deepest, block + flow);
      continue;
    }
    lineStart = false;
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') deepest = Math.max(deepest, ++flow + block);
    else if (c === ']' || c === '}') flow = Math.max(0, flow - 1);
  }
  return deepest;
}

function parseYaml(text: string, loc: Loc): Value {
  reserve(text.length * 8, loc);
  if (yamlNesting(text) > MAX_DEPTH) {
    throw runtimeError(`std.parseYaml: the data nests deeper than ${MAX_DEPTH} levels`, loc);
  }
  try {
    const docs = parseAllDocuments(text, { version: '1.2', uniqueKeys: false });
    const values: unknown[] = [];
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      const err = doc.errors[0];
      if (err) throw runtimeError(`std.parseYaml: ${err.message.split('\n')[0]}`, loc);
      values.push(doc.toJS({ maxAliasCount: 10_000 }));
    }
    const plain = values.length === 1 ? values[0] : values;
    return fromPlain('parseYaml', plain, loc);
  } catch (e) {
    if (e instanceof RangeError) throw runtimeError('std.parseYaml: the data nests too deeply', loc);
    if (e instanceof Error && !('kind' in e)) throw runtimeError(`std.parseYaml: ${e.message.split('\n')[0]}`, loc);
    throw e;
  }
}

export const parsers: Builtin[] = [
  builtin('parseJson', ['str'], (args, loc) =>
    parseJson(strictArgs('parseJson', args, ['string'], loc)[0] as string, loc),
  ),
  builtin('parseYaml', ['str'], (args, loc) =>
    parseYaml(strictArgs('parseYaml', args, ['string'], loc)[0] as string, loc),
  ),
];
