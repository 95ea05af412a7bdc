// The training pipeline without Argo Workflows: plain Kubernetes Jobs, shaped like the Argo
// version (a template per step, a run object per input change, a schedule).
//
// Kubernetes has no Job dependencies, so a small driver Job runs the chain (pipeline.py):
//   CronJob <system>-train-step-<step>  one suspended CronJob per step (preprocess, train,
//                                       validate, gate, register): never scheduled, it holds the
//                                       step's Job template (image, env, resources, placement)
//   Job <system>-train-<hash8>          the run for the current inputs: the driver, which
//                                       creates each step's Job from its template in order,
//                                       waits for it, and stops at the first failure, so a failed
//                                       validation or gate never reaches register. Its own pod
//                                       template holds no step details, so a change of
//                                       resources or gates updates the templates and starts
//                                       nothing (Argo CD sync wave 1: after the templates)
//   CronJob <system>-train              `training.triggers.schedule`: the driver on a schedule.
//                                       With drift retraining it is also what a drift run is
//                                       copied from (suspended when there is no schedule).
// Each step is its own pod, so only the steps that need accelerators get the node selector,
// tolerations and GPU/MIG limits (placement.ts), like under Argo.
//
// The driver is the only pod with an API token: it may read the step templates (by name),
// create Jobs (names are generated), and read Jobs. Step retries are the step Job's
// backoffLimit; a restarted driver resumes with the step Jobs already started (labels
// mlspec.io/run, mlspec.io/step), and the step Jobs are owned by the driver's Job.
//
// Distributed training: the train step is an Indexed Job with one pod per worker; pod
// `<job>-0` (in the subdomain `<system>-train-workers`) is the rendezvous. Its pods do not
// mount the workspace: a ReadWriteOnce volume cannot follow pods onto several nodes, and every
// pod of an Indexed Job has the same template. The train image then exchanges data with the
// other steps through object storage; Argo Workflows (where worker 0 mounts the workspace) is
// the better fit for distributed training.
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { TRAINING_STEPS, type TrainingStepName } from '../../resolve/resolved.js';
import type { RenderContext } from '../base/context.js';
import type { ObjectRole } from '../base/labels.js';
import { apiAccess, serviceAccount } from '../base/identity.js';
import { restrictPod, schedulePod, secureContainer, securePod, type SecurePod } from '../base/workload.js';
import { placeWorkload } from '../base/placement.js';
import { allowTraffic, apiServerRule } from '../base/network-policy.js';
import { objectName } from '../base/names.js';
import { cronJobName, cronSchedule } from '../base/cron.js';
import { canonicalJson } from '../../../core/canonical-json.js';
import {
  GATE_RESOURCES,
  GUARD_SKIP_EXIT,
  GUARD_STEP,
  retries,
  SCRATCH_DIR,
  scratchMib,
  SCRIPTS_DIR,
  SHM_DIR,
  sharedMemoryMib,
  stepEnv,
  stepResources,
  stepSpec,
  timeoutSeconds,
  WORKSPACE_DIR,
  type EnvEntry,
  type WorkerPosition,
} from './contract.js';
import { localQueueName, QUEUE_LABEL } from '../base/kueue.js';

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
/** Set by the driver on each step Job and its pods. */
export const RUN_LABEL = 'mlspec.io/run';
/** Schedule of suspended CronJobs (never used). */
const SUSPENDED_SCHEDULE = '0 0 1 1 *';
const DRIVER_RESOURCES = { cpu: '100m', memory: '128Mi' } as const;
const DRIVER_POLL_SECONDS = 15;

type PipelineStep = TrainingStepName | 'gate' | typeof GUARD_STEP;
const PIPELINE: readonly PipelineStep[] = [GUARD_STEP, 'preprocess', 'train', 'validate', 'gate', 'register'];
/** Reason of a Job's Failed condition when a pod failure policy ended it: the guard's "already started". */
const POD_FAILURE_POLICY = 'PodFailurePolicy';

export interface JobsTrainingProps {
  readonly role: ObjectRole;
  readonly runName: string;
  readonly cronName: string;
  readonly account: kplus.ServiceAccount;
  readonly workspace: kplus.IPersistentVolumeClaim;
  readonly scripts: kplus.ConfigMap;
  readonly workersService: string;
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly workerLabels: Readonly<Record<string, string>>;
  /** Render the schedule CronJob even without a schedule (suspended), as the drift run template. */
  readonly cronAsTemplate: boolean;
}

export function stepTemplateName(ctx: RenderContext, step: PipelineStep): string {
  return cronJobName(objectName(ctx.names.trainingPrefix, 'step', step));
}

function envValues(env: readonly EnvEntry[]): Record<string, kplus.EnvValue> {
  return Object.fromEntries(
    env.map((e) => {
      if ('value' in e) return [e.name, kplus.EnvValue.fromValue(e.value)];
      const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(e.fieldPath);
      if (!m) throw new Error(`internal: unsupported field path ${e.fieldPath}`);
      return [
        e.name,
        kplus.EnvValue.fromFieldRef(
          m[1] === 'labels' ? kplus.EnvFieldPaths.POD_LABEL : kplus.EnvFieldPaths.POD_ANNOTATION,
          { key: m[2]! },
        ),
      ];
    }),
  );
}

const fromLabel = (label: string) => ({ fieldPath: `metadata.labels['${label}']` });

interface StepVolumes {
  readonly workspace: kplus.Volume;
  readonly scripts: kplus.Volume;
}

/** The container of one step's Job. */
function stepContainer(
  ctx: RenderContext,
  pod: SecurePod,
  volumes: StepVolumes,
  step: PipelineStep,
): kplus.ContainerProps {
  const s = ctx.system;
  const runId = fromLabel(RUN_LABEL);
  // The guard and the gate are small Python scripts of the feature-server image.
  const script = (name: string) =>
    secureContainer(
      {
        name,
        image: s.platform.images.featureServer,
        command: ['python', `${SCRIPTS_DIR}/${name}.py`],
        resources: GATE_RESOURCES,
        mounts: [
          { volume: volumes.workspace, path: WORKSPACE_DIR },
          { volume: volumes.scripts, path: SCRIPTS_DIR, readOnly: true },
        ],
      },
      pod,
    );
  if (step === GUARD_STEP)
    return {
      ...script(GUARD_STEP),
      envVariables: envValues([
        { name: 'MLSPEC_RUN_ID', ...runId },
        { name: 'MLSPEC_WORKSPACE', value: WORKSPACE_DIR },
        { name: 'MLSPEC_GUARD_SKIP_EXIT', value: String(GUARD_SKIP_EXIT) },
        { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
      ]),
    };
  if (step === 'gate') return { ...script('gate'), envVariables: envValues(stepEnv(s, 'gate', runId)) };
  const spec = stepSpec(s, step);
  const distributed = step === 'train' ? s.spec.training.pipeline.train.distributed : undefined;
  const worker: WorkerPosition | undefined = distributed && {
    workers: distributed.workers,
    index: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
    coordinatorHost: `$(MLSPEC_STEP_JOB)-0.${ctx.names.part('train-workers')}`,
    processesPerWorker: s.placement.training.train?.count ?? 1,
  };
  const env: EnvEntry[] = [
    ...(worker ? [{ name: 'MLSPEC_STEP_JOB', ...fromLabel(JOB_NAME_LABEL) }] : []),
    ...stepEnv(s, step, runId, worker),
  ];
  // Shared memory (NCCL, data loaders) and the declared scratch space, sized per step.
  const shm = kplus.Volume.fromEmptyDir(ctx.chart, `Volume-training-${step}-shm`, 'dshm', {
    medium: kplus.EmptyDirMedium.MEMORY,
    sizeLimit: Size.mebibytes(sharedMemoryMib(spec)),
  });
  const scratch = kplus.Volume.fromEmptyDir(ctx.chart, `Volume-training-${step}-scratch`, 'scratch', {
    sizeLimit: Size.mebibytes(scratchMib(spec)),
  });
  const base = secureContainer(
    {
      name: step,
      image: spec.image,
      command: spec.command,
      args: spec.args,
      resources: stepResources(spec),
      mounts: [
        ...(worker ? [] : [{ volume: volumes.workspace, path: WORKSPACE_DIR }]),
        { volume: shm, path: SHM_DIR },
        { volume: scratch, path: SCRATCH_DIR },
      ],
    },
    pod,
  );
  return { ...base, envVariables: envValues(env) };
}

function renderStepTemplates(ctx: RenderContext, p: JobsTrainingProps): void {
  const s = ctx.system;
  const pod = securePod(ctx, { role: p.role, account: p.account, annotations: p.podAnnotations });
  const volumes: StepVolumes = {
    workspace: kplus.Volume.fromPersistentVolumeClaim(ctx.chart, 'Volume-training-workspace', p.workspace, {
      name: 'workspace',
    }),
    scripts: kplus.Volume.fromConfigMap(ctx.chart, 'Volume-training-scripts', p.scripts, { name: 'training-scripts' }),
  };
  for (const step of PIPELINE) {
    const name = stepTemplateName(ctx, step);
    const spec = step === 'gate' || step === GUARD_STEP ? undefined : stepSpec(s, step);
    const distributed = step === 'train' ? s.spec.training.pipeline.train.distributed : undefined;
    const podProps = distributed
      ? {
          ...pod.props,
          podMetadata: { ...pod.props.podMetadata, labels: { ...pod.props.podMetadata.labels, ...p.workerLabels } },
        }
      : pod.props;
    const cron = new kplus.CronJob(ctx.chart, `CronJob-${name}`, {
      ...podProps,
      metadata: {
        ...ctx.metadata(name, p.role),
        annotations: {
          'mlspec.io/note': `template of the ${step} step: the pipeline driver copies it into a Job; never scheduled`,
        },
      },
      schedule: cronSchedule(SUSPENDED_SCHEDULE),
      suspend: true,
      containers: [stepContainer(ctx, pod, volumes, step)],
      restartPolicy: kplus.RestartPolicy.NEVER,
      backoffLimit: spec ? retries(spec) : step === GUARD_STEP ? 2 : 0,
      activeDeadline: Duration.seconds(spec ? timeoutSeconds(spec) : 600),
      ...(distributed ? { dns: { subdomain: ctx.names.part('train-workers') } } : {}),
    });
    restrictPod(cron);
    schedulePod(ctx, cron, 'training');
    const placement = spec ? s.placement.training[step as TrainingStepName] : undefined;
    if (placement) placeWorkload(cron, step, placement);
    // Kueue admits the step's Job (every pod of an Indexed Job at once) within the team's quota.
    if (placement && s.cluster.components.kueue)
      ApiObject.of(cron).addJsonPatch(
        JsonPatch.add('/spec/jobTemplate/metadata', { labels: { [QUEUE_LABEL]: localQueueName(s.team) } }),
      );
    if (step === GUARD_STEP)
      ApiObject.of(cron).addJsonPatch(
        JsonPatch.add('/spec/jobTemplate/spec/podFailurePolicy', {
          rules: [
            {
              action: 'FailJob',
              onExitCodes: { containerName: GUARD_STEP, operator: 'In', values: [GUARD_SKIP_EXIT] },
            },
          ],
        }),
      );
    if (distributed) {
      ApiObject.of(cron).addJsonPatch(
        JsonPatch.add('/spec/jobTemplate/spec/completionMode', 'Indexed'),
        JsonPatch.add('/spec/jobTemplate/spec/completions', distributed.workers),
        JsonPatch.add('/spec/jobTemplate/spec/parallelism', distributed.workers),
      );
    }
  }
}

export function renderJobsTraining(ctx: RenderContext, p: JobsTrainingProps): void {
  const s = ctx.system;
  renderStepTemplates(ctx, p);

  const driver = ctx.names.part('train-driver');
  const role: ObjectRole = { component: 'training', workload: driver };
  const account = serviceAccount(ctx, { role, automountToken: true });
  const templates = PIPELINE.map((step) => stepTemplateName(ctx, step));
  apiAccess(ctx, {
    role,
    account,
    rules: [
      { apiGroup: 'batch', resources: ['cronjobs'], verbs: ['get'], resourceNames: templates },
      { apiGroup: 'batch', resources: ['jobs'], verbs: ['create', 'get', 'list'] },
    ],
  });
  allowTraffic(ctx, { role, egress: [apiServerRule(ctx)] });

  const pod = securePod(ctx, { role, account, automountToken: true, annotations: p.podAnnotations });
  const scripts = kplus.Volume.fromConfigMap(ctx.chart, 'Volume-training-driver-scripts', p.scripts, {
    name: 'training-scripts',
  });
  const pipeline = {
    pollSeconds: DRIVER_POLL_SECONDS,
    steps: PIPELINE.map((step) => ({
      name: step,
      template: stepTemplateName(ctx, step),
      // The guard's Job fails by its pod failure policy when the run already started: the run ends there.
      ...(step === GUARD_STEP ? { endsRunOn: POD_FAILURE_POLICY } : {}),
    })),
  };
  const container = secureContainer(
    {
      name: 'pipeline',
      image: s.platform.images.featureServer,
      command: ['python', `${SCRIPTS_DIR}/pipeline.py`],
      resources: DRIVER_RESOURCES,
      mounts: [{ volume: scripts, path: SCRIPTS_DIR, readOnly: true }],
    },
    pod,
  );
  const env = envValues([
    { name: 'MLSPEC_PIPELINE', value: canonicalJson(pipeline) },
    { name: 'MLSPEC_RUN_ID', ...fromLabel(JOB_NAME_LABEL) },
    { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
  ]);
  // Every step may take its timeout on every attempt.
  const deadline = TRAINING_STEPS.reduce(
    (sum, step) => sum + timeoutSeconds(stepSpec(s, step)) * (1 + retries(stepSpec(s, step))),
    600 + 600,
  );
  const driverProps = {
    ...pod.props,
    containers: [{ ...container, envVariables: env }],
    restartPolicy: kplus.RestartPolicy.NEVER,
    backoffLimit: 2,
    activeDeadline: Duration.seconds(deadline),
  };

  const run = new kplus.Job(ctx.chart, `Job-${p.runName}`, {
    ...driverProps,
    // Wave 1: after the step templates it copies have been updated.
    metadata: {
      ...ctx.metadata(p.runName, p.role),
      annotations: { ...p.annotations, 'argocd.argoproj.io/sync-wave': '1' },
    },
  });

  restrictPod(run);
  schedulePod(ctx, run, 'batch');

  const schedule = s.spec.training.triggers?.schedule;
  if (!schedule && !p.cronAsTemplate) return;
  const cron = new kplus.CronJob(ctx.chart, `CronJob-${p.cronName}`, {
    ...driverProps,
    metadata: {
      ...ctx.metadata(p.cronName, p.role),
      annotations: {
        ...p.annotations,
        ...(schedule
          ? {}
          : { 'mlspec.io/note': 'suspended: drift-triggered runs are copied from it; no schedule is set' }),
      },
    },
    schedule: cronSchedule(schedule ?? SUSPENDED_SCHEDULE),
    timeZone: 'Etc/UTC',
    suspend: !schedule,
    concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
    startingDeadline: Duration.minutes(10),
    successfulJobsRetained: 3,
    failedJobsRetained: 3,
  });
  restrictPod(cron);
  schedulePod(ctx, cron, 'batch');
}
