// Policies come from pull requests too: the platform config and the policy folders are files of
// the repository that anyone can change in one. So, as for specs (load/scope.ts), nothing they
// name may lead outside the repository, links resolved: not a folder or bundle the platform config
// lists, not the repository's `policies/`, not a link inside any of them. A path outside the
// repository is read only when the caller chose it: `--policies DIR`, or what a platform config
// given outside the repository (`--platform /etc/mlspec/platform.yaml`) lists. Everything is
// checked before any policy file is read.
import { lstatSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { error, type Diagnostic, type SourceLocation } from '../../core/diagnostics/diagnostic.js';
import { quote } from '../../core/diagnostics/quote.js';
import { locate } from '../../core/source/source-map.js';
import { displayPath } from '../load/files.js';
import { type Located, ReadScope } from '../load/scope.js';
import type { Analysis } from '../pipeline/pipeline.js';

/** Where the repository's own `policies/` may be: beside the platform config's folder, or in it. */
export const repositoryPolicyFolders = (platformDir: string): string[] => [
  join(platformDir, 'policies'),
  join(platformDir, '..', 'policies'),
];

/** Paths the platform config lists for policies, with their pointers in it. */
function listedPaths(analysis: Analysis): { path: string; pointer: string }[] {
  const policy = analysis.platform?.platform.policy;
  if (!policy) return [];
  return [
    ...(policy.paths ?? []).map((path, i) => ({ path, pointer: `/policy/paths/${i}` })),
    ...(policy.gatekeeper ?? []).map((path, i) => ({ path, pointer: `/policy/gatekeeper/${i}` })),
    ...(policy.bundles ?? []).flatMap((b, i) => [
      { path: b.file, pointer: `/policy/bundles/${i}/file` },
      ...(b.data ?? []).map((path, j) => ({ path, pointer: `/policy/bundles/${i}/data/${j}` })),
    ]),
  ];
}

export function policyScopeProblems(
  analysis: Analysis,
  cwd: string,
  callerPaths: readonly string[] = [],
): Diagnostic[] {
  const scope = new ReadScope(cwd);
  const problems: Diagnostic[] = [];
  const outside = (shown: string, real: string, location: SourceLocation | undefined, hint: string) =>
    problems.push(
      error('outside_repository', `${shown} leads outside the repository, to ${quote(real)}`, {
        ...(location ? { location } : {}),
        hint,
      }),
    );
  const confined = (abs: string, where: Located, shown: string, location: SourceLocation | undefined) => {
    if (where.kind === 'missing') return; // reported where the path is used
    if (where.kind === 'outside')
      return outside(
        shown,
        where.real,
        location,
        'Keep policies in the repository, or pass the folder with --policies.',
      );
    for (const link of linksOutside(scope, abs))
      outside(
        displayPath(cwd, link.path),
        link.real,
        { file: displayPath(cwd, link.path), line: 1, column: 1 },
        'Replace the link by the file itself: policies are read only inside the repository.',
      );
  };
  const platform = analysis.platform;
  if (platform) {
    const file = resolve(cwd, platform.document.file);
    const dir = dirname(file);
    const trusted = scope.locate(file).kind === 'outside';
    for (const { path, pointer } of listedPaths(analysis)) {
      const abs = resolve(dir, path);
      const at = locate(platform.document.locations, pointer, true);
      confined(abs, trusted ? scope.admit(abs) : scope.locate(abs), `\`${path}\` (from the platform config)`, at);
    }
    for (const folder of repositoryPolicyFolders(dir))
      confined(folder, scope.locate(folder), displayPath(cwd, folder), undefined);
  }
  for (const p of callerPaths) {
    const abs = resolve(cwd, p);
    confined(abs, scope.admit(abs), p, undefined);
  }
  return problems;
}

/** The links under `root` (itself included) whose targets are outside the scope. */
function linksOutside(scope: ReadScope, root: string): { path: string; real: string }[] {
  const found: { path: string; real: string }[] = [];
  const seen = new Set<string>();
  const visit = (path: string) => {
    const where = scope.locate(path);
    if (where.kind === 'missing') return;
    if (where.kind === 'outside') {
      found.push({ path, real: where.real });
      return;
    }
    // Folders are walked once by their real path: links may make loops.
    if (!isFolder(where.real) || seen.has(where.real)) return;
    seen.add(where.real);
    for (const name of readdirSync(where.real)) visit(join(path, name));
  };
  visit(root);
  return found;
}

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
