// Every pod template in a rendered object, wherever the kind keeps it: `spec.template.spec`
// (Deployment, Job), `spec.jobTemplate.spec.template.spec` (CronJob), `jobTargetRef` (KEDA
// ScaledJob), and the templates of Argo Workflows kinds, where each template with a container
// becomes a pod whose pod-level fields come from the template or the workflow spec.
import type { K8sObject } from '../../../compiler/render/base/manifest-set.js';

export type Json = Record<string, any>;

export interface PodTemplate {
  /** `Kind/name:path`, for messages. */
  readonly where: string;
  /** Pod-level fields (securityContext, nodeSelector, tolerations, volumes, serviceAccountName, ...). */
  readonly pod: Json;
  readonly containers: readonly Json[];
  readonly initContainers: readonly Json[];
}

const ARGO_KINDS = new Set(['WorkflowTemplate', 'CronWorkflow', 'Workflow', 'ClusterWorkflowTemplate']);
const POD_FIELDS = [
  'securityContext',
  'automountServiceAccountToken',
  'serviceAccountName',
  'nodeSelector',
  'tolerations',
  'affinity',
  'hostNetwork',
  'hostPID',
  'hostIPC',
];

function argoPods(o: K8sObject): PodTemplate[] {
  const spec = (o.kind === 'CronWorkflow' ? (o.spec as Json)?.workflowSpec : o.spec) as Json | undefined;
  if (!spec) return [];
  return ((spec.templates ?? []) as Json[]).flatMap((t, i) => {
    const main = [t.container, t.script, ...(t.containerSet?.containers ?? []), ...(t.sidecars ?? [])].filter(
      Boolean,
    ) as Json[];
    if (main.length === 0) return [];
    const pod: Json = { volumes: [...(spec.volumes ?? []), ...(t.volumes ?? [])] };
    for (const f of POD_FIELDS) {
      const v = t[f] ?? spec[f];
      if (v !== undefined) pod[f] = v;
    }
    if (pod.serviceAccountName === undefined && spec.serviceAccountName)
      pod.serviceAccountName = spec.serviceAccountName;
    return [
      {
        where: `${o.kind}/${o.metadata.name}:templates/${i}(${t.name})`,
        pod,
        containers: main,
        initContainers: (t.initContainers ?? []) as Json[],
      },
    ];
  });
}

function walk(value: unknown, path: string, out: { path: string; spec: Json }[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}/${i}`, out));
  else if (value !== null && typeof value === 'object') {
    const v = value as Json;
    if (Array.isArray(v.containers) && v.containers.every((c: Json) => c && typeof c.image === 'string'))
      out.push({ path, spec: v });
    else for (const [k, child] of Object.entries(v)) walk(child, `${path}/${k}`, out);
  }
}

export function podTemplates(o: K8sObject): PodTemplate[] {
  if (ARGO_KINDS.has(o.kind)) return argoPods(o);
  const found: { path: string; spec: Json }[] = [];
  walk(o, '', found);
  return found.map(({ path, spec }) => ({
    where: `${o.kind}/${o.metadata.name}:${path}`,
    pod: spec,
    containers: spec.containers as Json[],
    initContainers: (spec.initContainers ?? []) as Json[],
  }));
}

/** Extended resources (`vendor/name`) a container requests or limits. */
export function extendedResources(c: Json): Record<string, { request?: unknown; limit?: unknown }> {
  const out: Record<string, { request?: unknown; limit?: unknown }> = {};
  for (const [k, v] of Object.entries((c.resources?.requests ?? {}) as Json))
    if (k.includes('/')) out[k] = { ...out[k], request: v };
  for (const [k, v] of Object.entries((c.resources?.limits ?? {}) as Json))
    if (k.includes('/')) out[k] = { ...out[k], limit: v };
  return out;
}
