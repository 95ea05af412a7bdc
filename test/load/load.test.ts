import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_HEADER } from '../../core/generated-files.js';
import { loadPaths } from '../../compiler/load/load.js';
import { locate } from '../../core/source/source-map.js';
import { LOAD_LIMITS } from '../../compiler/load/limits.js';
import { runCli, tempDir } from '../helpers/cli.js';

function withFiles(files: Record<string, string | Buffer>, fn: (dir: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = tempDir();
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return fn(dir).finally(cleanup);
}

describe('YAML loading', () => {
  it('keeps the position of every key and value, aliases included', () =>
    withFiles({ 'a.yaml': 'base: &b\n  x: 1\nother:\n  <<: 1\n  list: [one, { two: 2 }]\nuse: *b\n' }, async (dir) => {
      const { documents, diagnostics } = await loadPaths(['.'], dir);
      expect(diagnostics).toEqual([]);
      const doc = documents[0]!;
      expect(doc.value).toEqual({ base: { x: 1 }, other: { '<<': 1, list: ['one', { two: 2 }] }, use: { x: 1 } });
      expect(locate(doc.locations, '/other/list/1/two')).toEqual({ file: 'a.yaml', line: 5, column: 22 });
      expect(locate(doc.locations, '/other/list/1/two', true)).toEqual({ file: 'a.yaml', line: 5, column: 17 });
      // The alias itself is located where it is used; the values it copies, where they are written.
      expect(locate(doc.locations, '/use')?.line).toBe(6);
      expect(locate(doc.locations, '/use/x')?.line).toBe(2);
      // A missing node is located at its nearest ancestor.
      expect(locate(doc.locations, '/other/missing/deeper')).toEqual({ file: 'a.yaml', line: 4, column: 3 });
    }));

  it('reads every document of a multi-document file, skipping empty ones', () =>
    withFiles({ 'multi.yaml': '---\na: 1\n---\n---\nb: 2\n...\n' }, async (dir) => {
      const { documents } = await loadPaths(['multi.yaml'], dir);
      expect(documents.map((d) => [d.index, d.value])).toEqual([
        [0, { a: 1 }],
        [1, { b: 2 }],
      ]);
    }));

  it('refuses a spec file without any document: emptied by a bad merge, it would drop its system from out/', () =>
    withFiles(
      { 'a.yaml': '', 'b.yaml': '# only a comment\n', 'c.yaml': '---\n---\n', 'd.jsonnet': '[]\n', 'e.yaml': 'x: 1\n' },
      async (dir) => {
        const { documents, diagnostics } = await loadPaths(['.'], dir);
        expect(documents.map((d) => d.file)).toEqual(['e.yaml']);
        expect(diagnostics.map((d) => [d.code, d.severity, d.location?.file, d.location?.line])).toEqual([
          ['empty_file', 'error', 'a.yaml', 1],
          ['empty_file', 'error', 'b.yaml', 1],
          ['empty_file', 'error', 'c.yaml', 1],
          ['empty_file', 'error', 'd.jsonnet', 1],
        ]);
      },
    ));

  it('refuses keys that are the same after YAML 1.2 or 1.1 normalisation, at both keys', () =>
    withFiles(
      {
        'a.yaml': [
          'tiers:',
          '  true: { cpu: 64 }',
          '  "true": { cpu: 100m }',
          'labels: { on: a, "true": b, "on": c }',
          'ports:',
          '  010: a',
          '  8: b',
          '  "10": c',
          'distinct: { "on": x, true: y, "yes": 1, no: 2 }',
          '',
        ].join('\n'),
      },
      async (dir) => {
        const { documents, diagnostics } = await loadPaths(['a.yaml'], dir);
        expect(documents).toEqual([]);
        expect(diagnostics.map((d) => [d.code, d.location?.line, d.location?.column, d.message])).toEqual([
          ['duplicate_key', 2, 3, 'key `true` is repeated at line 3 (both read as one string)'],
          ['duplicate_key', 3, 3, 'duplicate key `"true"`: the same key as `true` at line 2 (both read as one string)'],
          ['duplicate_key', 4, 11, 'key `on` is repeated at line 4 (in YAML 1.1)'],
          ['duplicate_key', 4, 18, 'duplicate key `"true"`: the same key as `on` at line 4 (in YAML 1.1)'],
          ['duplicate_key', 4, 11, 'key `on` is repeated at line 4 (both read as one string)'],
          ['duplicate_key', 4, 29, 'duplicate key `"on"`: the same key as `on` at line 4 (both read as one string)'],
          ['duplicate_key', 6, 3, 'key `010` is repeated at line 7 (in YAML 1.1)'],
          ['duplicate_key', 7, 3, 'duplicate key `8`: the same key as `010` at line 6 (in YAML 1.1)'],
          ['duplicate_key', 6, 3, 'key `010` is repeated at line 8 (both read as one string)'],
          ['duplicate_key', 8, 3, 'duplicate key `"10"`: the same key as `010` at line 6 (both read as one string)'],
        ]);
        expect(diagnostics[0]!.hint).toMatch(/silently replaces/);
      },
    ));

  it('treats yes/no/on/off as strings (YAML 1.2), and keeps `__proto__` as data', () =>
    withFiles({ 'a.yaml': 'country: no\nflag: on\n__proto__: { polluted: true }\n' }, async (dir) => {
      const { documents } = await loadPaths(['a.yaml'], dir);
      const v = documents[0]!.value as Record<string, unknown>;
      expect(v.country).toBe('no');
      expect(v.flag).toBe('on');
      expect(Object.keys(v)).toContain('__proto__');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }));
});

describe('directories and formats', () => {
  it('finds spec files recursively in a fixed order, skipping hidden dirs, libraries and schemas', () =>
    withFiles(
      {
        'b.yaml': 'x: 1\n',
        'a/z.yml': 'x: 2\n',
        'a/y.json': '{"x": 3}\n',
        '.hidden/c.yaml': 'x: 4\n',
        'node_modules/d.yaml': 'x: 5\n',
        'schema/mlsystem.schema.json': '{}',
        'lib/l.libsonnet': '{}',
        'notes.txt': 'not a spec',
      },
      async (dir) => {
        const { documents, diagnostics } = await loadPaths(['.'], dir);
        expect(diagnostics).toEqual([]);
        expect(documents.map((d) => d.file)).toEqual(['a/y.json', 'a/z.yml', 'b.yaml']);
      },
    ));

  it('reads each file once through symlink loops, and refuses a FIFO instead of blocking on it', () =>
    withFiles({ 'specs/a.yaml': 'x: 1\n' }, async (dir) => {
      symlinkSync('..', join(dir, 'specs/up'));
      symlinkSync('.', join(dir, 'specs/self'));
      symlinkSync('a.yaml', join(dir, 'specs/b.yaml'));
      execFileSync('mkfifo', [join(dir, 'specs/pipe.yaml')]);
      const { documents, diagnostics } = await loadPaths(['specs'], dir);
      expect(documents.map((d) => d.file)).toEqual(['specs/a.yaml']);
      expect(diagnostics).toMatchObject([
        { code: 'not_a_file', location: { file: 'specs/pipe.yaml', line: 1, column: 1 } },
      ]);
    }));

  it('skips the folders mlspec generated (its manifests are not specs), but not look-alikes', () =>
    withFiles(
      {
        'specs/a.yaml': 'x: 1\n',
        'out/dev/kustomization.yaml': `${GENERATED_HEADER}the specs. Do not edit.\nresources: [a]\n`,
        'out/dev/a/kustomization.yaml': `${GENERATED_HEADER}specs/a.yaml. Do not edit.\nresources: [deployment-a.yaml]\n`,
        'out/dev/a/deployment-a.yaml': 'apiVersion: apps/v1\nkind: Deployment\n',
        'handmade/kustomization.yaml': 'resources: [b.yaml]\n',
        'handmade/b.yaml': 'y: 2\n',
      },
      async (dir) => {
        const { documents, diagnostics } = await loadPaths(['.'], dir);
        expect(diagnostics).toEqual([]);
        expect(documents.map((d) => d.file)).toEqual([
          'handmade/b.yaml',
          'handmade/kustomization.yaml',
          'specs/a.yaml',
        ]);
      },
    ));

  it(
    'refuses a spec entry that is a broken symlink (its system would silently vanish from out/), and ignores ' +
      'other dangling links',
    () =>
      withFiles({ 'specs/a.yaml': 'x: 1\n' }, async (dir) => {
        symlinkSync('../shared/fraud.yaml', join(dir, 'specs/fraud.yaml'));
        symlinkSync('loop.yaml', join(dir, 'specs/loop.yaml'));
        symlinkSync('nowhere', join(dir, 'specs/notes.txt'));
        const { documents, diagnostics } = await loadPaths(['specs'], dir);
        expect(documents.map((d) => d.file)).toEqual(['specs/a.yaml']);
        expect(diagnostics).toMatchObject([
          { code: 'unreadable_entry', severity: 'error', location: { file: 'specs/fraud.yaml', line: 1, column: 1 } },
          { code: 'unreadable_entry', severity: 'error', location: { file: 'specs/loop.yaml', line: 1, column: 1 } },
        ]);
        expect(diagnostics[0]!.message).toContain('(ENOENT)');
        expect(diagnostics[1]!.message).toContain('(ELOOP)');
      }),
  );

  it('evaluates Jsonnet with .libsonnet imports; a top-level list is several documents', () =>
    withFiles(
      {
        'lib/common.libsonnet': '{ team(name):: { team: name, size: std.length(name) } }',
        'sys.jsonnet': "local c = import 'lib/common.libsonnet';\n[c.team('risk'), c.team('growth')]\n",
      },
      async (dir) => {
        const { documents, diagnostics } = await loadPaths(['.'], dir);
        expect(diagnostics).toEqual([]);
        expect(documents.map((d) => d.value)).toEqual([
          { team: 'risk', size: 4 },
          { team: 'growth', size: 6 },
        ]);
        expect(documents.every((d) => d.format === 'jsonnet')).toBe(true);
      },
    ));

  it('reports a missing Jsonnet import at the import', () =>
    withFiles({ 'sys.jsonnet': "{\n  a: import 'missing.libsonnet',\n}\n" }, async (dir) => {
      const { diagnostics } = await loadPaths(['.'], dir);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ code: 'jsonnet_error', location: { file: 'sys.jsonnet', line: 2 } });
      expect(diagnostics[0]!.message).toMatch(/missing\.libsonnet/);
    }));

  it('accepts only strict JSON in .json files and locates the error', () =>
    withFiles({ 'a.json': '{\n  "a": 1, // comment\n}\n' }, async (dir) => {
      const { diagnostics } = await loadPaths(['a.json'], dir);
      expect(diagnostics[0]).toMatchObject({ code: 'json_syntax', location: { file: 'a.json', line: 2, column: 11 } });
    }));
});

describe('inputs that are not specs are refused with a clear error, never a crash', () => {
  const cases: [string, Record<string, string | Buffer>, string[], string][] = [
    ['binary file', { 'a.yaml': Buffer.from([0x61, 0x3a, 0x20, 0x00, 0xff, 0x10]) }, ['a.yaml'], 'not_text'],
    ['not UTF-8', { 'a.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28]) }, ['a.yaml'], 'not_text'],
    ['huge file', { 'a.yaml': `x: ${'a'.repeat(LOAD_LIMITS.maxFileBytes)}` }, ['a.yaml'], 'file_too_large'],
    ['deep flow nesting', { 'a.yaml': '['.repeat(50_000) }, ['a.yaml'], 'too_deep'],
    [
      'deep block nesting',
      { 'a.yaml': `a:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}b:`).join('\n')} 1\n` },
      ['a.yaml'],
      'too_deep',
    ],
    ['missing path', {}, ['nope.yaml'], 'not_found'],
    ['unsupported file', { 'a.txt': 'hello' }, ['a.txt'], 'unsupported_file'],
  ];
  for (const [name, files, paths, code] of cases) {
    it(name, () =>
      withFiles(files, async (dir) => {
        const run = await runCli(['validate', ...paths], { cwd: dir });
        // A path that is not there or not a spec is the invocation's fault (2); a broken file the input's (1).
        expect(run.code).toBe(code === 'not_found' || code === 'unsupported_file' ? 2 : 1);
        expect(run.stderr).toContain(`error[${code}]`);
        expect(run.stderr).toMatch(/hint: /);
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
      }),
    );
  }

  it('an empty directory is an input error', () =>
    withFiles({ 'README.md': '# nothing' }, async (dir) => {
      const run = await runCli(['validate', '.'], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('error[no_input]');
    }));
});
