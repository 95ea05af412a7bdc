// `check --base`: what the pull request does to the cluster, and the review comment built from
// it, compared with a snapshot that is reviewed like code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { exampleRepo, moveChurnProdToEu, type Repo } from './fixtures.js';

let repo: Repo | undefined;
afterEach(() => repo?.cleanup());

/** A pull request on top of `main`: a tier scaled up, a GPU count raised, churn-small moved to the EU. */
function pullRequest(): Repo {
  repo = exampleRepo({ git: true });
  repo.edit('specs/card-fraud.yaml', (t) =>
    t.replace('replicas: { min: 3, max: 12 }', 'replicas: { min: 4, max: 12 }'),
  );
  repo.edit('specs/churn-small.yaml', moveChurnProdToEu);
  return repo;
}

describe('check --base', () => {
  it('says which objects each environment gains, changes and loses, and the change in requests', async () => {
    const { dir } = pullRequest();
    const run = await runCli(['check', '--base', 'main', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const changes = JSON.parse(run.stdout).changes;
    expect(changes.base).toBe('main');
    const prod = changes.environments.find((e: { environment: string }) => e.environment === 'prod');
    // 4 instead of 3 standard pods at rest (the autoscaler's minimum), 1 CPU and 2 GiB each.
    expect(prod.after.requests.cpu - prod.before.requests.cpu).toBeCloseTo(1, 6);
    expect(prod.after.requests.memory - prod.before.requests.memory).toBe(2 * 2 ** 30);
    expect(prod.after.requests.gpu).toBe(prod.before.requests.gpu);
    expect(changes.systems).toEqual(['prod/card-fraud', 'prod/churn-small']);
    const cardFiles = changes.files.filter((f: { system?: string }) => f.system === 'card-fraud');
    expect(cardFiles.map((f: { path: string; change: string }) => [f.change, f.path])).toEqual([
      ['changed', 'prod/card-fraud/horizontalpodautoscaler-card-fraud-standard.yaml'],
      ['changed', 'prod/card-fraud/kustomization.yaml'],
    ]);
  });

  it('compares with a folder as well as a git revision, and a clean tree has no changes', async () => {
    repo = exampleRepo({ git: true });
    const git = await runCli(['check', '--base', 'HEAD', '--format', 'json'], { cwd: repo.dir });
    expect(git.code).toBe(0);
    expect(JSON.parse(git.stdout).changes.files).toEqual([]);
    const folder = await runCli(['check', '--base', '.', '--format', 'json'], { cwd: repo.dir });
    expect(JSON.parse(folder.stdout).changes.files).toEqual([]);
  });

  it('writes the pull-request comment (reviewed snapshot)', async () => {
    const { dir } = pullRequest();
    const run = await runCli(['check', '--base', 'main', '--format', 'markdown', '--output', 'review.md'], {
      cwd: dir,
    });
    expect(run.code).toBe(1);
    const markdown = readFileSync(join(dir, 'review.md'), 'utf8');
    await expect(markdown).toMatchFileSnapshot('__snapshots__/pull-request-review.md');
  });
});
