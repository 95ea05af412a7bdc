// Argo Workflows replaces `{{...}}` in WorkflowTemplates and has no escape for it, so a training
// value holding `{{` (an argument, an env value or key, a dataset URI) is refused at the spec on
// clusters that run Argo Workflows; on others it reaches the Job as written.
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { positionOf, runCli, tempDir } from '../helpers/cli.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/minimal');

function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture edit target not found: ${from}`);
  return text.replace(from, to);
}

/** The fixture with user values that Argo would evaluate. */
function hostile(dir: string): string {
  cpSync(FIXTURE, dir, { recursive: true });
  let system = readFileSync(join(dir, 'system.yaml'), 'utf8');
  system = edit(
    system,
    '      resources: { cpu: 1, memory: 1Gi }\n    train:',
    '      args: ["--sa={{workflow.serviceAccountName}}", "{{=sprig.env(\'HOME\')}}"]\n' +
      '      env: { TOKEN: "{{workflow.parameters.token}}" }\n' +
      '      resources: { cpu: 1, memory: 1Gi }\n    train:',
  );
  system = edit(system, 'uri: s3://test/events/', 'uri: "s3://test/{{workflow.name}}/"');
  writeFileSync(join(dir, 'system.yaml'), system);
  return system;
}

describe('Argo Workflows expressions in training values', () => {
  it('are refused at each value on a cluster with Argo Workflows, and nothing is written', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const system = hostile(dir);
      const run = await runCli(['compile', '.', '--format', 'json'], { cwd: dir });
      expect(run.code).toBe(1);
      const found = (JSON.parse(run.stdout).diagnostics as { code: string; line: number; column: number }[])
        .filter((d) => d.code === 'argo_expression')
        .map((d) => [d.line, d.column]);
      const at = (needle: string) => Object.values(positionOf(system, needle));
      expect(found).toEqual([
        at('"s3://test/{{workflow.name}}/"'),
        at('"--sa={{workflow.serviceAccountName}}"'),
        at('"{{=sprig.env'),
        at('"{{workflow.parameters.token}}"'),
      ]);
      const text = await runCli(['compile', '.'], { cwd: dir });
      expect(text.stderr).toContain(
        "error[argo_expression]: `{{=sprig.env('HOME')}}` holds `{{`, which Argo Workflows on cluster `gpu` " +
          'would replace or evaluate (at /training/pipeline/preprocess/args/1)',
      );
      expect(text.stderr).toContain('hint: Argo has no escape for `{{`');
    } finally {
      cleanup();
    }
  });

  it('reach a plain Job as written where the cluster has no Argo Workflows', async () => {
    const { dir, cleanup } = tempDir();
    try {
      hostile(dir);
      const platform = join(dir, 'platform.yaml');
      writeFileSync(
        platform,
        readFileSync(platform, 'utf8').replace(
          /( {2}gpu:\n.*\n {4}components: \{ )argoWorkflows: true/,
          '$1argoWorkflows: false',
        ),
      );
      const run = await runCli(['compile', '.'], { cwd: dir });
      expect(run.stderr).not.toContain('argo_expression');
      expect(run.code).toBe(0);
      const job = readFileSync(join(dir, 'out/prod/scorer/cronjob-scorer-train-step-preprocess.yaml'), 'utf8');
      expect(job).toContain('--sa={{workflow.serviceAccountName}}');
    } finally {
      cleanup();
    }
  });
});
