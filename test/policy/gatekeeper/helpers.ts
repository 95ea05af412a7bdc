// What the Gatekeeper tests of `check` share: the example repository with gatekeeper/ of this
// repository named in its platform config, and the findings of a `check --format json`.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { ROOT } from '../../render/helpers/examples.js';
import { exampleRepo, type Repo } from '../../review/fixtures.js';

const PLATFORM = '\npolicy:\n  gatekeeper: [../gatekeeper/templates, ../gatekeeper/constraints]\n';

export function withGatekeeper(): Repo {
  const repo = exampleRepo();
  cpSync(join(ROOT, 'gatekeeper/templates'), join(repo.dir, 'gatekeeper/templates'), { recursive: true });
  cpSync(join(ROOT, 'gatekeeper/constraints'), join(repo.dir, 'gatekeeper/constraints'), { recursive: true });
  repo.edit('specs/platform.yaml', (t) => t + PLATFORM);
  return repo;
}

export interface JsonFinding {
  policy: string;
  severity: string;
  message: string;
  system: string;
  environment: string;
  file?: string;
  line?: number;
  column?: number;
  object?: { kind: string; name: string; file: string };
}

export async function findings(dir: string, ...args: string[]): Promise<{ code: number; findings: JsonFinding[] }> {
  const run = await runCli(['check', '--format', 'json', ...args], { cwd: dir });
  expect(run.stderr).toBe('');
  return { code: run.code, findings: JSON.parse(run.stdout).findings };
}
