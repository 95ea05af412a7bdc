// The load stage: paths → documents with source locations. Formats are decided by extension.
import { sha256Hex } from '../../core/hash.js';
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { error, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { LoadedDocument, SourceFormat } from './document.js';
import { findSpecFiles, type SpecFile } from './files.js';
import { evaluateJsonnet, fileLevelLocations } from './jsonnet.js';
import { importRoots } from './jsonnet-imports.js';
import { LOAD_LIMITS } from './limits.js';
import { ReadScope, type ReadScopeOptions } from './scope.js';
import type { FileRead } from '../../core/read-file.js';
import { parseYaml } from '../../core/source/yaml.js';

export interface LoadResult {
  readonly documents: LoadedDocument[];
  readonly diagnostics: Diagnostic[];
}

function formatOf(path: string): SourceFormat {
  if (path.endsWith('.jsonnet')) return 'jsonnet';
  if (path.endsWith('.json')) return 'json';
  return 'yaml';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Read a file as text, refusing what cannot be a spec: too large, binary, not UTF-8. The size
 * limit applies to what is read, never to what `stat` says (a /proc file says 0).
 */
function readText(file: SpecFile, scope: ReadScope): { text?: string; bytes?: Buffer; diagnostic?: Diagnostic } {
  const at = { file: file.display, line: 1, column: 1 };
  let read: FileRead;
  try {
    read = scope.read(file.real, LOAD_LIMITS.maxFileBytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return {
      diagnostic: error('unreadable_entry', `${file.display} cannot be read (${code})`, {
        location: at,
        hint: 'Make the file readable, or remove it if the spec is gone on purpose.',
      }),
    };
  }
  // A FIFO or device would block the read (or never end): only regular files are specs.
  if (read.kind === 'not_a_file')
    return {
      diagnostic: error('not_a_file', 'not a regular file', {
        location: at,
        hint: 'Give spec files or folders; pipes, sockets and devices are not read.',
      }),
    };
  if (!read.complete) {
    return {
      diagnostic: error('file_too_large', `file is larger than the limit of ${LOAD_LIMITS.maxFileBytes} bytes`, {
        location: at,
        hint: 'Specs are small; split the file or remove generated data from it.',
      }),
    };
  }
  const bytes = read.bytes;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return {
      diagnostic: error('not_text', 'file is not valid UTF-8 text', { location: at, hint: 'Save the file as UTF-8.' }),
    };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const before = text.slice(0, nul);
    const line = before.split('\n').length;
    const column = nul - before.lastIndexOf('\n');
    return {
      diagnostic: error('not_text', 'file contains a NUL byte: it looks binary', {
        location: { file: file.display, line, column },
        hint: 'Only YAML, JSON and Jsonnet text files are specs.',
      }),
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, bytes };
}

/** JSON must be strict JSON; YAML's parser then supplies positions. */
function jsonSyntaxError(text: string, file: string): Diagnostic | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const offset = pos ? Number(pos[1]) : 0;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return error('json_syntax', msg.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, ''), {
      location: { file, line, column },
      hint: 'Fix the JSON at this position (no comments or trailing commas in .json files).',
    });
  }
}

export interface LoadOptions extends ReadScopeOptions {
  /** Seconds for evaluating one Jsonnet file (default LOAD_LIMITS.jsonnetSeconds). */
  readonly jsonnetSeconds?: number;
  /** Folders Jsonnet imports may read from (default: the paths given, or the file's folder). */
  readonly jsonnetRoots?: readonly string[];
  /** Told of every file a Jsonnet import opens. */
  readonly onImport?: (path: string) => void;
}

async function parseFile(file: SpecFile, scope: ReadScope, options: LoadOptions): Promise<LoadResult> {
  const format = formatOf(file.path);
  const read = readText(file, scope);
  if (read.diagnostic) return { documents: [], diagnostics: [read.diagnostic] };
  const text = read.text!;
  const fileDigest = sha256Hex(read.bytes!);
  const base = { file: file.display, format, fileDigest };
  if (format === 'jsonnet') {
    const result = evaluateJsonnet(
      { path: realpathSync(file.path), display: file.display, text },
      {
        timeoutSeconds: options.jsonnetSeconds,
        roots: options.jsonnetRoots ?? [dirname(file.path)],
        // An import is a read like any other: the read scope's observer hears of it too.
        onOpen: (path) => {
          options.onRead?.(path);
          options.onImport?.(path);
        },
      },
    );
    const documents = result.values.map((value, index) => ({
      ...base,
      index,
      value,
      locations: fileLevelLocations(file.display),
    }));
    return { documents, diagnostics: result.diagnostics };
  }
  if (format === 'json') {
    const syntax = jsonSyntaxError(text, file.display);
    if (syntax) return { documents: [], diagnostics: [syntax] };
  }
  const parsed = parseYaml(text, file.display);
  const documents = parsed.documents.map((d, index) => ({ ...base, index, value: d.value, locations: d.locations }));
  return { documents, diagnostics: parsed.diagnostics };
}

/**
 * A spec file without any document is refused: a file emptied by a bad merge would otherwise
 * drop its system, and with it its manifests from out/ (which Argo CD would then prune).
 */
function emptyFile(file: SpecFile): Diagnostic {
  return error('empty_file', `${file.display} holds no document`, {
    location: { file: file.display, line: 1, column: 1 },
    hint: 'Restore its content, or delete the file if the system is gone on purpose.',
  });
}

export async function loadFile(file: SpecFile, scope: ReadScope, options: LoadOptions = {}): Promise<LoadResult> {
  const r = await parseFile(file, scope, options);
  return r.documents.length === 0 && r.diagnostics.length === 0 ? { documents: [], diagnostics: [emptyFile(file)] } : r;
}

/**
 * Load every spec file under the given paths, reading nothing outside the read scope (scope.ts).
 * Problems are collected, never thrown.
 */
export async function loadPaths(paths: readonly string[], cwd: string, options: LoadOptions = {}): Promise<LoadResult> {
  const scope = new ReadScope(cwd, options);
  const { files, diagnostics } = findSpecFiles(paths, cwd, scope);
  const documents: LoadedDocument[] = [];
  const jsonnetRoots = options.jsonnetRoots ?? importRoots(paths, cwd);
  for (const file of files) {
    const r = await loadFile(file, scope, { ...options, jsonnetRoots });
    documents.push(...r.documents);
    diagnostics.push(...r.diagnostics);
  }
  return { documents, diagnostics };
}
