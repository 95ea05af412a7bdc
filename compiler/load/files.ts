// Which files a list of paths names: files as given, directories searched recursively for
// spec files, in a fixed order so that results never depend on the file system's order.
// In directories, hidden entries, node_modules, `*.schema.json` files and the folders mlspec
// generated (its own manifests, say `mlspec compile .` next to out/) are skipped. Links are
// followed only where they stay inside the read scope (scope.ts).
import { lstatSync, readdirSync, type Stats, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { error, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { quote } from '../../core/diagnostics/quote.js';
import { compareCodeUnits } from '../../core/compare.js';
import { isGeneratedFolder, KUSTOMIZATION } from '../../core/generated-files.js';
import { type Located, ReadScope } from './scope.js';

export const SPEC_EXTENSIONS = ['.yaml', '.yml', '.json', '.jsonnet'] as const;
const SKIPPED_DIRS = new Set(['node_modules']);
/** Published JSON Schemas sit beside specs (for editor modelines) but are not specs. */
const SCHEMA_SUFFIX = '.schema.json';

export interface SpecFile {
  /** Absolute path, as reached (through the links on the way). */
  readonly path: string;
  /** Absolute real path (links resolved), inside the read scope: what is read. */
  readonly real: string;
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

function unreadableEntry(cwd: string, path: string, code: string): Diagnostic {
  const shown = displayPath(cwd, path);
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

/** A link (or a path through one) that leads out of the repository: never read. */
function outsideEntry(cwd: string, path: string, real: string): Diagnostic {
  const shown = displayPath(cwd, path);
  return error('outside_repository', `${shown} leads outside the repository, to ${quote(real)}`, {
    location: { file: shown, line: 1, column: 1 },
    hint:
      'Specs are read only inside the repository: replace the link by the file or folder itself, or give a ' +
      'path outside the repository on the command line.',
  });
}

/** What a located path is (links followed), or undefined when it is missing or cannot be looked at. */
function statOf(where: Located): Stats | undefined {
  if (where.kind === 'missing') return undefined;
  try {
    return statSync(where.real);
  } catch {
    return undefined;
  }
}

export function findSpecFiles(
  paths: readonly string[],
  cwd: string,
  scope: ReadScope = new ReadScope(cwd),
): { files: SpecFile[]; diagnostics: Diagnostic[] } {
  const found = new Map<string, SpecFile>();
  const diagnostics: Diagnostic[] = [];
  // Symlinks can make a folder (or file) reachable twice, or in a loop: each is read once.
  const seen = new Set<string>();
  const generated = (real: string) => {
    scope.reading(join(real, KUSTOMIZATION));
    return isGeneratedFolder(real);
  };
  /** An entry of a folder being searched: where it really is and what it is, or undefined to skip it. */
  const entry = (path: string, real: string, name: string): { real: string; stat: Stats } | undefined => {
    let st: Stats;
    try {
      st = lstatSync(real);
    } catch {
      return undefined; // removed meanwhile
    }
    if (!st.isSymbolicLink()) return { real, stat: st };
    const target = scope.locate(real);
    const targetStat = statOf(target);
    if (target.kind === 'missing' || !targetStat) {
      // A spec skipped here would vanish from out/ with its manifests (and Argo CD would
      // prune them), so an unreadable spec entry is an error; other dangling links are not specs.
      if (isSpecEntry(name))
        diagnostics.push(unreadableEntry(cwd, path, target.kind === 'missing' ? target.code : '?'));
      return undefined;
    }
    if (target.kind === 'outside') {
      if (targetStat.isDirectory() || isSpecEntry(name)) diagnostics.push(outsideEntry(cwd, path, target.real));
      return undefined;
    }
    return { real: target.real, stat: targetStat };
  };
  const visit = (path: string, real: string, st: Stats, explicit: boolean) => {
    const identity = `${st.dev}:${st.ino}`;
    if (seen.has(identity)) return;
    seen.add(identity);
    if (st.isDirectory()) {
      scope.reading(real);
      let names: string[];
      try {
        names = readdirSync(real).sort(compareCodeUnits);
      } catch (e) {
        diagnostics.push(unreadableEntry(cwd, path, (e as NodeJS.ErrnoException).code ?? 'error'));
        return;
      }
      for (const name of names) {
        if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
        const child = entry(join(path, name), join(real, name), name);
        if (!child) continue;
        const searched = child.stat.isDirectory() ? !generated(child.real) : isSpecEntry(name);
        if (searched) visit(join(path, name), child.real, child.stat, false);
      }
      return;
    }
    if (explicit && !isSpecFile(path)) {
      diagnostics.push(
        error('unsupported_file', `${displayPath(cwd, path)} is not a spec file`, {
          location: { file: displayPath(cwd, path), line: 1, column: 1 },
          hint: `Spec files end in ${SPEC_EXTENSIONS.join(', ')}; .libsonnet files are imported by .jsonnet files.`,
        }),
      );
      return;
    }
    found.set(path, { path, real, display: displayPath(cwd, path) });
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const where = scope.admit(abs);
    const st = statOf(where);
    if (where.kind === 'missing' || !st) {
      diagnostics.push(
        error('not_found', `no such file or directory: ${displayPath(cwd, abs)}`, {
          hint: 'Check the path; give spec files or directories that contain them.',
        }),
      );
    } else if (where.kind === 'outside') diagnostics.push(outsideEntry(cwd, abs, where.real));
    else visit(abs, where.real, st, true);
  }
  const files = [...found.values()].sort((a, b) => compareCodeUnits(a.display, b.display));
  return { files, diagnostics };
}
