// `mlspec init` on a terminal asks for what its options leave out (cloud, team, starter
// system), with defaults; off a terminal (CI) it never waits for input.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function folder(): string {
  const t = tempDir('mlspec-init-prompts-');
  cleanup = t.cleanup;
  return t.dir;
}

/** A terminal that answers the questions in turn, and records them. */
function terminal(answers: (string | undefined)[]) {
  const questions: string[] = [];
  return {
    questions,
    ask: async (q: string) => {
      questions.push(q);
      return answers.shift();
    },
  };
}

describe('mlspec init on a terminal', () => {
  it('asks for cloud, team and system with defaults, and asks again after an invalid answer', async () => {
    const dir = folder();
    const tty = terminal(['gke', '', 'Fraud_Scorer', 'fraud-scorer']);
    const run = await runCli(['init'], { cwd: dir, ask: tty.ask });
    expect(run.code).toBe(0);
    expect(tty.questions).toEqual([
      'Cloud (gke, eks, aks, generic) [generic]: ',
      'Owning team [my-team]: ',
      'Starter system [demo-classifier]: ',
      'Starter system [demo-classifier]: ',
    ]);
    expect(run.stderr).toContain('the system "Fraud_Scorer" must be lowercase letters');
    expect(run.stdout).toMatch(/^wrote \d+ files for gke: specs\/platform.yaml, specs\/fraud-scorer.yaml/);
    expect(readFileSync(join(dir, 'specs/platform.yaml'), 'utf8')).toContain('cloud.google.com/gke-accelerator');
    expect(readFileSync(join(dir, 'specs/fraud-scorer.yaml'), 'utf8')).toMatch(/team: my-team/);
  });

  it('asks only for what the options leave out', async () => {
    const dir = folder();
    const tty = terminal(['search-ml']);
    const run = await runCli(['init', '--cloud', 'eks', '--name', 'ranker'], { cwd: dir, ask: tty.ask });
    expect(run.code).toBe(0);
    expect(tty.questions).toEqual(['Owning team [my-team]: ']);
    expect(readFileSync(join(dir, 'specs/ranker.yaml'), 'utf8')).toMatch(/team: search-ml/);
  });

  it('the end of input or three invalid answers stop it with nothing written', async () => {
    for (const answers of [[undefined], ['azure', 'gcp', 'aws']]) {
      const dir = folder();
      const run = await runCli(['init'], { cwd: dir, ask: terminal(answers).ask });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/no (valid )?(answer for )?cloud/);
      expect(existsSync(join(dir, 'specs'))).toBe(false);
      cleanup?.();
      cleanup = undefined;
    }
  });

  it('off a terminal nothing is asked: the defaults are used', async () => {
    const dir = folder();
    const run = await runCli(['init'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote \d+ files for generic: specs\/platform.yaml, specs\/demo-classifier.yaml/);
  });
});
