// Whether `--out` may be replaced. Compile swaps the whole folder, so a folder holding anything
// mlspec did not write (a typo such as `--out .`, or `--out src`) would be deleted: refuse it.
// mlspec's own output is recognised by its environment folders' kustomization.yaml (generated.ts).
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { error, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { isGeneratedFolder } from '../../core/generated-files.js';

function kind(path: string): 'dir' | 'file' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** An environment folder: its kustomization, or (if someone removed it) a system folder's, is ours. */
function writtenByMlspec(dir: string): boolean {
  if (kind(dir) !== 'dir') return false;
  if (isGeneratedFolder(dir)) return true;
  return readdirSync(dir, { withFileTypes: true }).some((e) => e.isDirectory() && isGeneratedFolder(join(dir, e.name)));
}

/**
 * Problems with `outDir` as an output folder, as diagnostics (none when it may be written). With
 * `forCheck`, only reading must work: `--check` never writes.
 */
export function outDirProblems(outDir: string, shown: string, forCheck = false): Diagnostic[] {
  const at = kind(outDir);
  if (at === 'file')
    return [
      error('out_not_a_folder', `\`${shown}\` is a file, not a folder`, {
        hint: 'Give --out a folder that only mlspec writes to (the default is out/).',
      }),
    ];
  if (at === 'missing') {
    if (forCheck) return [];
    for (let p = dirname(outDir); p !== dirname(p); p = dirname(p)) {
      const k = kind(p);
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
  if (forCheck) return [];
  const foreign = readdirSync(outDir)
    .sort()
    .filter((entry) => !writtenByMlspec(join(outDir, entry)));
  if (foreign.length === 0) return [];
  const listed =
    foreign
      .slice(0, 5)
      .map((e) => `\`${e}\``)
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
