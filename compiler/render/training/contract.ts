// What a training step container is given, the same under Argo Workflows and plain Jobs
// (pure data). Images only need to read their environment:
//   MLSPEC_SYSTEM, MLSPEC_ENVIRONMENT, MLSPEC_STEP, MLSPEC_RUN_ID (Workflow or Job name)
//   MLSPEC_DATASETS          {"<name>": {"uri", "version", "digest", "format"?}} (JSON)
//   MLSPEC_WORKSPACE         /workspace: the workspace volume (encrypted storage class)
//   MLSPEC_RUN_DIR           /workspace/runs/<run id>: where steps hand data to the next step
//   MLSPEC_CHECKPOINT_DIR    /workspace/checkpoints: kept across runs (resuming)
//   MLSPEC_METRICS_FILE      <run dir>/metrics.json: `validate` writes {"<metric>": number}
//   MLSPEC_VALIDATION_GATES  {"<metric>": {"min"?, "max"?}} (JSON; validate and gate steps)
//   MLSPEC_MODEL_NAME        the model the register step registers a version of
//   MLSPEC_SCRATCH_DIR       /scratch: the step's scratch volume, `resources.ephemeralStorage`
//                            in size (default 1Gi); /dev/shm is a memory volume of
//                            `sharedMemory` (default a quarter of `memory`)
// Distributed training adds MLSPEC_WORKERS, MLSPEC_WORKER_INDEX, MLSPEC_COORDINATOR
// (`host:port` of worker 0) and, for PyTorch, torchrun's own variables (PET_NNODES,
// PET_NODE_RANK, PET_NPROC_PER_NODE, PET_MASTER_ADDR, PET_MASTER_PORT): an image whose
// entrypoint is `torchrun train.py` needs no arguments. The step's own `env` comes first;
// these win over it.
import type { ResolvedSystem, TrainingStepName } from '../../resolve/resolved.js';
import { TRAINING_STEPS } from '../../resolve/resolved.js';
import { durationSeconds } from '../../schema/duration.js';
import type { Step } from '../../schema/training.js';
import type { Resources } from '../../schema/common.js';
import { DEFAULT_EPHEMERAL_STORAGE, mebibytes, scratchResources } from '../base/resources.js';

export const WORKSPACE_DIR = '/workspace';
export const WORKSPACE_VOLUME = 'workspace';
export const SCRIPTS_DIR = '/etc/mlspec';
export const SCRIPTS_VOLUME = 'training-scripts';
export const RENDEZVOUS_PORT = 29500;
export const DEFAULT_STEP_TIMEOUT = '2h';
export const DEFAULT_STEP_RETRIES = 1;
export const DEFAULT_WORKSPACE_SIZE = '20Gi';
export const SCRATCH_DIR = '/scratch';
export const SCRATCH_VOLUME = 'scratch';
export const SHM_DIR = '/dev/shm';
export const SHM_VOLUME = 'dshm';
/** Run guard (guard.py): the first task of every run, and its exit code for "already started" without Argo. */
export const GUARD_STEP = 'guard';
export const GUARD_SKIP_EXIT = 3;
/** Requests and limits of the gate check (a few lines of Python). */
export const GATE_RESOURCES = { cpu: '100m', memory: '128Mi' } as const;

/** One env var: a literal value or a field of the pod (downward API). */
export type EnvEntry =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly fieldPath: string };

/** Where the run's name comes from: a literal (Argo `{{workflow.name}}`) or a pod field. */
export type RunIdSource = { readonly value: string } | { readonly fieldPath: string };

export interface WorkerPosition {
  readonly workers: number;
  /** Literal index, or a pod field (Indexed Jobs). */
  readonly index: { readonly value: string } | { readonly fieldPath: string };
  /** Host of worker 0, reachable from every worker. */
  readonly coordinatorHost: string;
  /** Processes per worker pod (its accelerators, or 1). */
  readonly processesPerWorker: number;
}

export function stepSpec(s: ResolvedSystem, step: TrainingStepName): Step {
  return s.spec.training.pipeline[step];
}

export function timeoutSeconds(step: Step): number {
  return Math.round(durationSeconds(step.timeout ?? DEFAULT_STEP_TIMEOUT));
}

export function retries(step: Step): number {
  return step.retries ?? DEFAULT_STEP_RETRIES;
}

/** Size of a step's `/dev/shm` (memory-backed; it counts against the container's memory). */
export function sharedMemoryMib(step: Step): number {
  return step.sharedMemory !== undefined
    ? mebibytes(step.sharedMemory)
    : Math.max(64, Math.floor(mebibytes(step.resources.memory) / 4));
}

/** Size of a step's scratch volume: the declared `ephemeralStorage`. */
export function scratchMib(step: Step): number {
  return mebibytes(step.resources.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE);
}

/** A step container's resources: ephemeral storage for its scratch volume and /tmp. */
export function stepResources(step: Step): Resources {
  return scratchResources(step.resources);
}

export function datasetsJson(s: ResolvedSystem): string {
  const d = s.spec.training.datasets;
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(d)
        .sort()
        .map((name) => [
          name,
          {
            uri: d[name]!.uri,
            version: d[name]!.version,
            digest: d[name]!.digest,
            ...(d[name]!.format ? { format: d[name]!.format } : {}),
          },
        ]),
    ),
  );
}

export function gatesJson(s: ResolvedSystem): string {
  const g = s.spec.training.validationGates;
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(g)
        .sort()
        .map((name) => [name, g[name]]),
    ),
  );
}

/** The environment of one step's container (or of the gate check, `step: 'gate'`). */
export function stepEnv(
  s: ResolvedSystem,
  step: TrainingStepName | 'gate',
  runId: RunIdSource,
  worker?: WorkerPosition,
): EnvEntry[] {
  const own = step === 'gate' ? {} : (stepSpec(s, step).env ?? {});
  const ours: EnvEntry[] = [
    { name: 'MLSPEC_SYSTEM', value: s.name },
    { name: 'MLSPEC_ENVIRONMENT', value: s.environment },
    { name: 'MLSPEC_STEP', value: step },
    'value' in runId
      ? { name: 'MLSPEC_RUN_ID', value: runId.value }
      : { name: 'MLSPEC_RUN_ID', fieldPath: runId.fieldPath },
    { name: 'MLSPEC_DATASETS', value: datasetsJson(s) },
    { name: 'MLSPEC_WORKSPACE', value: WORKSPACE_DIR },
    // `$(VAR)` is expanded by the kubelet from variables defined earlier in the list.
    { name: 'MLSPEC_RUN_DIR', value: `${WORKSPACE_DIR}/runs/$(MLSPEC_RUN_ID)` },
    { name: 'MLSPEC_CHECKPOINT_DIR', value: `${WORKSPACE_DIR}/checkpoints` },
    { name: 'MLSPEC_METRICS_FILE', value: '$(MLSPEC_RUN_DIR)/metrics.json' },
    { name: 'MLSPEC_MODEL_NAME', value: s.spec.model.name },
    ...(step === 'gate' ? [] : [{ name: 'MLSPEC_SCRATCH_DIR', value: SCRATCH_DIR }]),
    ...(step === 'validate' || step === 'gate' ? [{ name: 'MLSPEC_VALIDATION_GATES', value: gatesJson(s) }] : []),
    ...(worker ? workerEnv(s, worker) : []),
  ];
  const overridden = new Set(ours.map((e) => e.name));
  return [
    ...Object.keys(own)
      .sort()
      .filter((k) => !overridden.has(k))
      .map((k) => ({ name: k, value: own[k]! })),
    ...ours,
  ];
}

function workerEnv(s: ResolvedSystem, w: WorkerPosition): EnvEntry[] {
  const index: EnvEntry =
    'value' in w.index
      ? { name: 'MLSPEC_WORKER_INDEX', value: w.index.value }
      : { name: 'MLSPEC_WORKER_INDEX', fieldPath: w.index.fieldPath };
  const env: EnvEntry[] = [
    { name: 'MLSPEC_WORKERS', value: String(w.workers) },
    index,
    { name: 'MLSPEC_COORDINATOR', value: `${w.coordinatorHost}:${RENDEZVOUS_PORT}` },
  ];
  if ((s.spec.training.pipeline.train.distributed?.framework ?? 'pytorch') === 'pytorch') {
    // torchrun reads each option from PET_<OPTION>; the default (static) rendezvous makes
    // node rank = worker index, so global rank 0 always runs in worker 0.
    env.push(
      { name: 'PET_NNODES', value: String(w.workers) },
      { name: 'PET_NPROC_PER_NODE', value: String(w.processesPerWorker) },
      { name: 'PET_NODE_RANK', value: '$(MLSPEC_WORKER_INDEX)' },
      { name: 'PET_MASTER_ADDR', value: w.coordinatorHost },
      { name: 'PET_MASTER_PORT', value: String(RENDEZVOUS_PORT) },
    );
  }
  return env;
}

/**
 * What a training run is made of, for its content-hashed name: the datasets (uri, version,
 * digest) and what each step runs (image, command, args, env). Resources, placement, gates,
 * triggers and everything outside training are not in it: changing them does not retrain.
 */
export function runInputs(s: ResolvedSystem): Record<string, unknown> {
  const d = s.spec.training.datasets;
  return {
    datasets: Object.fromEntries(
      Object.keys(d)
        .sort()
        .map((n) => [n, { uri: d[n]!.uri, version: d[n]!.version, digest: d[n]!.digest }]),
    ),
    steps: Object.fromEntries(
      TRAINING_STEPS.map((step) => {
        const spec = stepSpec(s, step);
        return [
          step,
          { image: spec.image, command: spec.command ?? null, args: spec.args ?? null, env: spec.env ?? {} },
        ];
      }),
    ),
  };
}
