// Whether `--out` may be replaced. Compile swaps the whole folder, so a folder holding anything
// mlspec did not write (a typo such as `--out .`, or `--out src`) would be deleted: refuse it.
// mlspec's own output is recognised by its environment folders' kustomization.yaml (generated.ts).
// The folder itself and its entries are looked at without following links: `out` committed as
// a link to a folder elsewhere must not make compile read or replace that folder.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { error, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { isGeneratedFolder } from '../../core/generated-files.js';
import { quote } from '../../core/diagnostics/quote.js';

type Kind = 'dir' | 'file' | 'link' | 'missing';

function kind(path: string, follow = false): Kind {
  try {
    const st = follow ? statSync(path) : lstatSync(path);
    return st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** An environment folder: its kustomization, or (if someone removed it) a system folder's, is ours. */
function writtenByMlspec(dir: string): boolean {
  if (kind(dir) !== 'dir') return false;
  if (isGeneratedFolder(dir)) return true;
  try {
    return readdirSync(dir, { withFileTypes: true }).some(
      (e) => e.isDirectory() && isGeneratedFolder(join(dir, e.name)),
    );
  } catch {
    return false; // cannot be looked into: not known to be ours
  }
}

const GIVE_OUT = 'Give --out a folder that only mlspec writes to (the default is out/).';

/** When `outDir` does not exist yet: whether it can be created. */
function creatable(outDir: string, shown: string): Diagnostic[] {
  for (let p = dirname(outDir); p !== dirname(p); p = dirname(p)) {
    const k = kind(p, true);
    if (k === 'file')
      return [
        error('out_not_a_folder', `cannot create \`${shown}\`: \`${p}\` is a file`, {
          hint: 'Give --out a path inside a folder.',
        }),
      ];
    if (k === 'dir') break;
  }
  return [];
}

/**
 * Problems with `outDir` as an output folder, as diagnostics (none when it may be written). With
 * `forCheck`, only reading must work: `--check` never writes.
 */
export function outDirProblems(outDir: string, shown: string, forCheck = false): Diagnostic[] {
  if (dirname(outDir) === outDir)
    return [
      error('out_not_owned', `\`${shown}\` is the root of the file system; compile replaces the whole output folder`, {
        hint: GIVE_OUT,
      }),
    ];
  const at = kind(outDir);
  if (at === 'link')
    return [
      error('out_not_a_folder', `\`${shown}\` is a symbolic link; compile never writes or reads through one`, {
        hint: 'Give --out a real folder, or remove the link (out/ is generated: compile creates it).',
      }),
    ];
  if (at === 'file') return [error('out_not_a_folder', `\`${shown}\` is a file, not a folder`, { hint: GIVE_OUT })];
  if (at === 'missing') return forCheck ? [] : creatable(outDir, shown);
  if (forCheck) return [];
  let entries: string[];
  try {
    entries = readdirSync(outDir).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return [error('output_failed', `cannot read \`${shown}\` (${code}); nothing written`, { hint: GIVE_OUT })];
  }
  const foreign = entries.filter((entry) => !writtenByMlspec(join(outDir, entry)));
  if (foreign.length === 0) return [];
  const listed =
    foreign
      .slice(0, 5)
      .map((e) => quote(e))
      .join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
  return [
    error(
      'out_not_owned',
      `\`${shown}\` holds ${listed}, which mlspec did not write; compile replaces the whole folder and would delete it`,
      {
        hint: 'Give --out an empty folder or one that only mlspec writes to, or move those entries out of it.',
      },
    ),
  ];
}
