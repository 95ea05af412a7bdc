// Jsonnet imports from untrusted specs: confined to the folders given. Absolute paths, `..`
// escapes and symbolic links leading out are refused at the import expression, and no file
// outside the fixture repository is ever opened.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPaths } from '../../compiler/load/load.js';

/** A repository with a spec folder and, beside it, a secret that must never be read. */
function fixture(files: Record<string, string>) {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'mlspec-imports-')));
  const repo = join(base, 'repo');
  mkdirSync(join(repo, 'specs', 'lib'), { recursive: true });
  writeFileSync(join(base, 'secret.txt'), 'TOKEN=do-not-leak\n');
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'lib.libsonnet'), "{ token: importstr '../secret.txt' }\n");
  writeFileSync(join(repo, 'specs', 'lib', 'ok.libsonnet'), '{ ok: true }\n');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(repo, name, '..'), { recursive: true });
    writeFileSync(join(repo, name), text);
  }
  return { base, repo, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

async function load(repo: string, paths = ['specs']) {
  const opened: string[] = [];
  const result = await loadPaths(paths, repo, { onImport: (p) => opened.push(p) });
  return { ...result, opened };
}

const isInside = (path: string, dir: string) => !relative(dir, path).startsWith(`..${sep}`);

describe('Jsonnet imports', () => {
  it('reads imports inside the folders given, relative to the importing file', async () => {
    const { repo, cleanup } = fixture({
      'specs/team/sys.jsonnet':
        "local ok = import '../lib/ok.libsonnet';\n{ a: ok, s: importstr '../lib/ok.libsonnet' }\n",
    });
    try {
      const { documents, diagnostics, opened } = await load(repo);
      expect(diagnostics).toEqual([]);
      expect(documents[0]!.value).toEqual({ a: { ok: true }, s: '{ ok: true }\n' });
      expect(opened).toEqual([join(repo, 'specs/lib/ok.libsonnet'), join(repo, 'specs/lib/ok.libsonnet')]);
    } finally {
      cleanup();
    }
  });

  it.each([
    ['an absolute path', "importstr '/proc/self/environ'", 'absolute paths are not allowed'],
    ['an absolute path to a secret', 'importstr "SECRET"', 'absolute paths are not allowed'],
    ['a .. escape', "importstr '../../secret.txt'", 'it leads outside the allowed folders'],
    ['a deep .. escape', "import '../lib/../../../outside/lib.libsonnet'", 'it leads outside the allowed folders'],
    ['a file link out', "importstr 'lib/link.txt'", 'a symbolic link leads outside the allowed folders'],
    ['a folder link out', "import 'lib/out/lib.libsonnet'", 'a symbolic link leads outside the allowed folders'],
    ['a binary import of a link out', "importbin 'lib/link.txt'", 'a symbolic link leads outside the allowed folders'],
  ])('refuses %s, at the import, before opening anything', async (_name, expression, why) => {
    const { base, repo, cleanup } = fixture({});
    try {
      const text = `{\n  a: 1,\n  b: ${expression.replace('SECRET', join(base, 'secret.txt'))},\n}\n`;
      writeFileSync(join(repo, 'specs', 'sys.jsonnet'), text);
      symlinkSync(join(base, 'secret.txt'), join(repo, 'specs', 'lib', 'link.txt'));
      symlinkSync(join(base, 'outside'), join(repo, 'specs', 'lib', 'out'));
      const { documents, diagnostics, opened } = await load(repo);
      expect(documents).toEqual([]);
      expect(opened).toEqual([]);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({
        code: 'jsonnet_import_outside',
        location: { file: 'specs/sys.jsonnet', line: 3, column: 6 },
      });
      expect(diagnostics[0]!.message).toContain(why);
      expect(diagnostics[0]!.hint).toMatch(/Imports must stay inside the folders given to mlspec/);
      expect(JSON.stringify(diagnostics)).not.toContain('do-not-leak');
    } finally {
      cleanup();
    }
  });

  it('follows links that stay inside, and names an imported file relative to the spec', async () => {
    const { repo, cleanup } = fixture({
      'specs/sys.jsonnet': "import 'alias/ok.libsonnet'\n",
      'specs/bad.jsonnet': '',
    });
    try {
      symlinkSync(join(repo, 'specs', 'lib'), join(repo, 'specs', 'alias'));
      writeFileSync(join(repo, 'specs', 'bad.jsonnet'), "local l = import 'lib/broken.libsonnet'; l.x\n");
      writeFileSync(join(repo, 'specs', 'lib', 'broken.libsonnet'), '{\n  x: 1 + "a" + {} - 1,\n}\n');
      const { documents, diagnostics } = await load(repo);
      expect(documents.map((d) => d.value)).toEqual([{ ok: true }]);
      expect(diagnostics).toMatchObject([
        { code: 'jsonnet_error', location: { file: 'specs/lib/broken.libsonnet', line: 2, column: 6 } },
      ]);
      expect(diagnostics[0]!.hint).toContain('Reached from: specs/bad.jsonnet:1:');
    } finally {
      cleanup();
    }
  });

  it('refuses a FIFO instead of blocking on it', async () => {
    const { repo, cleanup } = fixture({ 'specs/sys.jsonnet': "importstr 'lib/pipe'\n" });
    try {
      const { execFileSync } = await import('node:child_process');
      execFileSync('mkfifo', [join(repo, 'specs', 'lib', 'pipe')]);
      const { diagnostics, opened } = await load(repo);
      expect(opened).toEqual([]);
      expect(diagnostics[0]).toMatchObject({ code: 'jsonnet_import_outside' });
      expect(diagnostics[0]!.message).toContain('not a regular file');
    } finally {
      cleanup();
    }
  });

  it('never opens a file outside the repository, whatever path or link a spec uses (generated)', async () => {
    const segment = fc.constantFrom('..', '.', 'lib', 'out', 'link.txt', 'ok.libsonnet', 'secret.txt', 'outside', '');
    const importPath = fc.oneof(
      fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => s.join('/')),
      fc.array(segment, { maxLength: 5 }).map((s) => `/${s.join('/')}`),
      fc.constantFrom('/proc/self/environ', '/etc/passwd', '~/.ssh/id_rsa', 'C:\\secret', 'lib/out/lib.libsonnet'),
    );
    const kind = fc.constantFrom('import', 'importstr', 'importbin');
    const { base, repo, cleanup } = fixture({});
    try {
      symlinkSync(join(base, 'secret.txt'), join(repo, 'specs', 'lib', 'link.txt'));
      symlinkSync(join(base, 'outside'), join(repo, 'specs', 'lib', 'out'));
      symlinkSync(base, join(repo, 'specs', 'up'));
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(kind, importPath), { minLength: 1, maxLength: 3 }), async (imports) => {
          const fields = imports.map(([k, p], i) => `  f${i}: ${k} ${JSON.stringify(p)},`);
          writeFileSync(join(repo, 'specs', 'sys.jsonnet'), `{\n${fields.join('\n')}\n}\n`);
          const { documents, diagnostics, opened } = await load(repo);
          for (const path of opened) expect(isInside(path, repo), path).toBe(true);
          expect(JSON.stringify({ documents, diagnostics })).not.toContain('do-not-leak');
          for (const d of diagnostics) {
            expect(['jsonnet_import_outside', 'jsonnet_error']).toContain(d.code);
            expect(d.location?.file).toMatch(/^specs\//);
          }
        }),
        { numRuns: 150 },
      );
    } finally {
      cleanup();
    }
  }, 120_000);
});
