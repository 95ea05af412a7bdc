import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../compiler/cli/io.js';
import { policyCommand } from '../../compiler/cli/policy.js';

function fakeIO(cwd: string): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    cwd,
    env: {},
    isTTY: false,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}

async function run(cwd: string, ...argv: string[]) {
  const io = fakeIO(cwd);
  const code = await policyCommand.run(argv, io);
  return { code, out: io.out, err: io.err };
}

let dir: string;

const policy = `package k8s
import rego.v1

deny contains msg if {
	some c in input.containers
	not c.limits
	msg := sprintf("%s has no limits", [c.name])
}
`;

const tests = `package k8s_test
import rego.v1
import data.k8s

test_ok if count(k8s.deny) == 0 with input as {"containers": [{"name": "a", "limits": {}}]}

test_denied if {
	print("checking", data.config.team)
	k8s.deny == {"b has no limits"} with input as {"containers": [{"name": "b"}]}
}

todo_later if false
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlspec-policy-'));
  mkdirSync(join(dir, 'policies', 'config'), { recursive: true });
  writeFileSync(join(dir, 'policies', 'k8s.rego'), policy);
  writeFileSync(join(dir, 'policies', 'k8s_test.rego'), tests);
  writeFileSync(join(dir, 'policies', 'config', 'data.yaml'), 'team: ml-platform\n');
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ containers: [{ name: 'x' }, { name: 'y', limits: {} }] }));
  writeFileSync(
    join(dir, 'failing_test.rego'),
    'package f\nimport rego.v1\ntest_wrong if 1 == 2\ntest_conflict if { x := {"a": 1, "a": 2}[_] }\n',
  );
  mkdirSync(join(dir, 'v0'));
  writeFileSync(
    join(dir, 'v0', 'old.rego'),
    'package old\ndeny[msg] { input.bad; msg := "bad" }\ntest_deny { deny["bad"] with input as {"bad": true} }\n',
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mlspec policy test', () => {
  it('passes, ending with the summary line', async () => {
    const r = await run(dir, 'test', 'policies');
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed, 1 skipped');
  });

  it('lists every test and its print output with -v', async () => {
    const r = await run(dir, 'test', 'policies', '-v');
    expect(r.out).toMatch(/^policies\/k8s_test\.rego:\n/);
    expect(r.out).toMatch(/data\.k8s_test\.test_ok: PASS \(/);
    expect(r.out).toContain('  checking ml-platform');
    expect(r.out).toContain('data.k8s_test.todo_later: SKIPPED');
  });

  it('exits 1 and shows each failure with its location', async () => {
    const r = await run(dir, 'test', 'failing_test.rego');
    expect(r.code).toBe(1);
    expect(r.out).toContain('data.f.test_wrong: FAIL');
    expect(r.out).toContain('  at failing_test.rego:3:1');
    expect(r.out).toContain('data.f.test_conflict: ERROR');
    expect(r.out).toContain('eval_conflict_error: object keys must be unique');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed, 1 error');
  });

  it('reads v0 modules only with --v0-compatible', async () => {
    const v1 = await run(dir, 'test', 'v0');
    expect(v1.code).toBe(2);
    expect(v1.err).toContain('v0/old.rego:2:11: rego_parse_error: `if` keyword is required before rule body');
    expect(v1.err).toContain('hint: this looks like Rego v0 syntax');
    const v0 = await run(dir, 'test', 'v0', '--v0-compatible');
    expect(v0.code).toBe(0);
    expect(v0.out.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
  });

  it('writes JSON results like opa test --format json', async () => {
    const r = await run(dir, 'test', 'policies', '--format', 'json');
    const items = JSON.parse(r.out) as { package: string; name: string; skip?: boolean; fail?: boolean }[];
    expect(items.map((t) => [t.package, t.name, t.skip ?? false, t.fail ?? false])).toEqual([
      ['data.k8s_test', 'test_ok', false, false],
      ['data.k8s_test', 'test_denied', false, false],
      ['data.k8s_test', 'todo_later', true, false],
    ]);
  });
});

describe('mlspec policy eval', () => {
  it('prints opa eval --format json results', async () => {
    const r = await run(dir, 'eval', '-d', 'policies', '-i', 'input.json', 'data.k8s.deny');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      result: [{ expressions: [{ value: ['x has no limits'], text: 'data.k8s.deny', location: { row: 1, col: 1 } }] }],
    });
  });

  it('prints bindings with --format pretty', async () => {
    const r = await run(
      dir,
      'eval',
      '-d',
      'policies',
      '-i',
      'input.json',
      'n := count(data.k8s.deny)',
      '--format',
      'pretty',
    );
    expect(r.out).toBe('{\n  "n": 1\n}\n');
  });

  it('exits 1 on an undefined result with --fail, 0 without', async () => {
    expect((await run(dir, 'eval', '-d', 'policies', 'data.k8s.nothing', '--fail')).code).toBe(1);
    const r = await run(dir, 'eval', '-d', 'policies', 'data.k8s.nothing');
    expect(r.code).toBe(0);
    expect(r.out).toBe('{}\n');
  });

  it('exits 2 on errors, reporting them as JSON or text', async () => {
    const r = await run(dir, 'eval', '-d', 'policies', 'data.k8s.deny[', '--format', 'json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).errors[0].code).toBe('rego_parse_error');
    const e = await run(dir, 'eval', 'x := 1 / 0', '--format', 'pretty');
    expect(e.code).toBe(0);
    const missing = await run(dir, 'eval', '-d', 'nope', 'true', '--format', 'pretty');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope: no such file or directory');
  });

  it('reports what is wrong with an input file as an error of the chosen format (exit 2)', async () => {
    const missing = await run(dir, 'eval', '-d', 'policies', '-i', 'nope.json', 'input');
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('');
    expect(JSON.parse(missing.out)).toEqual({
      errors: [{ message: 'cannot read nope.json (ENOENT)', code: 'rego_compile_error' }],
    });
    writeFileSync(join(dir, 'broken.json'), '{"a": 1');
    const broken = await run(dir, 'eval', '-d', 'policies', '-i', 'broken.json', 'input');
    expect(broken.code).toBe(2);
    expect(JSON.parse(broken.out).errors).toEqual([
      {
        message: 'broken.json is not valid JSON: expected , or } at line 1 column 8',
        code: 'rego_parse_error',
        location: { file: 'broken.json', row: 1, col: 8 },
      },
    ]);
    const text = await run(dir, 'eval', '-d', 'policies', '-i', 'broken.json', 'input', '--format', 'pretty');
    expect(text).toEqual({
      code: 2,
      out: '',
      err: 'broken.json:1:8: rego_parse_error: broken.json is not valid JSON: expected , or } at line 1 column 8\n',
    });
  });

  it('rejects bad usage', async () => {
    await expect(run(dir, 'frobnicate')).rejects.toThrow(UsageError);
    await expect(run(dir, 'eval', '-d', 'policies')).rejects.toThrow('give exactly one query');
    await expect(run(dir, 'eval', 'true', '--format', 'xml')).rejects.toThrow('unknown --format');
  });
});

describe('mlspec policy: failing closed', () => {
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  it('http.send without the network is an error the CLI prints, with a non-zero exit', async () => {
    write(
      'net.rego',
      'package net\nimport rego.v1\n' +
        'deny contains "blocked" if http.send({"method": "GET", "url": "https://x.example"}).status_code != 200\n',
    );
    const r = await run(dir, 'eval', '-d', 'net.rego', 'data.net.deny', '--format', 'pretty');
    expect(r.code).toBe(2);
    expect(r.err).toContain('net.rego:3:');
    expect(r.err).toContain('eval_builtin_error: http.send: network access is disabled');
    expect(r.out).toBe('');
  });

  it('stops at engine limits with eval_limit_error and exit 2, strict or not', async () => {
    write('range.rego', 'package range\nimport rego.v1\ndeny if count(numbers.range(1, input.n)) > 5\n');
    write('big.json', JSON.stringify({ n: 1e8 }));
    for (const extra of [[], ['--strict-builtin-errors']]) {
      const r = await run(dir, 'eval', '-d', 'range.rego', '-i', 'big.json', 'data.range.deny', ...extra);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out).errors[0]).toMatchObject({ code: 'eval_limit_error' });
    }
  });

  it('--strict-builtin-errors turns a failing builtin into an error, as in OPA', async () => {
    const lax = await run(dir, 'eval', 'x := to_number("ten")');
    expect(lax).toEqual({ code: 0, out: '{}\n', err: '' });
    const strict = await run(dir, 'eval', 'x := to_number("ten")', '--strict-builtin-errors');
    expect(strict.code).toBe(2);
    expect(JSON.parse(strict.out).errors[0]).toMatchObject({ code: 'eval_builtin_error' });
    write('strict_test.rego', 'package s\nimport rego.v1\ntest_n if to_number("ten") == 10\n');
    const t = await run(dir, 'test', 'strict_test.rego', '--strict-builtin-errors');
    expect(t.code).toBe(1);
    expect(t.out).toContain('data.s.test_n: ERROR');
  });

  it('shows policies no host environment variable unless --env names it', async () => {
    const io = fakeIO(dir);
    const env = { SECRET_TOKEN: 's3cr3t', MLSPEC_REGION: 'eu', MLSPEC_ZONE: 'a', HOME: '/h' };
    const runEnv = async (...argv: string[]) => {
      const x = { ...io, env, out: '', err: '' };
      const code = await policyCommand.run(['eval', '--format', 'pretty', ...argv, 'opa.runtime()'], {
        ...x,
        stdout: (t: string) => void (x.out += t),
        stderr: (t: string) => void (x.err += t),
      });
      return { code, value: JSON.parse(x.out) as unknown };
    };
    expect(await runEnv()).toEqual({ code: 0, value: {} });
    expect(await runEnv('--env', 'HOME')).toEqual({ code: 0, value: { env: { HOME: '/h' } } });
    expect(await runEnv('--env', 'MLSPEC_*', '--env', 'HOME')).toEqual({
      code: 0,
      value: { env: { HOME: '/h', MLSPEC_REGION: 'eu', MLSPEC_ZONE: 'a' } },
    });
    await expect(runEnv('--env', 'A-B')).rejects.toThrow(UsageError);
  });

  it('says what is wrong with a data file whose top level is an array', async () => {
    write('list.json', '[1, 2]');
    const r = await run(dir, 'eval', '-d', 'list.json', 'data', '--format', 'pretty');
    expect(r.code).toBe(2);
    expect(r.err).toContain('list.json:1:1: rego_compile_error: data file list.json must hold an object');
    expect(r.err).not.toContain('conflicts');
  });

  it('reads, evaluates and prints an input nested 3,000 levels deep, and 10,000 as Go decoders allow', async () => {
    write('deep.json', `${'['.repeat(3000)}1${']'.repeat(3000)}`);
    const r = await run(dir, 'eval', '-i', 'deep.json', 'input', '--format', 'pretty');
    expect(r.code).toBe(0);
    expect(r.out.replace(/\s/g, '')).toBe(`${'['.repeat(3000)}1${']'.repeat(3000)}`);
    write('deeper.json', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`);
    const deeper = await run(dir, 'eval', '-i', 'deeper.json', 'json.marshal(input) == json.marshal(input)');
    expect(deeper.code).toBe(0);
    expect(JSON.parse(deeper.out).result[0].expressions[0].value).toBe(true);
  });

  it('gives time.now_ns() nanosecond resolution', async () => {
    const samples: bigint[] = [];
    for (let i = 0; i < 5; i++)
      samples.push(BigInt((await run(dir, 'eval', 'time.now_ns()', '--format', 'pretty')).out.trim()));
    expect(samples.some((ns) => ns % 1_000_000n !== 0n)).toBe(true);
    const wall = BigInt(Date.now()) * 1_000_000n;
    expect(samples.every((ns) => wall - ns < 60_000_000_000n && ns <= wall + 1_000_000_000n)).toBe(true);
  });
});
