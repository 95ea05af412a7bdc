// The training pipeline under Argo Workflows (v3.6 or later: `schedules`, `mutexes`).
//   WorkflowTemplate <system>-train   the pipeline, a DAG: preprocess → train → validate → gate
//                                      → register. A task runs only when the one before it
//                                      succeeded, so a failed validation or gate never registers.
//   Workflow <system>-train-<hash8>   the run for the current inputs (training-contract.ts
//                                      runInputs): it only references the template, so a change
//                                      of resources or gates updates the template and starts
//                                      nothing, while new data or code makes a new Workflow. The
//                                      Argo CD sync wave 1 creates it after the template is
//                                      updated (wave 0).
//   CronWorkflow <system>-train       `training.triggers.schedule`, when set.
// Every run of a system takes one mutex: the workspace volume is ReadWriteOnce.
//
// Pods run as `<system>-train`, whose token Argo's executor (the wait container) needs to
// report step results: the account may create and patch workflowtaskresults, nothing else.
// (A token for the executor alone, `executor.serviceAccountName` with automount off, needs a
// `<account>.service-account-token` Secret on Kubernetes 1.24+, a name mlspec's object names
// cannot take.) The executor containers' securityContext comes from the controller's
// `executor.securityContext` setting: the platform must set it to the restricted profile (the
// pod-level context here covers user, group and seccomp).
//
// Distributed training: `train` is a DAG of two independent tasks, so all `workers` pods run
// at once: the leader (worker 0) and the others (withSequence 1..workers-1). The leader's pod
// gets the hostname `leader-<workflow uid>` in the subdomain of the headless Service
// `<system>-train-workers`, which is the address every worker rendezvouses at (torchrun static
// rendezvous on 29500). Only the leader mounts the workspace (ReadWriteOnce): global rank 0
// reads the run directory and writes checkpoints; other workers read their data shards from
// the datasets' URIs. The group retries as a whole: a static rendezvous cannot take a single
// restarted worker back.
import type { ResolvedSystem, TrainingStepName } from '../../resolve/resolved.js';
import type { Step } from '../../schema/training.js';
import type { RenderContext } from '../base/context.js';
import { customResource } from '../base/custom-resource.js';
import type { ObjectRole } from '../base/labels.js';
import { placementJson } from '../base/placement.js';
import {
  RESTRICTED_CONTAINER_SECURITY_JSON,
  RESTRICTED_POD_SECURITY_JSON,
  TMP_MOUNT_JSON,
  TMP_VOLUME_JSON,
} from '../base/pod-security.js';
import { resourcesJson } from '../base/resources.js';
import {
  GATE_RESOURCES,
  GUARD_STEP,
  retries,
  SCRATCH_DIR,
  SCRATCH_VOLUME,
  scratchMib,
  SCRIPTS_DIR,
  SCRIPTS_VOLUME,
  SHM_DIR,
  SHM_VOLUME,
  sharedMemoryMib,
  stepEnv,
  stepResources,
  stepSpec,
  timeoutSeconds,
  WORKSPACE_DIR,
  WORKSPACE_VOLUME,
  type EnvEntry,
  type WorkerPosition,
} from './contract.js';
import { localQueueName, POD_GROUP_COUNT_ANNOTATION, POD_GROUP_LABEL, QUEUE_LABEL } from '../base/kueue.js';

export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';
const RUN_ID = { value: '{{workflow.name}}' };
/** Argo keeps a drift- or schedule-started Workflow this long after it ends. */
export const FINISHED_RUN_TTL_SECONDS = 7 * 86400;
const POD_GC_DELAY = '1h';

export interface ArgoTrainingProps {
  readonly role: ObjectRole;
  readonly templateName: string;
  readonly runName: string;
  readonly podLabels: Readonly<Record<string, string>>;
  /** Annotations of every step pod (the mesh's native sidecar). */
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly workerLabels: Readonly<Record<string, string>>;
  readonly account: string;
  readonly workspaceClaim: string;
  readonly scriptsConfigMap: string;
  readonly workersService: string;
  /** Annotations for the training objects (drift retraining note). */
  readonly annotations: Readonly<Record<string, string>>;
  readonly triggerLabel: string;
}

const envJson = (env: readonly EnvEntry[]) =>
  env.map((e) =>
    'value' in e
      ? { name: e.name, value: e.value }
      : { name: e.name, valueFrom: { fieldRef: { fieldPath: e.fieldPath } } },
  );

const mounts = (workspace: boolean, scripts = false) => [
  TMP_MOUNT_JSON,
  ...(workspace ? [{ name: WORKSPACE_VOLUME, mountPath: WORKSPACE_DIR }] : []),
  ...(scripts ? [{ name: SCRIPTS_VOLUME, mountPath: SCRIPTS_DIR, readOnly: true }] : []),
];

/** A step's own volumes: shared memory for NCCL and data loaders, and its scratch space. */
function stepVolumes(step: Step): Record<string, unknown>[] {
  return [
    { name: SHM_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: `${sharedMemoryMib(step)}Mi` } },
    { name: SCRATCH_VOLUME, emptyDir: { sizeLimit: `${scratchMib(step)}Mi` } },
  ];
}

const STEP_MOUNTS = [
  { name: SHM_VOLUME, mountPath: SHM_DIR },
  { name: SCRATCH_VOLUME, mountPath: SCRATCH_DIR },
];

/** Kueue queues the pods that hold accelerators (the scarce resource the team's quota counts). */
function queueLabels(s: ResolvedSystem, step: TrainingStepName): Record<string, string> {
  return s.cluster.components.kueue && s.placement.training[step] ? { [QUEUE_LABEL]: localQueueName(s.team) } : {};
}

function retryStrategy(limit: number): Record<string, unknown> {
  return { limit, retryPolicy: 'OnFailure', backoff: { duration: '1m', factor: 2 } };
}

/** A container template for one step (or one worker of the train step). */
function stepTemplate(
  s: ResolvedSystem,
  step: TrainingStepName,
  name: string,
  options: { worker?: WorkerPosition; workspace: boolean; retry: boolean },
): Record<string, unknown> {
  const spec = stepSpec(s, step);
  const placement = s.placement.training[step];
  // A template's tolerations replace the workflow's: a GPU step lists the training pool's too.
  const pool = s.cluster.scheduling?.tolerations?.training ?? [];
  const placed = placement ? placementJson(placement) : undefined;
  const labels = queueLabels(s, step);
  return {
    name,
    ...(Object.keys(labels).length ? { metadata: { labels } } : {}),
    ...(placed ? { ...placed, tolerations: [...placed.tolerations, ...pool.map((t) => ({ ...t }))] } : {}),
    activeDeadlineSeconds: timeoutSeconds(spec),
    ...(options.retry && retries(spec) > 0 ? { retryStrategy: retryStrategy(retries(spec)) } : {}),
    volumes: stepVolumes(spec),
    container: {
      name: 'main',
      image: spec.image,
      ...(spec.command ? { command: [...spec.command] } : {}),
      ...(spec.args ? { args: [...spec.args] } : {}),
      env: envJson(stepEnv(s, step, RUN_ID, options.worker)),
      resources: resourcesJson(stepResources(spec), placement),
      securityContext: RESTRICTED_CONTAINER_SECURITY_JSON,
      volumeMounts: [...mounts(options.workspace), ...STEP_MOUNTS],
    },
  };
}

/**
 * The first task of every run: records the run's start on the workspace and prints `run`, or
 * `skip` when this run name already started (a Git-managed Workflow recreated after deletion).
 */
function guardTemplate(s: ResolvedSystem): Record<string, unknown> {
  return {
    name: GUARD_STEP,
    activeDeadlineSeconds: 300,
    container: {
      name: 'main',
      image: s.platform.images.featureServer,
      command: ['python', `${SCRIPTS_DIR}/guard.py`],
      env: [
        { name: 'MLSPEC_RUN_ID', ...RUN_ID },
        { name: 'MLSPEC_WORKSPACE', value: WORKSPACE_DIR },
        { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
      ],
      resources: resourcesJson(GATE_RESOURCES),
      securityContext: RESTRICTED_CONTAINER_SECURITY_JSON,
      volumeMounts: mounts(true, true),
    },
  };
}

function gateTemplate(s: ResolvedSystem): Record<string, unknown> {
  return {
    name: 'gate',
    activeDeadlineSeconds: 600,
    container: {
      name: 'main',
      image: s.platform.images.featureServer,
      command: ['python', `${SCRIPTS_DIR}/gate.py`],
      env: envJson(stepEnv(s, 'gate', RUN_ID)),
      resources: resourcesJson(GATE_RESOURCES),
      securityContext: RESTRICTED_CONTAINER_SECURITY_JSON,
      volumeMounts: mounts(true, true),
    },
  };
}

function trainTemplates(s: ResolvedSystem, p: ArgoTrainingProps): Record<string, unknown>[] {
  const distributed = s.spec.training.pipeline.train.distributed;
  if (!distributed) return [stepTemplate(s, 'train', 'train', { workspace: true, retry: true })];
  const placement = s.placement.training.train;
  const leaderHost = `leader-{{workflow.uid}}`;
  const position = (index: string): WorkerPosition => ({
    workers: distributed.workers,
    index: { value: index },
    coordinatorHost: `${leaderHost}.${p.workersService}`,
    processesPerWorker: placement?.count ?? 1,
  });
  // Kueue admits the leader and the workers as one gang (a pod group named for the Workflow);
  // a retry of the group brings replacement pods into the same group.
  const gang = s.cluster.components.kueue
    ? {
        labels: { ...queueLabels(s, 'train'), [POD_GROUP_LABEL]: '{{workflow.uid}}-train' },
        annotations: { [POD_GROUP_COUNT_ANNOTATION]: String(distributed.workers) },
      }
    : { labels: {} };
  const workerMeta = {
    metadata: { ...gang, labels: { ...p.podLabels, ...p.workerLabels, ...gang.labels } },
  };
  const leader = {
    ...stepTemplate(s, 'train', 'train-leader', { worker: position('0'), workspace: true, retry: false }),
    ...workerMeta,
    podSpecPatch: JSON.stringify({ hostname: leaderHost, subdomain: p.workersService }),
  };
  const worker = {
    ...stepTemplate(s, 'train', 'train-worker', {
      worker: position('{{inputs.parameters.index}}'),
      workspace: false,
      retry: false,
    }),
    ...workerMeta,
    inputs: { parameters: [{ name: 'index' }] },
  };
  const retry = retries(stepSpec(s, 'train'));
  const group = {
    name: 'train',
    ...(retry > 0 ? { retryStrategy: retryStrategy(retry) } : {}),
    // Tasks without dependencies run at once.
    dag: {
      tasks: [
        { name: 'leader', template: 'train-leader' },
        {
          name: 'worker',
          template: 'train-worker',
          arguments: { parameters: [{ name: 'index', value: '{{item}}' }] },
          withSequence: { start: '1', end: String(distributed.workers - 1) },
        },
      ],
    },
  };
  return [group, leader, worker];
}

/** The profile's priority class and node-pool tolerations for training pods. */
function trainingScheduling(s: ResolvedSystem): Record<string, unknown> {
  const priority = s.cluster.scheduling?.priorityClasses?.training;
  const tolerations = s.cluster.scheduling?.tolerations?.training ?? [];
  return {
    ...(priority ? { podPriorityClassName: priority } : {}),
    ...(tolerations.length ? { tolerations: tolerations.map((t) => ({ ...t })) } : {}),
  };
}

/** The WorkflowTemplate's spec: everything a run needs. */
export function workflowSpec(s: ResolvedSystem, p: ArgoTrainingProps): Record<string, unknown> {
  // `X.Succeeded`, not `X`: a bare task name also accepts Skipped, and a guarded run skips.
  const task = (name: string, after?: string) => ({
    name,
    template: name,
    ...(after ? { depends: `${after}.Succeeded` } : {}),
  });
  return {
    entrypoint: 'pipeline',
    serviceAccountName: p.account,
    securityContext: RESTRICTED_POD_SECURITY_JSON,
    ...trainingScheduling(s),
    podMetadata: {
      labels: { ...p.podLabels },
      ...(Object.keys(p.podAnnotations).length ? { annotations: { ...p.podAnnotations } } : {}),
    },
    synchronization: { mutexes: [{ name: p.templateName }] },
    // Every pod goes an hour after the run ends (logs outlive them in Argo's log archive): a
    // failed step pod no longer outlives a successful retry, and a failed gang frees its Kueue quota.
    podGC: { strategy: 'OnWorkflowCompletion', deleteDelayDuration: POD_GC_DELAY },
    volumes: [
      TMP_VOLUME_JSON,
      { name: WORKSPACE_VOLUME, persistentVolumeClaim: { claimName: p.workspaceClaim } },
      { name: SCRIPTS_VOLUME, configMap: { name: p.scriptsConfigMap } },
    ],
    templates: [
      {
        name: 'pipeline',
        dag: {
          tasks: [
            task(GUARD_STEP),
            { ...task('preprocess', GUARD_STEP), when: `{{tasks.${GUARD_STEP}.outputs.result}} == run` },
            task('train', 'preprocess'),
            task('validate', 'train'),
            task('gate', 'validate'),
            task('register', 'gate'),
          ],
        },
      },
      guardTemplate(s),
      stepTemplate(s, 'preprocess', 'preprocess', { workspace: true, retry: true }),
      ...trainTemplates(s, p),
      stepTemplate(s, 'validate', 'validate', { workspace: true, retry: true }),
      gateTemplate(s),
      stepTemplate(s, 'register', 'register', { workspace: true, retry: true }),
    ],
  };
}

export function renderArgoTraining(ctx: RenderContext, p: ArgoTrainingProps): void {
  const s = ctx.system;
  customResource(ctx, {
    apiVersion: ARGO_API_VERSION,
    kind: 'WorkflowTemplate',
    name: p.templateName,
    role: p.role,
    annotations: p.annotations,
    body: { spec: workflowSpec(s, p) },
  });
  customResource(ctx, {
    apiVersion: ARGO_API_VERSION,
    kind: 'Workflow',
    name: p.runName,
    role: p.role,
    // Wave 1: after the WorkflowTemplate it references has been updated.
    annotations: { ...p.annotations, 'argocd.argoproj.io/sync-wave': '1' },
    body: {
      spec: {
        workflowTemplateRef: { name: p.templateName },
        // Repeats the template's annotations: Argo merges the two podMetadata maps.
        podMetadata: {
          labels: { ...p.podLabels, [p.triggerLabel]: 'change' },
          ...(Object.keys(p.podAnnotations).length ? { annotations: { ...p.podAnnotations } } : {}),
        },
      },
    },
  });
  const schedule = s.spec.training.triggers?.schedule;
  if (schedule) {
    customResource(ctx, {
      apiVersion: ARGO_API_VERSION,
      kind: 'CronWorkflow',
      name: p.templateName,
      role: p.role,
      annotations: p.annotations,
      body: {
        spec: {
          schedules: [schedule],
          timezone: 'Etc/UTC',
          concurrencyPolicy: 'Forbid',
          startingDeadlineSeconds: 600,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          workflowMetadata: { labels: { ...p.podLabels, [p.triggerLabel]: 'schedule' } },
          workflowSpec: {
            workflowTemplateRef: { name: p.templateName },
            ttlStrategy: { secondsAfterCompletion: FINISHED_RUN_TTL_SECONDS },
          },
        },
      },
    });
  }
}
