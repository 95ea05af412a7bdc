// The training concept: Argo Workflows or Jobs by cluster profile, the pipeline order and its
// gate, GPU placement per step, content-hashed run names, the workspace volume, schedules,
// drift retraining with KEDA, RBAC and the generated scripts. The global tests (upstream
// schemas, pod security, GPU placement of every example) are in the files next to this one;
// the variants only this concept has (distributed training and KEDA without Argo) are
// validated against the upstream schemas here.
import { describe, expect, it } from 'vitest';
import type { ResolvedSystem } from '../../compiler/resolve/resolved.js';
import { renderSystem } from '../../compiler/render/system.js';
import type { K8sObject, ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { METRICS } from '../../runtime/contract/metric-names.js';
import { GATE_SCRIPT, PIPELINE_SCRIPT, SUBMIT_SCRIPT } from '../../compiler/render/training/scripts.js';
import { pollingIntervalSeconds } from '../../compiler/render/training/retraining.js';
import { example, exampleSystems } from './helpers/examples.js';
import { upstreamProblems } from './helpers/upstream.js';
import { extendedResources, podTemplates, type Json } from './helpers/pods.js';
import { python, pythonSyntaxErrors, withFiles } from './helpers/python.js';

const find = (set: ManifestSet, kind: string, name: string) =>
  set.objects.find((o) => o.kind === kind && o.metadata.name === name) as Json | undefined;
const ofKind = (set: ManifestSet, kind: string) => set.objects.filter((o) => o.kind === kind) as Json[];
const ARGO_KINDS = ['WorkflowTemplate', 'Workflow', 'CronWorkflow'];

async function system(name: string, env: string): Promise<ResolvedSystem> {
  return example(await exampleSystems(), name, env);
}

const template = (set: ManifestSet, name: string) =>
  (find(set, 'WorkflowTemplate', `${set.system}-train`)!.spec.templates as Json[]).find((t) => t.name === name)!;
const envOf = (container: Json) =>
  Object.fromEntries((container.env as Json[]).map((e) => [e.name, e.value ?? e.valueFrom]));
/** The step template CronJob (Jobs mode) of a step: its pod spec. */
const stepPod = (set: ManifestSet, step: string) =>
  find(set, 'CronJob', `${set.system}-train-step-${step}`)!.spec.jobTemplate.spec.template.spec as Json;

/** The run object's name: the Workflow (Argo) or the driver Job (Jobs). */
function runName(s: ResolvedSystem): string {
  const set = renderSystem(s);
  const runs = [
    ...ofKind(set, 'Workflow'),
    ...ofKind(set, 'Job').filter((j) => j.metadata.name.startsWith(`${s.name}-train-`)),
  ];
  expect(runs).toHaveLength(1);
  return runs[0]!.metadata.name;
}

describe('Argo Workflows or Jobs, by cluster profile', () => {
  it('renders a WorkflowTemplate, a run Workflow, a CronWorkflow with Argo Workflows; no training Jobs', async () => {
    const set = renderSystem(await system('card-fraud', 'prod'));
    expect(find(set, 'WorkflowTemplate', 'card-fraud-train')).toBeDefined();
    expect(find(set, 'CronWorkflow', 'card-fraud-train')!.spec.schedules).toEqual(['0 3 * * 1']);
    expect(find(set, 'CronWorkflow', 'card-fraud-train')!.spec.workflowSpec.workflowTemplateRef).toEqual({
      name: 'card-fraud-train',
    });
    const run = ofKind(set, 'Workflow');
    expect(run.map((w) => w.metadata.name)).toEqual([expect.stringMatching(/^card-fraud-train-[0-9a-f]{8}$/)]);
    expect(run[0]!.spec.workflowTemplateRef).toEqual({ name: 'card-fraud-train' });
    expect(run[0]!.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
    expect(
      set.objects.filter(
        (o) => (o.kind === 'Job' || o.kind === 'CronJob') && o.metadata.name.startsWith('card-fraud-train'),
      ),
    ).toEqual([]);
  });

  it('renders step templates, a driver Job and a CronJob without Argo Workflows, and no Argo objects', async () => {
    const set = renderSystem(await system('product-ranker', 'dev'));
    expect(set.objects.filter((o) => ARGO_KINDS.includes(o.kind))).toEqual([]);
    const steps = ofKind(set, 'CronJob').filter((c) => c.metadata.name.startsWith('product-ranker-train-step-'));
    expect(steps.map((c) => [c.metadata.name, c.spec.suspend])).toEqual([
      ['product-ranker-train-step-gate', true],
      ['product-ranker-train-step-guard', true],
      ['product-ranker-train-step-preprocess', true],
      ['product-ranker-train-step-register', true],
      ['product-ranker-train-step-train', true],
      ['product-ranker-train-step-validate', true],
    ]);
    const cron = find(set, 'CronJob', 'product-ranker-train')!;
    expect([cron.spec.schedule, cron.spec.suspend, cron.spec.concurrencyPolicy]).toEqual([
      '0 2 * * *',
      false,
      'Forbid',
    ]);
    const driver = cron.spec.jobTemplate.spec.template.spec.containers[0];
    expect(JSON.parse(envOf(driver).MLSPEC_PIPELINE).steps.map((s: Json) => s.name)).toEqual([
      'guard',
      'preprocess',
      'train',
      'validate',
      'gate',
      'register',
    ]);
  });

  it('has no schedule object when the environment sets no triggers', async () => {
    const set = renderSystem(await system('card-fraud', 'dev'));
    expect(find(set, 'CronJob', 'card-fraud-train')).toBeUndefined();
    expect(runName(await system('card-fraud', 'dev'))).toMatch(/^card-fraud-train-[0-9a-f]{8}$/);
  });
});

describe('pipeline', () => {
  it('runs guard → preprocess → train → validate → gate → register, each after the one before', async () => {
    const set = renderSystem(await system('churn-small', 'prod'));
    expect(template(set, 'pipeline').dag.tasks).toEqual([
      { name: 'guard', template: 'guard' },
      {
        name: 'preprocess',
        template: 'preprocess',
        depends: 'guard.Succeeded',
        when: '{{tasks.guard.outputs.result}} == run',
      },
      // `.Succeeded`: a skipped preprocess (a run that already started) skips the rest.
      { name: 'train', template: 'train', depends: 'preprocess.Succeeded' },
      { name: 'validate', template: 'validate', depends: 'train.Succeeded' },
      { name: 'gate', template: 'gate', depends: 'validate.Succeeded' },
      { name: 'register', template: 'register', depends: 'gate.Succeeded' },
    ]);
  });

  it('passes the gates to validate and gate, and the datasets with versions and digests to every step', async () => {
    const s = await system('card-fraud', 'prod');
    const set = renderSystem(s);
    const gates = { auc: { min: 0.92 }, calibration_error: { max: 0.03 }, recall_at_1pct_fpr: { min: 0.55 } };
    expect(JSON.parse(envOf(template(set, 'validate').container).MLSPEC_VALIDATION_GATES)).toEqual(gates);
    expect(JSON.parse(envOf(template(set, 'gate').container).MLSPEC_VALIDATION_GATES)).toEqual(gates);
    expect(envOf(template(set, 'train').container).MLSPEC_VALIDATION_GATES).toBeUndefined();
    for (const step of ['preprocess', 'train', 'validate', 'register']) {
      const datasets = JSON.parse(envOf(template(set, step).container).MLSPEC_DATASETS);
      expect(datasets.transactions).toEqual({
        uri: 's3://acme-lake-eu/fraud/snapshots/transactions/2026-11-01/',
        version: '2026-11-01',
        digest: 'sha256:3f0b315270e2f606712c89b739c8c4f0671d3e3a25b4fbaaa575e9522e4c8c26',
        format: 'parquet',
      });
    }
    expect(template(set, 'train').container.args).toEqual([
      '--objective',
      'binary:logistic',
      '--tree-method',
      'gpu_hist',
    ]);
    expect(template(set, 'train').activeDeadlineSeconds).toBe(4 * 3600);
  });

  it('keeps checkpoints and the run hand-over on a volume with the encrypted storage class', async () => {
    const pvc = (set: ManifestSet) => find(set, 'PersistentVolumeClaim', `${set.system}-training-workspace`)!.spec;
    expect(pvc(renderSystem(await system('card-fraud', 'prod')))).toMatchObject({
      storageClassName: 'premium-rwo-cmek',
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '50Gi' } },
    });
    expect(pvc(renderSystem(await system('churn-small', 'dev')))).toMatchObject({
      storageClassName: 'ceph-rbd-encrypted',
      resources: { requests: { storage: '20Gi' } },
    });
    const set = renderSystem(await system('card-fraud', 'prod'));
    expect(find(set, 'WorkflowTemplate', 'card-fraud-train')!.spec.volumes).toContainEqual({
      name: 'workspace',
      persistentVolumeClaim: { claimName: 'card-fraud-training-workspace' },
    });
    expect(envOf(template(set, 'train').container).MLSPEC_CHECKPOINT_DIR).toBe('/workspace/checkpoints');
  });
});

describe('gate.py', () => {
  const run = (metrics: string | undefined, env: Record<string, string> = {}) =>
    withFiles({ 'gate.py': GATE_SCRIPT, ...(metrics === undefined ? {} : { 'metrics.json': metrics }) }, (dir) =>
      python([`${dir}/gate.py`], {
        env: {
          MLSPEC_VALIDATION_GATES: JSON.stringify({ auc: { min: 0.9 }, error: { max: 0.1 } }),
          MLSPEC_METRICS_FILE: `${dir}/metrics.json`,
          ...env,
        },
      }),
    );

  it('passes when every gated metric is within bounds', () => {
    const r = run('{"auc": 0.93, "error": 0.05, "other": 1}');
    expect([r.status, r.stdout.trim()]).toEqual([0, 'gate: passed (auc = 0.93, error = 0.05)']);
  });

  it('fails on a metric out of bounds, missing, or not a number, and without metrics', () => {
    expect(run('{"auc": 0.85, "error": 0.05}').stdout).toContain('auc = 0.85 is below the minimum 0.9');
    expect(run('{"auc": 0.95, "error": 0.2}').stdout).toContain('error = 0.2 is above the maximum 0.1');
    expect(run('{"auc": 0.95}').stdout).toContain('error: missing or not a number (None)');
    expect(run('{"auc": true, "error": 0.01}').stdout).toContain('auc: missing or not a number (True)');
    for (const r of [run('{"auc": 0.85, "error": 0.05}'), run('{"auc": 0.95}'), run(undefined), run('[1]')])
      expect(r.status).toBe(1);
  });

  it('leaves the check to worker 0', () => {
    expect(run(undefined, { MLSPEC_WORKER_INDEX: '2' }).status).toBe(0);
  });

  it('the other scripts are valid Python', () => {
    expect(
      pythonSyntaxErrors({ 'gate.py': GATE_SCRIPT, 'submit.py': SUBMIT_SCRIPT, 'pipeline.py': PIPELINE_SCRIPT }),
    ).toBe('');
  });
});

describe('GPU placement per step', () => {
  it('card-fraud: the train step on an L4, nothing else', async () => {
    const set = renderSystem(await system('card-fraud', 'prod'));
    const templates = find(set, 'WorkflowTemplate', 'card-fraud-train')!.spec.templates as Json[];
    const placed = templates.filter((t) => t.nodeSelector).map((t) => t.name);
    expect(placed).toEqual(['train']);
    const train = template(set, 'train');
    expect(train.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-l4' });
    expect(train.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' },
      // prod-eu's training node pool (scheduling.tolerations.training).
      { key: 'acme.io/pool', operator: 'Equal', value: 'ml-training', effect: 'NoSchedule' },
    ]);
    expect(extendedResources(train.container)).toEqual({ 'nvidia.com/gpu': { request: '1', limit: '1' } });
    for (const t of templates.filter((x) => x.container && x.name !== 'train'))
      expect(extendedResources(t.container), t.name).toEqual({});
  });

  it('product-ranker prod: 4 workers with 4 A100s each, validate on one A100', async () => {
    const set = renderSystem(await system('product-ranker', 'prod'));
    const group = template(set, 'train');
    expect(group.dag.tasks).toEqual([
      { name: 'leader', template: 'train-leader' },
      {
        name: 'worker',
        template: 'train-worker',
        arguments: { parameters: [{ name: 'index', value: '{{item}}' }] },
        withSequence: { start: '1', end: '3' },
      },
    ]);
    for (const name of ['train-leader', 'train-worker']) {
      const t = template(set, name);
      expect(t.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-a100-80gb' });
      expect(extendedResources(t.container)).toEqual({ 'nvidia.com/gpu': { request: '4', limit: '4' } });
      const env = envOf(t.container);
      expect([env.PET_NNODES, env.PET_NPROC_PER_NODE, env.MLSPEC_WORKERS]).toEqual(['4', '4', '4']);
      expect(env.PET_MASTER_ADDR).toBe('leader-{{workflow.uid}}.product-ranker-train-workers');
    }
    expect(envOf(template(set, 'train-leader').container).MLSPEC_WORKER_INDEX).toBe('0');
    expect(envOf(template(set, 'train-worker').container).MLSPEC_WORKER_INDEX).toBe('{{inputs.parameters.index}}');
    expect(JSON.parse(template(set, 'train-leader').podSpecPatch)).toEqual({
      hostname: 'leader-{{workflow.uid}}',
      subdomain: 'product-ranker-train-workers',
    });
    // Only worker 0 mounts the ReadWriteOnce workspace.
    expect(template(set, 'train-leader').container.volumeMounts.map((m: Json) => m.name)).toContain('workspace');
    expect(template(set, 'train-worker').container.volumeMounts.map((m: Json) => m.name)).not.toContain('workspace');
    expect(extendedResources(template(set, 'validate').container)).toEqual({
      'nvidia.com/gpu': { request: '1', limit: '1' },
    });
    expect(template(set, 'preprocess').nodeSelector).toBeUndefined();
    const service = find(set, 'Service', 'product-ranker-train-workers')!;
    expect([service.spec.clusterIP, service.spec.publishNotReadyAddresses]).toEqual(['None', true]);
  });

  it('product-ranker dev: one L4 on the train step, not distributed', async () => {
    const set = renderSystem(await system('product-ranker', 'dev'));
    const train = stepPod(set, 'train');
    expect(train.nodeSelector).toEqual({ 'karpenter.k8s.aws/instance-gpu-name': 'l4' });
    expect(extendedResources(train.containers[0])).toEqual({ 'nvidia.com/gpu': { request: '1', limit: '1' } });
    for (const step of ['preprocess', 'validate', 'gate', 'register'])
      expect(stepPod(set, step).nodeSelector, step).toBeUndefined();
    expect(find(set, 'Service', 'product-ranker-train-workers')).toBeUndefined();
  });

  it('churn-small: no accelerator anywhere in training', async () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const set = renderSystem(await system('churn-small', env));
      const training = set.objects
        .filter((o) => o.metadata.labels?.['mlspec.io/component'] === 'training')
        .flatMap(podTemplates);
      expect(training.length, env).toBeGreaterThan(0);
      for (const t of training) {
        expect(t.pod.nodeSelector, t.where).toBeUndefined();
        for (const c of t.containers) expect(extendedResources(c), t.where).toEqual({});
      }
    }
  });
});

describe('content-hashed runs', () => {
  it('a new dataset version or image makes a new run; nothing else does', async () => {
    for (const [name, env] of [
      ['card-fraud', 'prod'],
      ['card-fraud', 'dev'],
    ] as const) {
      const base = await system(name, env);
      const original = runName(base);
      const change = (edit: (s: any) => void) => {
        const s = structuredClone(base) as any;
        edit(s);
        return runName(s);
      };
      expect(change((s) => (s.spec.training.datasets.transactions.version = '2026-12-01'))).not.toBe(original);
      expect(
        change(
          (s) =>
            (s.spec.training.pipeline.train.image = s.spec.training.pipeline.train.image.replace('2.4.1', '2.4.2')),
        ),
      ).not.toBe(original);
      expect(change((s) => (s.spec.training.pipeline.train.args = ['--objective', 'binary:hinge']))).not.toBe(original);
      expect(change((s) => (s.spec.serving.tiers.standard.replicas.max = 40))).toBe(original);
      expect(change((s) => (s.spec.training.validationGates.auc.min = 0.95))).toBe(original);
      expect(change((s) => (s.spec.training.pipeline.train.resources.memory = '64Gi'))).toBe(original);
      expect(change((s) => (s.spec.monitoring.drift.threshold = 0.3))).toBe(original);
    }
  });

  it('keeps the template and schedule names stable', async () => {
    const base = await system('card-fraud', 'prod');
    const changed = structuredClone(base) as any;
    changed.spec.training.datasets.transactions.version = '2026-12-01';
    const names = (s: ResolvedSystem) =>
      renderSystem(s)
        .objects.filter((o) => o.kind === 'WorkflowTemplate' || o.kind === 'CronWorkflow')
        .map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names(changed)).toEqual(names(base));
    expect(names(base)).toEqual(['WorkflowTemplate/card-fraud-train', 'CronWorkflow/card-fraud-train']);
  });
});

describe('retraining on drift', () => {
  it('renders a KEDA ScaledJob only where the cluster has KEDA and drift retraining is on', async () => {
    const all = await exampleSystems();
    const withScaledJob = all
      .filter((s) => ofKind(renderSystem(s), 'ScaledJob').length > 0)
      .map((s) => `${s.environment}/${s.name}`);
    expect(withScaledJob.sort()).toEqual([
      'prod/card-fraud',
      'prod/product-ranker',
      'staging/card-fraud',
      'staging/product-ranker',
    ]);
    for (const s of all) {
      const expected = s.cluster.components.keda && s.spec.training.triggers?.drift?.enabled === true;
      expect(ofKind(renderSystem(s), 'ScaledJob').length > 0, `${s.environment}/${s.name}`).toBe(expected);
    }
  });

  it('polls Prometheus for the runtime drift metric and submits with the cooldown as a lock', async () => {
    const set = renderSystem(await system('card-fraud', 'prod'));
    const job = find(set, 'ScaledJob', 'card-fraud-retrain')!;
    expect(job.spec.pollingInterval).toBe(3600);
    expect(job.spec.maxReplicaCount).toBe(1);
    expect(job.spec.triggers).toEqual([
      {
        type: 'prometheus',
        name: 'dataset-drift',
        metadata: {
          serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
          query:
            `max(max_over_time(${METRICS.datasetDrift}{namespace="fraud-prod", ` +
            `service=~"card-fraud-enterprise|card-fraud-standard"}[1h]))`,
          threshold: '1',
          activationThreshold: '0.5',
        },
      },
    ]);
    const container = job.spec.jobTargetRef.template.spec.containers[0];
    const submit = JSON.parse(envOf(container).MLSPEC_SUBMIT);
    expect(submit).toMatchObject({
      kind: 'workflow',
      template: 'card-fraud-train',
      cooldownSeconds: 86400,
      selector: 'mlspec.io/system=card-fraud,mlspec.io/trigger=drift',
      generateName: 'card-fraud-train-drift-',
    });
    expect(submit.ttlSeconds).toBeGreaterThanOrEqual(submit.cooldownSeconds);
    expect(pollingIntervalSeconds(12 * 3600)).toBe(1800);
    expect(pollingIntervalSeconds(600)).toBe(60);
  });

  it('without KEDA, says on the training objects how to retrain', async () => {
    const set = renderSystem(await system('product-ranker', 'dev'));
    expect(find(set, 'CronJob', 'product-ranker-train')!.metadata.annotations['mlspec.io/drift-retraining']).toMatch(
      /^not automated: the cluster has no KEDA/,
    );
    expect(find(set, 'ConfigMap', 'product-ranker-training-scripts')!.data['submit.py']).toBeUndefined();
  });
});

describe('identity and network', () => {
  it('lets the Argo executor create and patch workflowtaskresults, and nothing else', async () => {
    const set = renderSystem(await system('card-fraud', 'prod'));
    expect(find(set, 'Role', 'card-fraud-train')!.rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
    ]);
    expect(find(set, 'Role', 'card-fraud-retrain')!.rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create', 'list'] },
    ]);
    expect(find(set, 'WorkflowTemplate', 'card-fraud-train')!.spec.serviceAccountName).toBe('card-fraud-train');
  });

  it('gives the Jobs driver read access to its step templates by name, and no token to the steps', async () => {
    const set = renderSystem(await system('churn-small', 'dev'));
    const rules = find(set, 'Role', 'churn-small-train-driver')!.rules as Json[];
    const cronjobs = rules.filter((r) => r.resources.includes('cronjobs'));
    expect(cronjobs.every((r) => r.verbs.join() === 'get')).toBe(true);
    expect(cronjobs.flatMap((r) => r.resourceNames).sort()).toEqual(
      ['gate', 'guard', 'preprocess', 'register', 'train', 'validate'].map((s) => `churn-small-train-step-${s}`),
    );
    expect(rules.filter((r) => !r.resources.includes('cronjobs'))).toEqual([
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'get', 'list'] },
    ]);
    expect(stepPod(set, 'train').automountServiceAccountToken).toBe(false);
    expect(find(set, 'Role', 'churn-small-train')).toBeUndefined();
  });

  it(
    'lets training pods out to the approved dataset and model buckets (and the API server under Argo), and ' +
      'workers reach each other',
    async () => {
      const set = renderSystem(await system('product-ranker', 'prod'));
      const egress = find(set, 'NetworkPolicy', 'product-ranker-train')!.spec.egress as Json[];
      expect([...new Set(egress.flatMap((r) => r.ports.map((p: Json) => p.port)))].sort()).toEqual([
        443, 6443, 80, 988,
      ]);
      // HTTPS only to the approved buckets' ranges (s3-eu) and the profile's API server (172.16.0.0/28).
      const https = egress.filter((r) => r.ports[0].port === 443).map((r) => r.to[0].ipBlock.cidr);
      expect(https).toEqual(['3.5.64.0/21', '3.5.72.0/23', '52.92.0.0/17', '52.218.0.0/17', '172.16.0.0/28']);
      const workers = find(set, 'NetworkPolicy', 'product-ranker-train-workers')!.spec;
      expect(workers.ingress).toEqual([
        {
          from: [
            {
              podSelector: {
                matchLabels: { 'mlspec.io/system': 'product-ranker', 'mlspec.io/training-role': 'worker' },
              },
            },
          ],
          ports: [{ protocol: 'TCP' }],
        },
      ]);
    },
  );
});

describe('variants', () => {
  /** product-ranker prod moved to a cluster with KEDA but without Argo Workflows: distributed Jobs and drift. */
  async function jobsWithKeda(): Promise<ManifestSet> {
    const s = structuredClone(await system('product-ranker', 'prod')) as any;
    s.cluster = { ...s.cluster, components: { ...s.cluster.components, argoWorkflows: false } };
    return renderSystem(s);
  }

  it('distributed training without Argo is an Indexed Job with the rendezvous Service', async () => {
    const set = await jobsWithKeda();
    const train = find(set, 'CronJob', 'product-ranker-train-step-train')!.spec.jobTemplate.spec;
    expect([train.completionMode, train.completions, train.parallelism]).toEqual(['Indexed', 4, 4]);
    expect(train.template.spec.subdomain).toBe('product-ranker-train-workers');
    expect(envOf(train.template.spec.containers[0]).PET_MASTER_ADDR).toBe(
      '$(MLSPEC_STEP_JOB)-0.product-ranker-train-workers',
    );
    expect(extendedResources(train.template.spec.containers[0])).toEqual({
      'nvidia.com/gpu': { request: '4', limit: '4' },
    });
  });

  it('drift retraining without Argo copies the suspended schedule CronJob', async () => {
    const set = await jobsWithKeda();
    const submit = JSON.parse(
      envOf(find(set, 'ScaledJob', 'product-ranker-retrain')!.spec.jobTargetRef.template.spec.containers[0])
        .MLSPEC_SUBMIT,
    );
    expect(submit).toMatchObject({ kind: 'job', template: 'product-ranker-train' });
    expect(find(set, 'Role', 'product-ranker-retrain')!.rules).toContainEqual({
      apiGroups: ['batch'],
      resourceNames: ['product-ranker-train'],
      resources: ['cronjobs'],
      verbs: ['get'],
    });
  });

  it('every object of the variant validates against the upstream schemas', async () => {
    const set = await jobsWithKeda();
    const problems: string[] = [];
    for (const o of set.objects as K8sObject[]) problems.push(...(await upstreamProblems(o)));
    expect(problems).toEqual([]);
  });
});
