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
    const missing = await run(dir, 'eval', '-d', 'nope', 'true');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope: no such file or directory');
  });

  it('says what is wrong with an input file in one line (exit 2), without the usage text', async () => {
    const missing = await run(dir, 'eval', '-d', 'policies', '-i', 'nope.json', 'input');
    expect(missing).toEqual({ code: 2, out: '', err: 'mlspec policy: cannot read input file nope.json (ENOENT)\n' });
    writeFileSync(join(dir, 'broken.json'), '{"a": 1');
    const broken = await run(dir, 'eval', '-d', 'policies', '-i', 'broken.json', 'input');
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/^mlspec policy: input file broken\.json is not valid JSON: .+\n$/);
  });

  it('rejects bad usage', async () => {
    await expect(run(dir, 'frobnicate')).rejects.toThrow(UsageError);
    await expect(run(dir, 'eval', '-d', 'policies')).rejects.toThrow('give exactly one query');
    await expect(run(dir, 'eval', 'true', '--format', 'xml')).rejects.toThrow('unknown --format');
  });
});
