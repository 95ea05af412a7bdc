// Writing out/ atomically: a failure mid-write or a kill before the swap leaves the previous
// out/ as it was; a swap interrupted between its renames is undone by the next run; files of
// removed systems disappear; --env replaces only its folders.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recoverInterruptedSwap, writeTree } from '../../compiler/emit/write.js';
import { tempDir } from '../helpers/cli.js';

const tree = (entries: Record<string, string>) => new Map(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1)));

function snapshot(dir: string, base = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, snapshot(dir, rel));
    else out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

describe('atomic write', () => {
  it('replaces out/ as a whole: removed systems disappear, nothing is left beside it', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out');
      await writeTree(out, tree({ 'dev/a/x.yaml': 'a\n', 'dev/b/y.yaml': 'b\n', 'dev/kustomization.yaml': 'k\n' }));
      await writeTree(out, tree({ 'dev/a/x.yaml': 'a2\n', 'dev/kustomization.yaml': 'k2\n' }));
      expect(snapshot(out)).toEqual({ 'dev/a/x.yaml': 'a2\n', 'dev/kustomization.yaml': 'k2\n' });
      expect(readdirSync(dir)).toEqual(['out']);
    } finally {
      cleanup();
    }
  });

  it('keeps unchanged files (as links to the previous ones) and rewrites changed ones', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out');
      await writeTree(out, tree({ 'dev/a/same.yaml': 'same\n', 'dev/a/changed.yaml': 'v1\n' }));
      const before = statSync(join(out, 'dev/a/same.yaml')).ino;
      await writeTree(
        out,
        tree({ 'dev/a/same.yaml': 'same\n', 'dev/a/changed.yaml': 'v2\n', 'dev/a/new.yaml': 'n\n' }),
      );
      expect(snapshot(out)).toEqual({
        'dev/a/same.yaml': 'same\n',
        'dev/a/changed.yaml': 'v2\n',
        'dev/a/new.yaml': 'n\n',
      });
      // The same inode: the previous tree was removed without touching the kept content.
      expect(statSync(join(out, 'dev/a/same.yaml')).ino).toBe(before);
      expect(statSync(join(out, 'dev/a/same.yaml')).nlink).toBe(1);
      expect(readdirSync(dir)).toEqual(['out']);
    } finally {
      cleanup();
    }
  });

  it('a failure in the middle of writing leaves the previous out/ untouched', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out');
      const before = { 'dev/a/x.yaml': 'old\n', 'prod/a/x.yaml': 'old\n' };
      await writeTree(out, tree(before));
      let written = 0;
      const failing = writeTree(
        out,
        tree({ 'dev/a/x.yaml': 'new\n', 'dev/a/z.yaml': 'new\n', 'prod/a/x.yaml': 'new\n' }),
        {
          afterFile: () => {
            if (++written === 2) throw new Error('disk full');
          },
        },
      );
      await expect(failing).rejects.toThrow('disk full');
      expect(written).toBe(2);
      expect(snapshot(out)).toEqual(before);
      expect(readdirSync(dir)).toEqual(['out']);
    } finally {
      cleanup();
    }
  });

  it('a compile killed before the swap leaves a temp folder that the next run removes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out');
      await writeTree(out, tree({ 'dev/a/x.yaml': 'old\n' }));
      // A dead process's half-written tree (pid 2^22 is above Linux's pid_max default).
      mkdirSync(join(dir, '.out.tmp-4194304-deadbeef', 'dev'), { recursive: true });
      writeFileSync(join(dir, '.out.tmp-4194304-deadbeef', 'dev', 'half.yaml'), 'x');
      expect(snapshot(out)).toEqual({ 'dev/a/x.yaml': 'old\n' });
      await writeTree(out, tree({ 'dev/a/x.yaml': 'new\n' }));
      expect(readdirSync(dir)).toEqual(['out']);
      expect(snapshot(out)).toEqual({ 'dev/a/x.yaml': 'new\n' });
    } finally {
      cleanup();
    }
  });

  it('a swap interrupted between its two renames is undone', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out');
      await writeTree(out, tree({ 'dev/a/x.yaml': 'old\n' }));
      renameSync(out, join(dir, '.out.old-4194304-deadbeef'));
      await recoverInterruptedSwap(out);
      expect(snapshot(out)).toEqual({ 'dev/a/x.yaml': 'old\n' });
      expect(readdirSync(dir)).toEqual(['out']);
    } finally {
      cleanup();
    }
  });

  it('with environments, only those folders are replaced', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out');
      await writeTree(out, tree({ 'dev/a/x.yaml': 'dev\n', 'prod/a/x.yaml': 'prod\n', 'prod/b/y.yaml': 'prod\n' }));
      await writeTree(out, tree({ 'prod/a/x.yaml': 'prod2\n' }), { environments: ['prod'] });
      expect(snapshot(out)).toEqual({ 'dev/a/x.yaml': 'dev\n', 'prod/a/x.yaml': 'prod2\n' });
      expect(existsSync(join(dir, 'out'))).toBe(true);
    } finally {
      cleanup();
    }
  });
});
