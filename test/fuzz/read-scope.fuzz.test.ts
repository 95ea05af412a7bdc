// Property: whatever a pull request puts in a repository (links to files and folders outside
// it, to /proc, to `/`, chains of `..`, loops, dangling links) and whichever paths inside it
// are given, the load stage opens nothing outside the repository. It reports every file and
// folder it opens to `onRead`; the secrets beside the repository must also never show up in a
// document or a diagnostic.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { loadPaths } from '../../compiler/load/load.js';
import { isInside } from '../../compiler/load/scope.js';
import { tempDir } from '../helpers/cli.js';

const SECRET = 'OUTSIDE-SECRET';

const { dir: base, cleanup } = tempDir('mlspec-scope-fuzz-');
const outside = join(base, 'outside');
mkdirSync(join(outside, 'folder/deeper'), { recursive: true });
for (const file of ['secret.yaml', 'folder/system.yaml', 'folder/deeper/platform.json'])
  writeFileSync(join(outside, file), file.endsWith('.json') ? `{"token": "${SECRET}"}\n` : `token: ${SECRET}\n`);

const folder = fc.constantFrom('', 'specs/', 'specs/team/', 'lib/', 'node_modules/', '.hidden/');
const name = fc.constantFrom('a.yaml', 'b.yml', 'c.json', 'd', 'up', 'specs', 'x.schema.json');

/** Where a link points: outside (absolute or by `..`), system files, inside, nowhere, itself. */
const target = fc.constantFrom(
  join(outside, 'secret.yaml'),
  join(outside, 'folder'),
  'OUT:secret.yaml',
  'OUT:folder',
  'OUT:folder/deeper/platform.json',
  '/proc/self/environ',
  '/proc/self/pagemap',
  '/proc/self/cwd',
  '/etc/passwd',
  '/',
  '..',
  '../..',
  '../../..',
  '.',
  'a.yaml',
  'specs',
  '../specs/a.yaml',
  'missing.yaml',
  'd',
);

type Entry =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'link'; readonly path: string; readonly to: string };

const entry: fc.Arbitrary<Entry> = fc.oneof(
  fc.record({ kind: fc.constant('file' as const), path: fc.tuple(folder, name).map(([f, n]) => f + n) }),
  fc.record({ kind: fc.constant('link' as const), path: fc.tuple(folder, name).map(([f, n]) => f + n), to: target }),
);

/** Paths as a CI job would give them: inside the repository as written. */
const given = fc.uniqueArray(fc.constantFrom('.', 'specs', 'specs/../specs', 'specs/team/..', 'lib', 'specs/up'), {
  minLength: 1,
  maxLength: 3,
});

let round = 0;

function build(entries: readonly Entry[]): string {
  const repo = join(base, `repo-${round++}`);
  mkdirSync(join(repo, 'specs'), { recursive: true });
  writeFileSync(join(repo, 'specs/a.yaml'), 'x: 1\n');
  for (const e of entries) {
    const path = join(repo, e.path);
    try {
      mkdirSync(dirname(path), { recursive: true });
      if (e.kind === 'file') writeFileSync(path, 'y: 2\n');
      else {
        // `OUT:` targets climb out of the repository with `..`, from wherever the link is.
        const to = e.to.startsWith('OUT:') ? join(relative(dirname(path), outside), e.to.slice(4)) : e.to;
        symlinkSync(to, path);
      }
    } catch {
      // the path is taken (a file where a folder is wanted, a name used twice): keep what is there
    }
  }
  return repo;
}

describe('the load stage on hostile repositories', () => {
  it('opens nothing outside the repository, and no secret beside it reaches a document or a diagnostic', async () => {
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(entry, { maxLength: 12 }), given, async (entries, paths) => {
          const repo = build(entries);
          const real = realpathSync(repo);
          const opened: string[] = [];
          try {
            const r = await loadPaths(paths, repo, { onRead: (p) => opened.push(p) });
            expect(opened.filter((p) => !isInside(p, real))).toEqual([]);
            expect(JSON.stringify(r)).not.toContain(SECRET);
            // The hook is honest: every document's file was reported before it was read.
            for (const d of r.documents) expect(opened).toContain(realpathSync(join(repo, d.file)));
          } finally {
            rmSync(repo, { recursive: true, force: true });
          }
        }),
        { numRuns: 150 },
      );
    } finally {
      cleanup();
    }
  });
});
