// `mlspec compile` on an output folder a pull request controls, or that the machine does not let
// it write: it never reads or copies through a link in out/, never writes through `out` being a
// link, refuses while another compile writes, and says truthfully what happened when it cannot
// write (never "internal error").
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { handOver, runUnprivileged } from '../helpers/unprivileged.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/minimal');

/** The minimal fixture with a second environment, compiled into out/; beside it, a folder it must never touch. */
async function compiled(): Promise<{ repo: string; outside: string; cleanup: () => void }> {
  const { dir, cleanup } = tempDir('mlspec-out-safety-');
  const repo = join(dir, 'repo');
  const outside = join(dir, 'outside');
  cpSync(FIXTURE, join(repo, 'specs'), { recursive: true });
  const system = join(repo, 'specs/system.yaml');
  writeFileSync(system, `${readFileSync(system, 'utf8')}  dev:\n    cluster: gpu\n`);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'OUTSIDE-SECRET\n');
  const run = await runCli(['compile', 'specs'], { cwd: repo });
  expect(run.stderr).toBe('');
  return { repo, outside, cleanup };
}

const SERVICE = 'out/prod/scorer/service-scorer-cpu.yaml';

function tree(dir: string, base = ''): string[] {
  return readdirSync(join(dir, base), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tree(dir, `${base}${e.name}/`) : [`${base}${e.name}`],
  );
}

describe('compile with an out/ from a pull request', () => {
  it('--env refuses to copy a link in a kept environment, so nothing outside the repository is published', async () => {
    const { repo, outside, cleanup } = await compiled();
    try {
      symlinkSync(outside, join(repo, 'out/prod/scorer/leak'));
      const before = tree(join(repo, 'out'));
      const run = await runCli(['compile', 'specs', '--env', 'dev'], { cwd: repo });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        'error[out_not_owned]: out/prod/scorer/leak is a symbolic link, which mlspec does not write; ' +
          'compile --env keeps the other environments and would copy it; nothing written',
      );
      expect(run.stderr).not.toMatch(/internal error/);
      expect(tree(join(repo, 'out'))).toEqual(before);
      expect(lstatSync(join(repo, 'out/prod/scorer/leak')).isSymbolicLink()).toBe(true);
      expect(readdirSync(repo).sort()).toEqual(['out', 'specs']);
    } finally {
      cleanup();
    }
  });

  it('never reads a file of out/ through a link: --check finds it different, compile replaces the link', async () => {
    const { repo, outside, cleanup } = await compiled();
    try {
      // The link's target holds exactly what compile would write: only following it makes it look right.
      renameSync(join(repo, SERVICE), join(outside, 'service.yaml'));
      symlinkSync(join(outside, 'service.yaml'), join(repo, SERVICE));
      const check = await runCli(['compile', 'specs', '--check'], { cwd: repo });
      expect(check.code).toBe(1);
      expect(check.stdout).toContain(`  differs  ${SERVICE}\n`);
      expect((await runCli(['compile', 'specs'], { cwd: repo })).code).toBe(0);
      expect(lstatSync(join(repo, SERVICE)).isFile()).toBe(true);
      expect(lstatSync(join(outside, 'service.yaml')).nlink).toBe(1);
      expect((await runCli(['compile', 'specs', '--check'], { cwd: repo })).code).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('refuses an out that is a link, for compile and --check, and leaves its target alone', async () => {
    const { repo, outside, cleanup } = await compiled();
    try {
      renameSync(join(repo, 'out'), join(outside, 'out'));
      symlinkSync(join(outside, 'out'), join(repo, 'out'));
      for (const extra of [[], ['--check']]) {
        const run = await runCli(['compile', 'specs', ...extra], { cwd: repo });
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('error[out_not_a_folder]: `out` is a symbolic link; compile never writes');
      }
      expect(lstatSync(join(repo, 'out')).isSymbolicLink()).toBe(true);
      expect(readdirSync(outside).sort()).toEqual(['out', 'secret.txt']);
    } finally {
      cleanup();
    }
  });

  it('refuses while another compile holds out/, then takes over the lock of one that is gone', async () => {
    const { repo, cleanup } = await compiled();
    const writer = spawn('sleep', ['60']);
    try {
      writeFileSync(join(repo, '.out.lock'), `${writer.pid}\n`);
      const before = readFileSync(join(repo, SERVICE), 'utf8');
      writeFileSync(join(repo, SERVICE), 'edited\n');
      const busy = await runCli(['compile', 'specs'], { cwd: repo });
      expect(busy.code).toBe(2);
      expect(busy.stderr).toContain(
        `error[out_busy]: another mlspec compile (pid ${writer.pid}) is writing out/; nothing written`,
      );
      expect(readFileSync(join(repo, SERVICE), 'utf8')).toBe('edited\n');
      writer.kill();
      await new Promise((resolve) => writer.once('exit', resolve));
      const after = await runCli(['compile', 'specs'], { cwd: repo });
      expect(after.code).toBe(0);
      expect(readFileSync(join(repo, SERVICE), 'utf8')).toBe(before);
      expect(readdirSync(repo).sort()).toEqual(['out', 'specs']);
    } finally {
      writer.kill();
      cleanup();
    }
  });
});

describe('compile where the machine does not let it write (as an ordinary user)', () => {
  it('`--out /` is refused plainly', () => {
    const { dir, cleanup } = tempDir('mlspec-out-root-');
    try {
      cpSync(FIXTURE, join(dir, 'specs'), { recursive: true });
      handOver(dir);
      const run = runUnprivileged(['compile', 'specs', '--out', '/'], dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        'error[out_not_owned]: `/` is the root of the file system; compile replaces the whole output folder',
      );
      expect(run.stderr).not.toMatch(/internal error|EACCES/);
    } finally {
      cleanup();
    }
  });

  it('a read-only out/: nothing written, said truthfully, nothing left; compiles once writable', async () => {
    const { repo, cleanup } = await compiled();
    try {
      writeFileSync(join(repo, SERVICE), 'edited\n');
      chmodSync(join(repo, 'out'), 0o555);
      handOver(join(repo, '..'));
      const run = runUnprivileged(['compile', 'specs'], repo);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/error\[output_failed\]: cannot write out\/; it was left as it was: EACCES/);
      expect(readFileSync(join(repo, SERVICE), 'utf8')).toBe('edited\n');
      expect(readdirSync(repo).sort()).toEqual(['out', 'specs']);
      chmodSync(join(repo, 'out'), 0o755);
      const again = runUnprivileged(['compile', 'specs'], repo);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(readFileSync(join(repo, SERVICE), 'utf8')).not.toBe('edited\n');
      expect(readdirSync(repo).sort()).toEqual(['out', 'specs']);
    } finally {
      chmodSync(join(repo, 'out'), 0o755);
      cleanup();
    }
  });

  it('a read-only folder inside out/: the new out/ is swapped in and the previous one removed', async () => {
    const { repo, cleanup } = await compiled();
    try {
      writeFileSync(join(repo, SERVICE), 'edited\n');
      chmodSync(join(repo, 'out/prod/scorer'), 0o555);
      handOver(join(repo, '..'));
      const run = runUnprivileged(['compile', 'specs'], repo);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(readFileSync(join(repo, SERVICE), 'utf8')).not.toBe('edited\n');
      expect(readdirSync(repo).sort()).toEqual(['out', 'specs']);
      expect(runUnprivileged(['compile', 'specs'], repo).code).toBe(0);
    } finally {
      if (existsSync(join(repo, 'out/prod/scorer'))) chmodSync(join(repo, 'out/prod/scorer'), 0o755);
      cleanup();
    }
  });
});
