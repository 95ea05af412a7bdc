// Writing out/ atomically: a failure mid-write or a kill before the swap leaves the previous
// out/ as it was; a swap interrupted between its renames is undone by the next run; one compile
// writes at a time; recovery never follows links; files of removed systems disappear; --env
// replaces only its folders.
import { describe, expect, it } from 'vitest';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OutputRefused } from '../../compiler/emit/refused.js';
import { writeTree } from '../../compiler/emit/write.js';
import { tempDir } from '../helpers/cli.js';

const WRITE_JS = pathToFileURL(join(import.meta.dirname, '../../dist/compiler/emit/write.js')).href;

/** A compile (the built writeTree, in another process) killed by SIGKILL at a test hook. */
function killedWriting(out: string, at: 'afterFile' | 'betweenRenames'): SpawnSyncReturns<string> {
  const script =
    `const { writeTree } = await import(${JSON.stringify(WRITE_JS)});\n` +
    `await writeTree(${JSON.stringify(out)}, new Map([['dev/a/x.yaml', 'new\\n'], ['dev/b/y.yaml', 'new\\n']]), ` +
    `{ ${at}: () => process.kill(process.pid, 'SIGKILL') });`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
}

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

  it('a compile killed before the swap leaves out/ as it was; the next one removes its staging folder', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out');
      await writeTree(out, tree({ 'dev/a/x.yaml': 'old\n' }));
      const killed = killedWriting(out, 'afterFile');
      expect(killed.signal).toBe('SIGKILL');
      expect(snapshot(out)).toEqual({ 'dev/a/x.yaml': 'old\n' });
      expect(readdirSync(dir).filter((e) => e.startsWith('.out.stage-'))).toHaveLength(1);
      expect(await writeTree(out, tree({ 'dev/a/x.yaml': 'new\n' }))).toEqual([]);
      expect(readdirSync(dir)).toEqual(['out']);
      expect(snapshot(out)).toEqual({ 'dev/a/x.yaml': 'new\n' });
    } finally {
      cleanup();
    }
  });

  it('a compile killed between its two renames: the next one puts the previous out/ back first', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out');
      await writeTree(out, tree({ 'dev/a/x.yaml': 'old\n' }));
      expect(killedWriting(out, 'betweenRenames').signal).toBe('SIGKILL');
      expect(existsSync(out)).toBe(false);
      // The next compile fails before its own swap: what it leaves is the recovered out/.
      const failing = writeTree(out, tree({ 'dev/a/x.yaml': 'new\n' }), {
        afterFile: () => {
          throw new Error('disk full');
        },
      });
      await expect(failing).rejects.toThrow('disk full');
      expect(snapshot(out)).toEqual({ 'dev/a/x.yaml': 'old\n' });
      expect(readdirSync(dir)).toEqual(['out']);
    } finally {
      cleanup();
    }
  });

  it('a second compile while one is between its renames is refused clearly; the first completes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'out');
      await writeTree(out, tree({ 'dev/a/x.yaml': 'old\n' }));
      let second: unknown;
      await writeTree(out, tree({ 'dev/a/x.yaml': 'first\n' }), {
        betweenRenames: async () => {
          second = await writeTree(out, tree({ 'dev/a/x.yaml': 'second\n' })).catch((e: unknown) => e);
        },
      });
      expect(second).toBeInstanceOf(OutputRefused);
      expect((second as OutputRefused).diagnostic).toMatchObject({
        code: 'out_busy',
        message: `another mlspec compile (pid ${process.pid}) is writing out/; nothing written`,
      });
      expect(snapshot(out)).toEqual({ 'dev/a/x.yaml': 'first\n' });
      expect(readdirSync(dir)).toEqual(['out']);
    } finally {
      cleanup();
    }
  });

  it("a folder where the lock goes is refused as not mlspec's, not taken for a running compile", async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(join(dir, '.out.lock/inside'), { recursive: true });
      const refused = await writeTree(join(dir, 'out'), tree({ 'dev/a/x.yaml': 'x\n' })).catch((e: unknown) => e);
      expect((refused as OutputRefused).diagnostic).toMatchObject({
        code: 'out_not_owned',
        message: "`.out.lock` beside out/ is a folder, not mlspec's lock; nothing written",
      });
      expect(readdirSync(dir)).toEqual(['.out.lock']);
      expect(readdirSync(join(dir, '.out.lock'))).toEqual(['inside']);
    } finally {
      cleanup();
    }
  });

  it('recovery never follows a link named like its folders and removes only the folders it created', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const repo = join(dir, 'repo');
      const victim = join(dir, 'victim');
      mkdirSync(join(victim, 'keep/deep'), { recursive: true });
      writeFileSync(join(victim, 'keep/deep/file'), 'precious\n');
      writeFileSync(join(victim, 'top'), 'precious\n');
      mkdirSync(repo);
      // What a pull request can commit beside out/: links with the names of leftovers of dead
      // compiles (pid 2^22 is above Linux's pid_max default), and a folder with a forged name.
      for (const name of ['.out.tmp-4194304-deadbeef', '.out.old-4194304-deadbeef', '.out.stage-4194304-deadbeef'])
        symlinkSync(victim, join(repo, name));
      mkdirSync(join(repo, '.out.stage-4194304-cafe/tree'), { recursive: true });
      writeFileSync(join(repo, '.out.stage-4194304-cafe/tree/notes'), 'mine\n');
      await writeTree(join(repo, 'out'), tree({ 'dev/a/x.yaml': 'new\n' }));
      expect(snapshot(victim)).toEqual({ 'keep/deep/file': 'precious\n', top: 'precious\n' });
      expect(readFileSync(join(repo, '.out.stage-4194304-cafe/tree/notes'), 'utf8')).toBe('mine\n');
      expect(snapshot(join(repo, 'out'))).toEqual({ 'dev/a/x.yaml': 'new\n' });
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
