// What a system-environment asks of the cluster at rest: the CPU, memory and GPU requests and
// limits of its pod templates, times their replicas (the autoscaler's minimum for a scaled
// workload, else `replicas`; a Job's parallelism; one pod for each step template of a workflow
// and for jobs started on demand). A Rollout that takes its pod template from a Deployment
// (`workloadRef`) counts that template. The review compares it before and after a change.
import type { K8sObject } from './manifest-set.js';
import { quantityValue } from './resources.js';

export interface Amounts {
  /** Cores. */
  readonly cpu: number;
  /** Bytes. */
  readonly memory: number;
  /** Accelerators (whole GPUs and MIG slices alike). */
  readonly gpu: number;
}

export interface Footprint {
  readonly requests: Amounts;
  readonly limits: Amounts;
}

export const NO_FOOTPRINT: Footprint = {
  requests: { cpu: 0, memory: 0, gpu: 0 },
  limits: { cpu: 0, memory: 0, gpu: 0 },
};

/** A quantity as a number (rendered objects hold only valid ones). */
const quantity = (value: unknown): number =>
  typeof value === 'number' || typeof value === 'string' ? quantityValue(value) : 0;

const isGpu = (resource: string) => /gpu|^nvidia\.com\/mig-/.test(resource);

function amounts(list: unknown): Amounts {
  const out = { cpu: 0, memory: 0, gpu: 0 };
  if (!list || typeof list !== 'object') return out;
  for (const [resource, value] of Object.entries(list as Record<string, unknown>)) {
    if (resource === 'cpu') out.cpu += quantity(value);
    else if (resource === 'memory') out.memory += quantity(value);
    else if (isGpu(resource)) out.gpu += quantity(value);
  }
  return out;
}

export const add = (a: Amounts, b: Amounts, times = 1): Amounts => ({
  cpu: a.cpu + b.cpu * times,
  memory: a.memory + b.memory * times,
  gpu: a.gpu + b.gpu * times,
});

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});

/** Autoscaled workloads (`Kind/name`) and the replicas they keep at rest. */
function autoscaledMinimums(objects: readonly K8sObject[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of objects) {
    const spec = obj(o.spec);
    const target = obj(spec.scaleTargetRef);
    if (o.kind === 'HorizontalPodAutoscaler')
      out.set(`${target.kind}/${target.name}`, typeof spec.minReplicas === 'number' ? spec.minReplicas : 1);
    if (o.kind === 'ScaledObject')
      out.set(
        `${target.kind ?? 'Deployment'}/${target.name}`,
        typeof spec.minReplicaCount === 'number' ? spec.minReplicaCount : 0,
      );
  }
  return out;
}

/** The pod specs of an object with how many pods of each run at rest. */
function podSpecs(
  o: K8sObject,
  all: readonly K8sObject[],
  minimums: Map<string, number>,
): { spec: Json; count: number }[] {
  const spec = obj(o.spec);
  const replicas = () =>
    minimums.get(`${o.kind}/${o.metadata.name}`) ?? (typeof spec.replicas === 'number' ? spec.replicas : 1);
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const template = obj(spec.template);
      return template.spec ? [{ spec: obj(template.spec), count: replicas() }] : [];
    }
    case 'Rollout': {
      const ref = obj(spec.workloadRef);
      const source = ref.name ? all.find((x) => x.kind === ref.kind && x.metadata.name === ref.name) : o;
      const template = obj(obj(source?.spec).template);
      return template.spec ? [{ spec: obj(template.spec), count: replicas() }] : [];
    }
    case 'Job':
      return [{ spec: obj(obj(spec.template).spec), count: Number(spec.parallelism ?? 1) }];
    case 'CronJob': {
      const job = obj(obj(spec.jobTemplate).spec);
      return [{ spec: obj(obj(job.template).spec), count: Number(job.parallelism ?? 1) }];
    }
    case 'ScaledJob':
      return [{ spec: obj(obj(obj(spec.jobTargetRef).template).spec), count: 1 }];
    case 'WorkflowTemplate':
      return ((spec.templates as Json[] | undefined) ?? [])
        .filter((t) => t.container)
        .map((t) => ({ spec: { containers: [t.container] }, count: 1 }));
    default:
      return [];
  }
}

export function footprint(objects: readonly K8sObject[]): Footprint {
  let requests: Amounts = NO_FOOTPRINT.requests;
  let limits: Amounts = NO_FOOTPRINT.limits;
  const minimums = autoscaledMinimums(objects);
  for (const o of objects) {
    for (const { spec, count } of podSpecs(o, objects, minimums)) {
      for (const c of (spec.containers as Json[] | undefined) ?? []) {
        const r = obj(c.resources);
        requests = add(requests, amounts(r.requests), count);
        limits = add(limits, amounts(r.limits), count);
      }
    }
  }
  return { requests, limits };
}
