// A Git-managed training run starts once per content hash: its first task, the run guard, records
// the run on the workspace volume (Argo Workflows' "work avoidance" with a marker file), and a
// run object that Argo CD recreates after a deletion ends at the guard instead of retraining.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSystem } from '../../compiler/render/system.js';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { GUARD_SCRIPT } from '../../compiler/render/training/scripts.js';
import { GUARD_SKIP_EXIT } from '../../compiler/render/training/contract.js';
import { example, exampleSystems } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';
import { python, withFiles } from './helpers/python.js';

const find = (set: ManifestSet, kind: string, name: string) =>
  set.objects.find((o) => o.kind === kind && o.metadata.name === name) as Json;

describe('run once per content hash', () => {
  it('the guard starts a run name once; a second start of the same name skips, another name runs', () => {
    withFiles({ 'guard.py': GUARD_SCRIPT }, (dir) => {
      const workspace = join(dir, 'workspace');
      mkdirSync(workspace);
      const guard = (run: string, skipExit?: number) =>
        python([join(dir, 'guard.py')], {
          env: {
            MLSPEC_RUN_ID: run,
            MLSPEC_WORKSPACE: workspace,
            ...(skipExit === undefined ? {} : { MLSPEC_GUARD_SKIP_EXIT: String(skipExit) }),
          },
        });
      const first = guard('card-fraud-train-3f0b3152');
      expect([first.status, first.stdout]).toEqual([0, 'run\n']);
      // Argo reads the result (`skip`) from a successful step; the Jobs driver, from the exit code.
      const again = guard('card-fraud-train-3f0b3152');
      expect([again.status, again.stdout]).toEqual([0, 'skip\n']);
      const jobs = guard('card-fraud-train-3f0b3152', GUARD_SKIP_EXIT);
      expect([jobs.status, jobs.stdout]).toEqual([GUARD_SKIP_EXIT, 'skip\n']);
      expect(guard('card-fraud-train-5b198bc0').stdout).toBe('run\n');
    });
  });

  it('Argo Workflows: the guard is the first task, on the workspace; the steps run only on `run`', async () => {
    const set = renderSystem(example(await exampleSystems(), 'card-fraud', 'prod'));
    const spec = find(set, 'WorkflowTemplate', 'card-fraud-train').spec;
    const tasks = (spec.templates as Json[]).find((t) => t.name === 'pipeline')!.dag.tasks as Json[];
    expect(tasks[0]).toEqual({ name: 'guard', template: 'guard' });
    expect(tasks[1]).toMatchObject({ depends: 'guard.Succeeded', when: '{{tasks.guard.outputs.result}} == run' });
    const guard = (spec.templates as Json[]).find((t) => t.name === 'guard')!;
    expect(guard.container.command).toEqual(['python', '/etc/mlspec/guard.py']);
    expect(guard.container.env).toContainEqual({ name: 'MLSPEC_RUN_ID', value: '{{workflow.name}}' });
    expect(guard.container.volumeMounts.map((m: Json) => m.mountPath)).toContain('/workspace');
    expect(find(set, 'ConfigMap', 'card-fraud-training-scripts').data['guard.py']).toBe(GUARD_SCRIPT);
  });

  it('Jobs: the guard Job fails by its pod failure policy on "already started", which ends the run', async () => {
    const set = renderSystem(example(await exampleSystems(), 'card-fraud', 'dev'));
    const job = find(set, 'CronJob', 'card-fraud-train-step-guard').spec.jobTemplate.spec;
    expect(job.podFailurePolicy).toEqual({
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'guard', operator: 'In', values: [GUARD_SKIP_EXIT] } },
      ],
    });
    const driver = (
      set.objects.find((o) => o.kind === 'Job' && /^card-fraud-train-[0-9a-f]{8}$/.test(o.metadata.name)) as Json
    ).spec.template.spec.containers[0];
    const pipeline = JSON.parse(driver.env.find((e: Json) => e.name === 'MLSPEC_PIPELINE').value);
    expect(pipeline.steps[0]).toEqual({
      name: 'guard',
      template: 'card-fraud-train-step-guard',
      endsRunOn: 'PodFailurePolicy',
    });
  });
});
