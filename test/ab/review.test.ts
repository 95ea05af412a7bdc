// The pull-request review shows a running A/B test's report when the change moves its weights.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { exampleRepo, type Repo } from '../review/fixtures.js';
import { eventLines, outcomeLines, PRODUCT_RANKER_SOURCE, PRODUCT_RANKER_USERS } from './generate.js';

let repo: Repo | undefined;
afterEach(() => repo?.cleanup());

function reweighted(): Repo {
  repo = exampleRepo({ git: true });
  repo.edit('specs/product-ranker.jsonnet', (t) =>
    t
      .replace("'ranker-a': { weight: 50", "'ranker-a': { weight: 70")
      .replace("'ranker-b': { weight: 50", "'ranker-b': { weight: 30"),
  );
  const users = PRODUCT_RANKER_USERS;
  writeFileSync(join(repo.dir, 'events.jsonl'), eventLines(users, PRODUCT_RANKER_SOURCE));
  writeFileSync(join(repo.dir, 'outcomes.jsonl'), outcomeLines(users, 'click_through', 'rate'));
  return repo;
}

const CHECK = ['check', '--base', 'main', '--no-policies', '--env', 'prod', '--format', 'markdown'];

describe('check --base with A/B data', () => {
  it('shows the running test report, as the base defines it, when the weights change', async () => {
    const { dir } = reweighted();
    const run = await runCli([...CHECK, '--ab-events', 'events.jsonl', '--ab-outcomes', 'outcomes.jsonl'], {
      cwd: dir,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('### A/B tests whose weights change');
    expect(run.stdout).toContain(
      '- A/B test product-ranker/prod: weights ranker-a 50 %, ranker-b 50 % → ranker-a 70 %, ranker-b 30 %; ' +
        'running test: keep-running',
    );
    expect(run.stdout).toContain('### A/B test `product-ranker` (prod): **KEEP-RUNNING**');
    expect(run.stdout).toMatch(/\| ranker-a \| 50 % \| \d+ \|/);
  });

  it('says that data is missing without --ab-events, and shows nothing when weights stay', async () => {
    const { dir } = reweighted();
    const bare = await runCli(CHECK, { cwd: dir });
    expect(bare.stdout).toContain('no A/B data given (--ab-events or --ab-counters)');
    expect(bare.stdout).not.toContain('KEEP-RUNNING');
    const same = await runCli([...CHECK.slice(0, 2), 'HEAD', ...CHECK.slice(3)], { cwd: dir });
    expect(same.stdout).toContain('### A/B tests whose weights change');
    repo!.commit('reweight');
    const after = await runCli([...CHECK.slice(0, 2), 'HEAD', ...CHECK.slice(3), '--ab-events', 'events.jsonl'], {
      cwd: dir,
    });
    expect(after.stdout).not.toContain('A/B test');
  });

  it('--ab-events without --base is a usage error', async () => {
    const { dir } = reweighted();
    const run = await runCli(['check', '--no-policies', '--ab-events', 'events.jsonl'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--ab-events and --ab-counters need --base');
  });
});
