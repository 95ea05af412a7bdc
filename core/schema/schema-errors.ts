// Turns ajv's errors into diagnostics a person can act on: located at the offending key or
// value, saying what is wrong in words, with the fix (a close key name, the allowed values,
// the expected format) as the hint.
import { quote } from '../diagnostics/quote.js';
import type { ErrorObject } from 'ajv';
import { PATTERN_HINTS } from './patterns.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { joinPointer, valueAt } from '../json-pointer.js';
import { locate, type SourceMap } from '../source/source-map.js';
import { didYouMean } from './suggest.js';

interface SchemaLike {
  readonly description?: string;
  readonly properties?: Record<string, SchemaLike>;
  readonly propertyNames?: { readonly pattern?: string };
  readonly minProperties?: number;
  readonly maxProperties?: number;
}

/**
 * The schema an error's keyword sits in, found by its `schemaPath` (so the validators need not
 * carry schemas in their errors: the generated ones cannot).
 */
function parentSchema(root: object, schemaPath: string): SchemaLike {
  const segments = schemaPath.replace(/^#\/?/, '').split('/').slice(0, -1);
  let node: unknown = root;
  for (const raw of segments) {
    if (raw === '') continue;
    const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return {};
    node = (node as Record<string, unknown>)[seg];
  }
  return node !== null && typeof node === 'object' ? (node as SchemaLike) : {};
}

interface ErrorContext {
  readonly locations: SourceMap;
  readonly schema: object;
  readonly data: unknown;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `a ${typeof v}`;
}

const article: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  null: 'null',
};

/** Drop errors that only restate others: `if` wrappers and the losing branches of `anyOf`. */
function collapse(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const extra: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') dropped.add(e);
    // The name check inside `propertyNames` is reported once, by the `propertyNames` error.
    if (e.schemaPath.includes('/propertyNames/')) dropped.add(e);
    if (e.keyword !== 'anyOf') continue;
    dropped.add(e);
    const prefix = `${e.schemaPath}/`;
    const byBranch = new Map<string, ErrorObject[]>();
    for (const sub of errors) {
      if (!sub.schemaPath.startsWith(prefix)) continue;
      const branch = sub.schemaPath.slice(prefix.length).split('/')[0]!;
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), sub]);
    }
    // The branch whose type matched the value explains the real problem.
    const typed = [...byBranch.values()].filter(
      (errs) => !errs.some((s) => s.keyword === 'type' && s.instancePath === e.instancePath),
    );
    const best = typed.sort((a, b) => a.length - b.length)[0];
    for (const errs of byBranch.values()) if (errs !== best) errs.forEach((s) => dropped.add(s));
    if (!best) {
      const types = [...byBranch.values()]
        .map((errs) => errs.find((s) => s.keyword === 'type')?.params.type as string)
        .filter(Boolean);
      extra.push({ ...e, keyword: 'type', params: { type: types.join(',') } });
    }
  }
  return [...errors.filter((e) => !dropped.has(e)), ...extra];
}

/** Diagnostics for ajv's errors on `data`, validated against `schema`. */
export function schemaDiagnostics(errors: readonly ErrorObject[], context: ErrorContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of collapse(errors)) {
    const d = translate(e, context);
    if (d) out.push(d);
  }
  return out;
}

function translate(e: ErrorObject, context: ErrorContext): Diagnostic | undefined {
  const parent = parentSchema(context.schema, e.schemaPath);
  const data = valueAt(context.data, e.instancePath);
  const at = (pointer: string, preferKey = false) => ({
    pointer,
    location: locate(context.locations, pointer, preferKey),
  });
  const described = parent.description ? ` (${parent.description.replace(/\.$/, '')})` : '';
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys(parent.properties ?? {});
      return error('unknown_key', `unknown key ${quote(key)}`, {
        ...at(joinPointer(e.instancePath, key), true),
        hint: didYouMean(key, allowed) ?? (allowed.length ? `allowed keys here: ${allowed.join(', ')}` : 'remove it'),
      });
    }
    case 'required': {
      const key = String(e.params.missingProperty);
      const desc = parent.properties?.[key]?.description;
      return error('missing_key', `missing required key ${quote(key)}`, {
        ...at(e.instancePath, true),
        hint: `add ${quote(key)}${desc ? `: ${desc}` : ''}`,
      });
    }
    case 'type': {
      const types = String(e.params.type)
        .split(',')
        .map((t) => article[t] ?? t);
      // YAML reads an unquoted digest, version or date of digits as a number (or a boolean).
      const quote =
        types.length === 1 &&
        String(e.params.type) === 'string' &&
        (typeof data === 'number' || typeof data === 'boolean')
          ? `write it in quotes ("...") so YAML reads it as text; `
          : '';
      return error('wrong_type', `must be ${types.join(' or ')}, not ${typeName(data)}`, {
        ...at(e.instancePath),
        hint: `${quote}${parent.description ?? 'change the value to the expected type'}`,
      });
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      return error('invalid_value', `${quote(data)} is not an allowed value`, {
        ...at(e.instancePath),
        hint:
          (typeof data === 'string' ? `${didYouMean(data, allowed)} ` : '').replace('undefined ', '') +
          `allowed: ${allowed.join(', ')}`,
      });
    }
    case 'const':
      return error('invalid_value', `must be ${quote(e.params.allowedValue)}, not ${quote(data)}`, {
        ...at(e.instancePath),
        hint: `write ${quote(e.params.allowedValue)}`,
      });
    case 'pattern': {
      const expected = PATTERN_HINTS.get(String(e.params.pattern));
      return error('invalid_format', `${quote(data)} is not valid here`, {
        ...at(e.instancePath),
        hint: expected ? `expected ${expected}` : (parent.description ?? `must match ${e.params.pattern}`),
      });
    }
    case 'propertyNames':
      return error('invalid_name', `${quote(e.params.propertyName)} is not a valid name here`, {
        ...at(joinPointer(e.instancePath, String(e.params.propertyName)), true),
        hint: nameHint(parent.propertyNames?.pattern),
      });
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return error('out_of_range', `${quote(data)} must be ${e.params.comparison} ${e.params.limit}`, {
        ...at(e.instancePath),
        hint: parent.description ?? 'change the value',
      });
    case 'minLength':
    case 'maxLength':
      return error(
        'out_of_range',
        `${quote(data)} must be ${e.keyword === 'minLength' ? 'at least' : 'at most'} ` +
          `${e.params.limit} characters long`,
        { ...at(e.instancePath), hint: parent.description ?? 'change the value' },
      );
    case 'minItems':
    case 'maxItems':
      return error(
        'out_of_range',
        `list must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${e.params.limit} item(s)${described}`,
        { ...at(e.instancePath), hint: 'add or remove items' },
      );
    case 'uniqueItems':
      return error('duplicate_item', `items ${e.params.j} and ${e.params.i} are the same`, {
        ...at(joinPointer(e.instancePath, Number(e.params.i))),
        hint: 'remove the repeated item',
      });
    case 'minProperties':
    case 'maxProperties': {
      const keys = Object.keys(parent.properties ?? {});
      const exactlyOne = parent.minProperties === 1 && parent.maxProperties === 1;
      if (exactlyOne)
        return error('invalid_value', `set exactly one of ${keys.map((k) => `${quote(k)}`).join(', ')}`, {
          ...at(e.instancePath, true),
          hint: parent.description ?? 'keep one key',
        });
      return error(
        'out_of_range',
        `must have ${e.keyword === 'minProperties' ? 'at least' : 'at most'} ${e.params.limit} ` +
          `entr${e.params.limit === 1 ? 'y' : 'ies'}${described}`,
        { ...at(e.instancePath, true), hint: 'add or remove entries' },
      );
    }
    case 'then':
      return undefined; // its own errors (usually `required`) are reported
    default:
      return error('invalid_value', e.message ?? 'invalid value', {
        ...at(e.instancePath),
        hint: parent.description ?? 'see `mlspec schema`',
      });
  }
}

function nameHint(pattern: string | undefined): string {
  const expected = pattern ? PATTERN_HINTS.get(pattern) : undefined;
  return expected ? `names here are ${expected}` : 'rename the key';
}
