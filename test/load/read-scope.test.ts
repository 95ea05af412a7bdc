// The load stage reads nothing outside the repository: a link in a pull request that leads out
// (to a secret, to /proc, to a folder) is an error at the link, and its target is never opened.
// `onRead` reports every file and folder the loader opens, which is how these tests see it.
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPaths } from '../../compiler/load/load.js';
import { isInside } from '../../compiler/load/scope.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { handOver, runUnprivileged } from '../helpers/unprivileged.js';

/** A repository and, beside it, files it must never read. */
function fixture(): { repo: string; outside: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir('mlspec-scope-');
  const repo = join(dir, 'repo');
  const outside = join(dir, 'outside');
  mkdirSync(join(repo, 'specs'), { recursive: true });
  mkdirSync(join(outside, 'nested'), { recursive: true });
  writeFileSync(join(outside, 'secret.yaml'), 'token: OUTSIDE-SECRET\n');
  writeFileSync(join(outside, 'nested', 'system.yaml'), 'token: OUTSIDE-SECRET\n');
  return { repo: realpathSync(repo), outside: realpathSync(outside), cleanup };
}

async function load(paths: string[], cwd: string, root?: string) {
  const opened: string[] = [];
  const r = await loadPaths(paths, cwd, { ...(root ? { root } : {}), onRead: (p) => opened.push(p) });
  return { ...r, opened };
}

describe('the load stage reads only inside the repository', () => {
  it('refuses links to files, folders and /proc outside it, at the link, without opening the target', async () => {
    const { repo, outside, cleanup } = fixture();
    try {
      writeFileSync(join(repo, 'specs/a.yaml'), 'x: 1\n');
      mkdirSync(join(repo, 'shared'));
      writeFileSync(join(repo, 'shared/b.yaml'), 'x: 2\n');
      symlinkSync('../shared/b.yaml', join(repo, 'specs/b.yaml'));
      symlinkSync(join(outside, 'secret.yaml'), join(repo, 'specs/leak.yaml'));
      symlinkSync('../../outside/nested', join(repo, 'specs/nested'));
      symlinkSync('/proc/self/environ', join(repo, 'specs/environ.yaml'));
      const { documents, diagnostics, opened } = await load(['specs'], repo);
      expect(documents.map((d) => [d.file, d.value])).toEqual([
        ['specs/a.yaml', { x: 1 }],
        ['specs/b.yaml', { x: 2 }],
      ]);
      expect(diagnostics.map((d) => [d.code, d.location?.file])).toEqual([
        ['outside_repository', 'specs/environ.yaml'],
        ['outside_repository', 'specs/leak.yaml'],
        ['outside_repository', 'specs/nested'],
      ]);
      expect(diagnostics[1]!.message).toBe(
        `specs/leak.yaml leads outside the repository, to \`${join(outside, 'secret.yaml')}\``,
      );
      expect(JSON.stringify(diagnostics)).not.toContain('OUTSIDE-SECRET');
      expect(opened).toContain(join(repo, 'shared/b.yaml'));
      expect(opened.filter((p) => !isInside(p, repo))).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('refuses a spec folder given on the command line that is a link out of the repository', async () => {
    const { repo, outside, cleanup } = fixture();
    try {
      symlinkSync(outside, join(repo, 'specs/team'));
      const run = await runCli(['validate', 'specs/team'], { cwd: repo });
      // The link is part of the repository's content: an input problem (1).
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'specs/team:1:1: error[outside_repository]: specs/team leads outside the repository',
      );
      expect(run.stderr).not.toContain('OUTSIDE-SECRET');
    } finally {
      cleanup();
    }
  });

  it('reads a path given outside the repository (a shared platform config), but no link out of it', async () => {
    const { repo, outside, cleanup } = fixture();
    try {
      writeFileSync(join(repo, 'specs/a.yaml'), 'x: 1\n');
      mkdirSync(join(outside, 'platform'));
      writeFileSync(join(outside, 'platform/platform.yaml'), 'p: 1\n');
      symlinkSync('../secret.yaml', join(outside, 'platform/leak.yaml'));
      const { documents, diagnostics, opened } = await load(['specs', join(outside, 'platform')], repo);
      expect(documents.map((d) => d.value)).toEqual([{ p: 1 }, { x: 1 }]);
      expect(diagnostics.map((d) => d.code)).toEqual(['outside_repository']);
      expect(opened).not.toContain(join(outside, 'secret.yaml'));
    } finally {
      cleanup();
    }
  });

  it('reads with a byte limit instead of trusting stat: /proc/self/pagemap (size 0) is too large', async () => {
    const { repo, cleanup } = fixture();
    try {
      // The root is the whole file system here, so that the link is followed and the read limit is what stops it.
      symlinkSync('/proc/self/pagemap', join(repo, 'specs/pagemap.yaml'));
      const { documents, diagnostics } = await load(['specs'], repo, '/');
      expect(documents).toEqual([]);
      expect(diagnostics.map((d) => [d.code, d.location?.file, d.message])).toEqual([
        ['file_too_large', 'specs/pagemap.yaml', 'file is larger than the limit of 8388608 bytes'],
      ]);
    } finally {
      cleanup();
    }
  });

  it('a folder it may not list is a located error, not an internal error (as an ordinary user)', () => {
    const { repo, cleanup } = fixture();
    try {
      writeFileSync(join(repo, 'specs/a.yaml'), 'x: 1\n');
      mkdirSync(join(repo, 'specs/closed'));
      handOver(join(repo, '..'));
      chmodSync(join(repo, 'specs/closed'), 0o000);
      const run = runUnprivileged(['validate', 'specs'], repo);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('specs/closed:1:1: error[unreadable_entry]: specs/closed cannot be read (EACCES)');
      expect(run.stderr).not.toMatch(/internal error/);
    } finally {
      chmodSync(join(repo, 'specs/closed'), 0o755);
      cleanup();
    }
  });
});
