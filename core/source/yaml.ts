// YAML (and JSON, which is YAML) to plain values with a location for every node.
import {
  Alias,
  LineCounter,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import { error, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { joinPointer } from '../json-pointer.js';
import type { NodeLocation } from './source-map.js';
import { MapKeys } from './yaml-keys.js';

/** Beyond these a document is refused with a clear error instead of exhausting the process. */
export const DOCUMENT_LIMITS = {
  /** Nesting depth of a document. */
  maxDepth: 128,
  /** Nodes of one document after aliases are expanded (stops "billion laughs" alias bombs). */
  maxNodes: 100_000,
  /** Documents per file. */
  maxDocuments: 1000,
} as const;

export interface ParsedDocument {
  readonly value: unknown;
  readonly locations: Map<string, NodeLocation>;
}

class LimitExceeded extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly at: SourceLocation,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** `yaml` appends " at line L, column C:" and a source excerpt to its messages; we print our own location. */
function firstLine(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/:$/, '');
}

export function parseYaml(text: string, file: string): { documents: ParsedDocument[]; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const diagnostics: Diagnostic[] = [];
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter,
      // Repeated keys are found after the keys are read as mlspec reads them (yaml-keys.ts).
      uniqueKeys: false,
      prettyErrors: false,
      strict: true,
    }) as Document.Parsed[];
  } catch (e) {
    // The parser recurses on nesting; a pathological input can exhaust the stack.
    diagnostics.push(
      error('yaml_syntax', `cannot parse YAML: ${firstLine((e as Error).message)}`, {
        location: { file, line: 1, column: 1 },
        hint: 'Simplify the file; documents nest at most 128 levels.',
      }),
    );
    return { documents: [], diagnostics };
  }
  if (!Array.isArray(docs)) docs = [docs];
  if (docs.length > DOCUMENT_LIMITS.maxDocuments) {
    diagnostics.push(
      error('too_many_documents', `file has ${docs.length} documents; the limit is ${DOCUMENT_LIMITS.maxDocuments}`, {
        location: { file, line: 1, column: 1 },
        hint: 'Split the file.',
      }),
    );
    return { documents: [], diagnostics };
  }
  const documents: ParsedDocument[] = [];
  for (const doc of docs) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      diagnostics.push(...syntaxDiagnostics(problems, at));
      continue;
    }
    if (isEmpty(doc)) continue; // e.g. two `---` in a row, or a trailing `---`
    try {
      const c: Conversion = { doc, text, locations: new Map(), at, counter: { nodes: 0 }, duplicates: [] };
      const value = convert(doc.contents as YamlNode, '', 0, c);
      if (c.duplicates.length > 0) diagnostics.push(...c.duplicates);
      else documents.push({ value, locations: c.locations });
    } catch (e) {
      if (e instanceof LimitExceeded) diagnostics.push(error(e.code, e.message, { location: e.at, hint: e.hint }));
      else if (e instanceof RangeError)
        diagnostics.push(
          error('too_deep', 'document nests too deeply to read', {
            location: at(0),
            hint: `Keep nesting under ${DOCUMENT_LIMITS.maxDepth} levels.`,
          }),
        );
      else throw e;
    }
  }
  return { documents, diagnostics };
}

function isEmpty(doc: Document.Parsed): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && !c.source);
}

/** At most MAX_SYNTAX_ERRORS per document: after a real syntax error the rest is mostly noise. */
const MAX_SYNTAX_ERRORS = 20;

function syntaxDiagnostics(
  problems: { code: string; message: string; pos: [number, number] }[],
  at: (offset: number) => SourceLocation,
): Diagnostic[] {
  // The parser turns a stack overflow on absurd nesting into one error per level.
  const overflow = problems.find((p) => p.message.includes('call stack'));
  if (overflow) {
    return [
      error('too_deep', 'document nests too deeply to read', {
        location: at(overflow.pos[0]),
        hint: `Keep nesting under ${DOCUMENT_LIMITS.maxDepth} levels.`,
      }),
    ];
  }
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const p of problems) {
    const d = error('yaml_syntax', firstLine(p.message), { location: at(p.pos[0]), hint: yamlHint(p.code) });
    const key = `${d.location!.line}:${d.location!.column}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (out.length === MAX_SYNTAX_ERRORS) {
      out.push(
        error('yaml_syntax', `${problems.length - MAX_SYNTAX_ERRORS} more syntax errors not shown`, {
          location: d.location!,
          hint: 'Fix the errors above first.',
        }),
      );
      break;
    }
    out.push(d);
  }
  return out;
}

function yamlHint(code: string): string {
  switch (code) {
    case 'BAD_INDENT':
    case 'TAB_AS_INDENT':
      return 'Indent with spaces (not tabs), children deeper than their parent, siblings at the same depth.';
    case 'BLOCK_IN_FLOW':
      return 'Inside [ ] or { } write values inline (`{a: 1, b: 2}`), or close the bracket and use indented blocks.';
    case 'MISSING_CHAR':
      return 'A closing bracket, brace or quote is missing before this position.';
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'A key must fit on one line and end with `: `; check for a missing colon or a stray line break.';
    case 'BAD_DQ_ESCAPE':
      return 'Inside double quotes, escape backslashes as `\\\\`, or use single quotes.';
    case 'BAD_SCALAR_START':
      return 'Quote values that start with a special character (`@`, `` ` ``, `%`, `|`, `>`).';
    case 'TAG_RESOLVE_FAILED':
      return 'Custom tags are not supported; write a plain value.';
    case 'BAD_ALIAS':
      return 'Define the anchor (`&name`) before using the alias (`*name`).';
    case 'UNEXPECTED_TOKEN':
      return 'Remove or quote the unexpected character at this position.';
    default:
      return 'Fix the YAML syntax at this position; quoting the value often helps.';
  }
}

/** One document being converted to plain values. */
interface Conversion {
  readonly doc: Document.Parsed;
  readonly text: string;
  readonly locations: Map<string, NodeLocation>;
  readonly at: (offset: number) => SourceLocation;
  readonly counter: { nodes: number };
  /** Keys that repeat an earlier key of their map: the document is refused with these. */
  readonly duplicates: Diagnostic[];
}

function convert(node: YamlNode, pointer: string, depth: number, c: Conversion, keyLoc?: SourceLocation): unknown {
  const { at, locations } = c;
  const here = at(node.range?.[0] ?? 0);
  if (++c.counter.nodes > DOCUMENT_LIMITS.maxNodes) {
    throw new LimitExceeded(
      'too_large',
      `document expands to more than ${DOCUMENT_LIMITS.maxNodes} values`,
      here,
      'Aliases that reference aliases multiply; write the values out or split the spec.',
    );
  }
  if (depth > DOCUMENT_LIMITS.maxDepth) {
    throw new LimitExceeded(
      'too_deep',
      `document nests deeper than ${DOCUMENT_LIMITS.maxDepth} levels`,
      here,
      'Flatten the structure; specs never need this depth.',
    );
  }
  // An alias is located where it is used; the values it copies, where they are written.
  locations.set(pointer, keyLoc ? { value: here, key: keyLoc } : { value: here });
  if (node instanceof Alias) {
    const target = node.resolve(c.doc);
    if (!target)
      throw new LimitExceeded(
        'yaml_syntax',
        `unknown alias *${node.source}`,
        here,
        'Define the anchor before the alias.',
      );
    const value = convert(target as YamlNode, pointer, depth + 1, c, keyLoc);
    locations.set(pointer, keyLoc ? { value: here, key: keyLoc } : { value: here });
    return value;
  }
  if (isMap(node)) {
    const obj: Record<string, unknown> = Object.create(null);
    const keys = new MapKeys();
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const keyAt = keyNode?.range ? at(keyNode.range[0]) : here;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        throw new LimitExceeded(
          'invalid_key',
          'map keys must be plain strings',
          keyAt,
          'Write the key as a plain word or a quoted string.',
        );
      }
      const key = String(keyNode.value);
      const written = keyNode.range ? c.text.slice(keyNode.range[0], keyNode.range[1]) : key;
      const repeated = keys.add(keyNode, key, written, keyAt);
      if (repeated.length > 0) {
        c.duplicates.push(...repeated);
        continue;
      }
      const child = joinPointer(pointer, key);
      const value = pair.value === null ? null : convert(pair.value as YamlNode, child, depth + 1, c, keyAt);
      if (pair.value === null) locations.set(child, { value: keyAt, key: keyAt });
      obj[key] = value;
    }
    return toPlainObject(obj);
  }
  if (isSeq(node)) {
    return node.items.map((item, i) => {
      const child = joinPointer(pointer, i);
      if (item === null) {
        locations.set(child, { value: here });
        return null;
      }
      return convert(item as YamlNode, child, depth + 1, c);
    });
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new LimitExceeded(
        'invalid_value',
        `${node.source ?? String(v)} is not a finite number`,
        here,
        'Use a finite number, or quote it to make it a string.',
      );
    }
    if (typeof v === 'bigint') return Number(v);
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    throw new LimitExceeded(
      'invalid_value',
      'binary and other non-JSON values are not supported',
      here,
      'Write the value as a string.',
    );
  }
  throw new LimitExceeded('invalid_value', 'unsupported YAML node', here, 'Write plain maps, lists and scalars.');
}

/** Maps are built without a prototype (keys like `__proto__` stay data); give them a normal one back. */
function toPlainObject(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj))
    Object.defineProperty(out, k, { value: obj[k], enumerable: true, writable: true, configurable: true });
  return out;
}
