import { describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../../compiler/cli/commands.js';
import { runCli, tempDir } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '../..');

describe('mlspec CLI', () => {
  it('lists its commands, alone or with --help; an unknown command gets a did-you-mean', async () => {
    const help = await runCli(['--help'], { cwd: ROOT });
    expect(help.code).toBe(0);
    for (const c of commands) expect(help.stdout).toContain(c.name);
    expect(help.stdout).toContain('-V, --version');
    const bare = await runCli([], { cwd: ROOT });
    expect(bare).toMatchObject({ code: 0, stdout: help.stdout });
    const unknown = await runCli(['compil'], { cwd: ROOT });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('mlspec: unknown command "compil"; did you mean `compile`?\n');
    const far = await runCli(['deploy'], { cwd: ROOT });
    expect(far.stderr).toBe('mlspec: unknown command "deploy"; run `mlspec --help` for the commands\n');
  });

  it('decides colour for each stream: diagnostics redirected to a file carry no escapes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: mlspec.io/v1alpha1\nkind: MLSystem\n');
      const toFile = await runCli(['validate', '.'], { cwd: dir, isTTY: true, stderrIsTTY: false });
      expect(toFile.stderr).toContain('error[');
      expect(toFile.stderr).not.toContain('\x1b[');
      const toTerminal = await runCli(['validate', '.'], { cwd: dir, isTTY: false, stderrIsTTY: true });
      expect(toTerminal.stderr).toContain('\x1b[');
    } finally {
      cleanup();
    }
  });

  it('prints its version with --version and -V', async () => {
    const long = await runCli(['--version'], { cwd: ROOT });
    const short = await runCli(['-V'], { cwd: ROOT });
    expect(long.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(short).toEqual(long);
  });

  for (const c of commands) {
    it(`\`${c.name} --help\` shows usage and exits 0`, async () => {
      const run = await runCli([c.name, '--help'], { cwd: ROOT });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage:\s+mlspec /);
    });
  }

  it('an unknown option is a usage error that shows the usage', async () => {
    const run = await runCli(['validate', '--frmat', 'json'], { cwd: ROOT });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--frmat'");
    expect(run.stderr).toContain('Usage: mlspec validate');
  });

  it('validates the examples and lists their systems and environments', async () => {
    const run = await runCli(['validate', 'specs'], { cwd: ROOT });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const s of ['card-fraud', 'product-ranker', 'churn-small'])
      expect(run.stdout).toMatch(new RegExp(`^${s} .*dev→.*prod→.*staging→`, 'm'));
    expect(run.stdout).toContain('4 system(s), 11 system-environment(s) checked (every environment): valid;');
  });

  it('--format json gives machines the same facts', async () => {
    const run = await runCli(['validate', 'specs', '--format', 'json'], { cwd: ROOT });
    const out = JSON.parse(run.stdout);
    expect(out.ok).toBe(true);
    expect(out.systems.map((s: { name: string }) => s.name)).toEqual([
      'card-fraud',
      'churn-small',
      'product-ranker',
      'query-intent',
    ]);
    expect(out.systems[0].environments).toEqual([
      { name: 'dev', cluster: 'dev-eu' },
      { name: 'prod', cluster: 'prod-eu' },
      { name: 'staging', cluster: 'staging-eu' },
    ]);
  });

  describe('colour', () => {
    const broken = async (env: Record<string, string>, isTTY: boolean) => {
      const { dir, cleanup } = tempDir();
      try {
        writeFileSync(join(dir, 'a.yaml'), 'kind: Nope\n');
        return await runCli(['validate', dir], { cwd: ROOT, env, isTTY });
      } finally {
        cleanup();
      }
    };
    it('is used on a terminal', async () => expect((await broken({}, true)).stderr).toContain('\x1b['));
    it('is never used when NO_COLOR is set', async () =>
      expect((await broken({ NO_COLOR: '' }, true)).stderr).not.toContain('\x1b['));
    it('is not used when output is not a terminal', async () =>
      expect((await broken({}, false)).stderr).not.toContain('\x1b['));
  });

  describe('init', () => {
    it('writes a commented starter spec that validates as written, and never overwrites', async () => {
      const { dir, cleanup } = tempDir();
      try {
        copyFileSync(join(ROOT, 'specs/platform.yaml'), join(dir, 'platform.yaml'));
        const first = await runCli(
          ['init', 'fraud-lite', '--team', 'payments-risk', '--cluster', 'dev-eu', '--dir', '.'],
          { cwd: dir },
        );
        expect(first.code).toBe(0);
        expect(first.stdout).toContain('add `.out.*` to .gitignore');
        const text = readFileSync(join(dir, 'fraud-lite.yaml'), 'utf8');
        expect(text).toMatch(/^# /m);
        expect(text).toContain('name: fraud-lite');
        const check = await runCli(['validate', '.'], { cwd: dir });
        expect(check.stderr).toBe('');
        expect(check.code).toBe(0);
        writeFileSync(join(dir, 'fraud-lite.yaml'), 'edited');
        const again = await runCli(['init', 'fraud-lite', '--dir', '.'], { cwd: dir });
        expect(again.code).toBe(2);
        expect(readFileSync(join(dir, 'fraud-lite.yaml'), 'utf8')).toBe('edited');
      } finally {
        cleanup();
      }
    });

    it('refuses a team or cluster profile the platform config does not know, and writes nothing', async () => {
      const { dir, cleanup } = tempDir();
      try {
        copyFileSync(join(ROOT, 'specs/platform.yaml'), join(dir, 'platform.yaml'));
        const team = await runCli(
          ['init', 'fraud-lite', '--team', 'paymnts-risk', '--cluster', 'dev-eu', '--dir', '.'],
          { cwd: dir },
        );
        expect(team.code).toBe(2);
        expect(team.stderr).toBe(
          'mlspec init: team `paymnts-risk` is not registered in the platform config platform.yaml (did you ' +
            'mean `payments-risk`?); pass --team; nothing written\n',
        );
        const cluster = await runCli(
          ['init', 'fraud-lite', '--team', 'payments-risk', '--cluster', 'gpu-eu', '--dir', '.'],
          { cwd: dir },
        );
        expect(cluster.code).toBe(2);
        expect(cluster.stderr).toMatch(
          new RegExp(
            '^mlspec init: cluster profile `gpu-eu` is not defined in the platform config platform\\.yaml ' +
              '\\(defined profiles: dev-eu, .+\\); pass --cluster; nothing written\n$',
          ),
        );
        expect(existsSync(join(dir, 'fraud-lite.yaml'))).toBe(false);
      } finally {
        cleanup();
      }
    });

    it('refuses names that cannot be Kubernetes names', async () => {
      const run = await runCli(['init', 'Fraud_Lite'], { cwd: ROOT });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/lowercase/);
    });
  });

  it('the installed binary reports bad input in one line per problem, without a stack trace', () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'junk.yaml'), Buffer.from([0x7b, 0x00, 0x80, 0xfe, 0x3a, 0x0a]));
      writeFileSync(join(dir, 'bad.jsonnet'), '{ a: std.nope() }');
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/compiler/cli/main.js'), 'validate', dir], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('junk.yaml:1:1: error[not_text]');
      expect(r.stderr).toContain('bad.jsonnet:1:');
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    } finally {
      cleanup();
    }
  });

  it(
    'ends quietly when the reader closes the pipe (`mlspec schema mlsystem | head`), and says so in one line ' +
      'when the output cannot be written',
    async () => {
      const cli = join(ROOT, 'dist/compiler/cli/main.js');
      const child = spawn(process.execPath, [cli, 'schema', 'mlsystem'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      // Read one chunk, then close the pipe: the schema is larger than the pipe's buffer.
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

      const full = spawnSync(process.execPath, [cli, 'schema', 'mlsystem'], {
        stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
        encoding: 'utf8',
      });
      expect(full.status).toBe(2);
      expect(full.stderr).toBe('mlspec: cannot write the output: ENOSPC: no space left on device, write\n');
    },
  );

  it('stops a runaway Jsonnet evaluation at the time limit where it is, and exits normally', () => {
    const { dir, cleanup } = tempDir();
    try {
      // Tens of seconds of evaluation in constant memory (a tail-recursive loop).
      writeFileSync(
        join(dir, 'slow.jsonnet'),
        'local loop(n, acc) = if n == 0 then acc else loop(n - 1, acc + 1) tailstrict;\n{ n: loop(5000000, 0) }\n',
      );
      const started = Date.now();
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/compiler/cli/main.js'), 'validate', dir], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, MLSPEC_JSONNET_TIMEOUT_S: '0.3' },
        timeout: 20_000,
      });
      // Not a timing test: waiting for the evaluation would take tens of seconds.
      expect(Date.now() - started).toBeLessThan(10_000);
      // Located at the expression being evaluated when time ran out: inside the loop on line 1.
      expect(r.stderr).toMatch(
        /slow\.jsonnet:1:\d+: error\[jsonnet_timeout\]: Jsonnet evaluation did not finish within 0\.3 s\n/,
      );
      expect(r.stderr).toContain('1 error(s)');
      // The evaluator stops itself: no signal, the usual exit status for input errors.
      expect({ signal: r.signal, status: r.status }).toEqual({ signal: null, status: 1 });
    } finally {
      cleanup();
    }
  });

  it('refuses a Jsonnet time limit that is not a positive number instead of ignoring it (validate, init)', async () => {
    for (const value of ['ten', '0', '-1', 'Infinity']) {
      const r = await runCli(['validate', 'specs'], { cwd: ROOT, env: { MLSPEC_JSONNET_TIMEOUT_S: value } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `MLSPEC_JSONNET_TIMEOUT_S must be a positive number of seconds, not "${value}"; unset it for the ` +
          `default of 10 s`,
      );
    }
    expect((await runCli(['validate', 'specs'], { cwd: ROOT, env: { MLSPEC_JSONNET_TIMEOUT_S: '2.5' } })).code).toBe(0);
    const { dir, cleanup } = tempDir();
    try {
      copyFileSync(join(ROOT, 'specs/platform.yaml'), join(dir, 'platform.yaml'));
      const init = await runCli(
        ['init', 'fraud-lite', '--team', 'payments-risk', '--cluster', 'dev-eu', '--dir', '.'],
        { cwd: dir, env: { MLSPEC_JSONNET_TIMEOUT_S: 'soon' } },
      );
      expect(init.code).toBe(2);
      expect(init.stderr).toContain('MLSPEC_JSONNET_TIMEOUT_S must be a positive number of seconds, not "soon"');
      expect(existsSync(join(dir, 'fraud-lite.yaml'))).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('prints its version', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'dist/compiler/cli/main.js'), '--version'], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
