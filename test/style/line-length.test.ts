// No source line over 120 characters: the repository's hand-written code, policies, Python
// programs, CI workflows and scripts. Generated data (rendered manifests, JSON Schemas, build
// output) is exempt: nobody edits it by hand.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_HEADER } from '../../core/generated-files.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MAX = 120;

const SOURCE = /\.(ts|cjs|mjs|js|py|rego)$/;
const GENERATED = ['out/', 'specs/schema/', 'dist/', 'node_modules/', 'coverage/'];

/** Files under the style rule: sources anywhere, YAML workflows in .github, scripts in .ci. */
function isChecked(file: string): boolean {
  if (GENERATED.some((prefix) => file.startsWith(prefix))) return false;
  if (file.startsWith('.github/')) return /\.ya?ml$/.test(file);
  if (file.startsWith('.ci/')) return true;
  return SOURCE.test(file);
}

/** Lines longer than MAX, as `file:line (length)`; `text` is the file's content. */
function longLines(file: string, text: string): string[] {
  if (text.startsWith(GENERATED_HEADER)) return [];
  return text.split('\n').flatMap((line, i) => (line.length > MAX ? [`${file}:${i + 1} (${line.length})`] : []));
}

/** The repository's files, relative and with '/' separators: git's list, or a walk without git. */
function repositoryFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)));
  } catch {
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        const rel = relative(ROOT, path).split(sep).join('/');
        if (name === '.git' || GENERATED.some((prefix) => `${rel}/`.startsWith(prefix))) return [];
        return statSync(path).isDirectory() ? walk(path) : [rel];
      });
    return walk(ROOT);
  }
}

describe('line length', () => {
  it(`no hand-written source line is longer than ${MAX} characters`, () => {
    const files = repositoryFiles().filter(isChecked);
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((file) => longLines(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(offenders, `lines over ${MAX} characters (split them):\n${offenders.join('\n')}`).toEqual([]);
  });

  it('checks sources, workflows and CI scripts, and skips generated data', () => {
    const checked = [
      'compiler/cli/policy.ts',
      '.dependency-cruiser.cjs',
      'compiler/render/training/python/submit.py',
      'policies/mlspec/personal_data.rego',
      '.github/workflows/mlspec-review.yml',
      '.ci/run',
    ];
    const skipped = [
      'out/dev/card-fraud/configmap-card-fraud-feature-repo.yaml',
      'specs/schema/system.schema.json',
      'specs/card-fraud.yaml',
      'dist/compiler/cli/main.js',
      'README.md',
    ];
    expect([...skipped, ...checked].filter(isChecked)).toEqual(checked);
    const long = 'x'.repeat(MAX + 1);
    expect(longLines('a.ts', `ok\n${'y'.repeat(MAX)}\n${long}\n`)).toEqual(['a.ts:3 (121)']);
    expect(longLines('b.ts', `${GENERATED_HEADER}specs/b.yaml\n${long}\n`)).toEqual([]);
  });
});
