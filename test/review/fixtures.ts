// A repository like a team's: the example specs, the policy pack and a platform config, in a
// temporary folder the test may change, optionally under git (for `check --base`).
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { ROOT } from '../render/helpers/examples.js';

export interface Repo {
  readonly dir: string;
  readonly cleanup: () => void;
  edit(file: string, change: (text: string) => string): void;
  commit(message: string): void;
}

export function exampleRepo(options: { git?: boolean } = {}): Repo {
  const t = tempDir('mlspec-review-');
  cpSync(join(ROOT, 'specs'), join(t.dir, 'specs'), { recursive: true });
  cpSync(join(ROOT, 'policies'), join(t.dir, 'policies'), { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: t.dir,
      stdio: 'pipe',
      env: {
        PATH: process.env.PATH,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: t.dir,
      },
    });
  const repo: Repo = {
    dir: t.dir,
    cleanup: t.cleanup,
    edit(file, change) {
      const path = join(t.dir, file);
      const before = readFileSync(path, 'utf8');
      const after = change(before);
      if (after === before) throw new Error(`the edit of ${file} changed nothing`);
      writeFileSync(path, after);
    },
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '-m', message);
    },
  };
  if (options.git) {
    git('init', '-q', '-b', 'main');
    repo.commit('base');
  }
  return repo;
}

/** churn-small's prod (UAE personal data) moved onto the EU cluster: outside its data residency. */
export const moveChurnProdToEu = (text: string) =>
  text.replace('  prod:\n    cluster: prod-me', '  prod:\n    cluster: prod-eu');
