// Which files a list of paths names: files as given, directories searched recursively for
// spec files, in a fixed order so that results never depend on the file system's order.
// In directories, hidden entries, node_modules, `*.schema.json` files and the folders mlspec
// generated (its own manifests, say `mlspec compile .` next to out/) are skipped.
import { readdirSync, type Stats, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { error, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { compareCodeUnits } from '../../core/compare.js';
import { isGeneratedFolder } from '../../core/generated-files.js';

export const SPEC_EXTENSIONS = ['.yaml', '.yml', '.json', '.jsonnet'] as const;
const SKIPPED_DIRS = new Set(['node_modules']);
/** Published JSON Schemas sit beside specs (for editor modelines) but are not specs. */
const SCHEMA_SUFFIX = '.schema.json';

export interface SpecFile {
  /** Absolute path. */
  readonly path: string;
  /** Relative to the working directory, `/`-separated: what users see in messages. */
  readonly display: string;
}

export function isSpecFile(name: string): boolean {
  return SPEC_EXTENSIONS.some((ext) => name.endsWith(ext));
}

export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  const shown = rel === '' ? '.' : rel.startsWith('..') ? path : rel;
  return shown.split(sep).join('/');
}

/** A directory entry searched as a spec: a spec file name that is not a published JSON Schema. */
const isSpecEntry = (name: string): boolean => isSpecFile(name) && !name.endsWith(SCHEMA_SUFFIX);

function unreadableEntry(cwd: string, path: string, e: unknown): Diagnostic {
  const shown = displayPath(cwd, path);
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  return error(
    'unreadable_entry',
    `${shown} cannot be read (${code}): it is a broken symbolic link or its target is not accessible`,
    {
      location: { file: shown, line: 1, column: 1 },
      hint:
        'Restore what the link points to, or delete the link if the spec is gone on purpose; an unreadable spec ' +
        'is never skipped, so its manifests are not removed from out/ by mistake.',
    },
  );
}

export function findSpecFiles(paths: readonly string[], cwd: string): { files: SpecFile[]; diagnostics: Diagnostic[] } {
  const found = new Map<string, SpecFile>();
  const diagnostics: Diagnostic[] = [];
  // Symlinks can make a folder (or file) reachable twice, or in a loop: each is read once.
  const seen = new Set<string>();
  const visit = (abs: string, explicit: boolean) => {
    let st: Stats;
    try {
      st = statSync(abs);
    } catch {
      diagnostics.push(
        error('not_found', `no such file or directory: ${displayPath(cwd, abs)}`, {
          hint: 'Check the path; give spec files or directories that contain them.',
        }),
      );
      return;
    }
    const identity = `${st.dev}:${st.ino}`;
    if (seen.has(identity)) return;
    seen.add(identity);
    if (st.isDirectory()) {
      const entries = readdirSync(abs).sort(compareCodeUnits);
      for (const name of entries) {
        if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
        const child = join(abs, name);
        let childStat: Stats;
        try {
          childStat = statSync(child);
        } catch (e) {
          // A spec skipped here would vanish from out/ with its manifests (and Argo CD would
          // prune them), so an unreadable spec entry is an error; other dangling links are not specs.
          if (isSpecEntry(name)) diagnostics.push(unreadableEntry(cwd, child, e));
          continue;
        }
        const searched = childStat.isDirectory() ? !isGeneratedFolder(child) : isSpecEntry(name);
        if (searched) visit(child, false);
      }
      return;
    }
    if (!explicit && !isSpecFile(abs)) return;
    if (explicit && !isSpecFile(abs)) {
      diagnostics.push(
        error('unsupported_file', `${displayPath(cwd, abs)} is not a spec file`, {
          location: { file: displayPath(cwd, abs), line: 1, column: 1 },
          hint: `Spec files end in ${SPEC_EXTENSIONS.join(', ')}; .libsonnet files are imported by .jsonnet files.`,
        }),
      );
      return;
    }
    found.set(abs, { path: abs, display: displayPath(cwd, abs) });
  };
  for (const p of paths) visit(resolve(cwd, p), true);
  const files = [...found.values()].sort((a, b) => compareCodeUnits(a.display, b.display));
  return { files, diagnostics };
}
