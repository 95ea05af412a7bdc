// Retraining on drift. The serving runtime sets METRICS.datasetDrift to 1 while the last drift
// window of a tier drifted. With KEDA on the cluster and `training.triggers.drift.enabled`, a
// ScaledJob `<system>-retrain` polls Prometheus for it and, when it is 1, runs submit.py
// (training-scripts.ts), which starts one training run: a Workflow from the WorkflowTemplate,
// or a Job copied from the `<system>-train` CronJob's template.
//
// The cooldown ("at least this long between two drift-triggered runs") is a lock on cluster
// state, not on KEDA: submit.py lists the drift-triggered runs (label
// `mlspec.io/trigger=drift`) and starts nothing while the newest is younger than the cooldown.
// Finished drift runs are kept (ttl) for at least the cooldown, so the lock outlives them.
// KEDA starts at most one submitter at a time (maxReplicaCount 1), so two cannot race. While
// drift persists inside the cooldown, a submitter pod runs once per polling interval and exits
// at once; the interval is a 24th of the cooldown (1 to 60 minutes), which bounds both that
// cost and the delay between drift and retraining. The query takes the max over one polling
// interval, so a drift flag raised and cleared between two polls still counts.
//
// Without KEDA nothing is rendered here; the training objects carry an annotation saying how
// to retrain (the ModelInputDrift alert, then submit by hand or through Argo Events).
import type { RenderContext } from '../base/context.js';
import { customResource } from '../base/custom-resource.js';
import type { ObjectRole } from '../base/labels.js';
import { LABEL } from '../base/labels.js';
import { apiAccess, serviceAccount } from '../base/identity.js';
import { allowTraffic, HTTPS_PORT } from '../base/network-policy.js';
import {
  RESTRICTED_CONTAINER_SECURITY_JSON,
  RESTRICTED_POD_SECURITY_JSON,
  TMP_MOUNT_JSON,
  TMP_VOLUME_JSON,
} from '../base/pod-security.js';
import { resourcesJson } from '../base/resources.js';
import { durationSeconds, promDuration } from '../../schema/duration.js';
import { METRICS } from '../../../runtime/contract/metric-names.js';
import { canonicalJson } from '../../../core/canonical-json.js';
import { SCRIPTS_DIR, SCRIPTS_VOLUME } from './contract.js';
import { FINISHED_RUN_TTL_SECONDS } from './argo.js';
import { jobPodAnnotations } from '../base/mesh.js';

export const TRIGGER_LABEL = 'mlspec.io/trigger';
export const DRIFT_ANNOTATION = 'mlspec.io/drift-retraining';
/** Port of the Kubernetes API server behind `kubernetes.default` on most clusters (443 is allowed anyway). */
export const API_SERVER_PORT = 6443;
const SUBMIT_RESOURCES = { cpu: '100m', memory: '128Mi' } as const;

/** Polling interval for a cooldown: a 24th of it, between 1 and 60 minutes. */
export function pollingIntervalSeconds(cooldownSeconds: number): number {
  return Math.min(3600, Math.max(60, Math.round(cooldownSeconds / 24)));
}

/** 1 when any serving tier of the system flagged drift within `window`. */
export function driftQuery(ctx: RenderContext, window: string): string {
  const services = Object.keys(ctx.system.spec.serving.tiers)
    .sort()
    .map((t) => ctx.names.tier(t));
  return (
    `max(max_over_time(${METRICS.datasetDrift}{namespace="${ctx.system.namespace}", ` +
    `service=~"${services.join('|')}"}[${window}]))`
  );
}

export function driftEnabled(ctx: RenderContext): boolean {
  return ctx.system.spec.training.triggers?.drift?.enabled === true;
}

export function kedaRetraining(ctx: RenderContext): boolean {
  return driftEnabled(ctx) && ctx.system.cluster.components.keda;
}

export function retrainName(ctx: RenderContext): string {
  return ctx.names.part('retrain');
}

/** The annotation on the training objects saying how drift leads to retraining here. */
export function driftAnnotation(
  ctx: RenderContext,
  template: { kind: 'WorkflowTemplate' | 'CronJob'; name: string },
): Record<string, string> {
  if (!driftEnabled(ctx)) return {};
  if (kedaRetraining(ctx))
    return {
      [DRIFT_ANNOTATION]:
        `KEDA ScaledJob ${retrainName(ctx)} starts a run when ${METRICS.datasetDrift} is 1 (cooldown ` +
        `${ctx.system.spec.training.triggers!.drift!.cooldown})`,
    };
  const how =
    template.kind === 'WorkflowTemplate'
      ? `argo submit --from workflowtemplate/${template.name} -l ${TRIGGER_LABEL}=drift`
      : `kubectl create job --from=cronjob/${template.name} <name>`;
  return {
    [DRIFT_ANNOTATION]:
      `not automated: the cluster has no KEDA. The ModelInputDrift alert fires on drift; retrain with ` +
      `\`${how}\`, or route the alert to Argo Events (see compiler/render/README.md)`,
  };
}

export interface RetrainingProps {
  /** The Argo WorkflowTemplate, or the CronJob whose job template drift runs copy. */
  readonly target: { readonly kind: 'workflow' | 'job'; readonly name: string };
  readonly trainingLabels: Readonly<Record<string, string>>;
  readonly scriptsConfigMap: string;
}

export function renderRetraining(ctx: RenderContext, props: RetrainingProps): void {
  if (!kedaRetraining(ctx)) return;
  const s = ctx.system;
  const drift = s.spec.training.triggers!.drift!;
  const cooldown = Math.round(durationSeconds(drift.cooldown));
  const polling = pollingIntervalSeconds(cooldown);
  const name = retrainName(ctx);
  const role: ObjectRole = { component: 'training', workload: name };
  const account = serviceAccount(ctx, { role, automountToken: true });
  const runs =
    props.target.kind === 'workflow'
      ? { apiGroup: 'argoproj.io', resources: ['workflows'] }
      : { apiGroup: 'batch', resources: ['jobs'] };
  apiAccess(ctx, {
    role,
    account,
    rules: [
      { ...runs, verbs: ['create', 'list'] },
      ...(props.target.kind === 'job'
        ? [{ apiGroup: 'batch', resources: ['cronjobs'], verbs: ['get'], resourceNames: [props.target.name] }]
        : []),
    ],
  });
  const labels = { ...props.trainingLabels, [TRIGGER_LABEL]: 'drift' };
  const submit = {
    cooldownSeconds: cooldown,
    generateName: `${props.target.name}-drift-`,
    kind: props.target.kind,
    labels,
    selector: `${LABEL.system}=${s.name},${TRIGGER_LABEL}=drift`,
    template: props.target.name,
    // Kept at least as long as the cooldown: the newest one is the lock.
    ttlSeconds: Math.max(FINISHED_RUN_TTL_SECONDS, cooldown),
  };
  const podLabels = ctx.labels(role);
  customResource(ctx, {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledJob',
    name,
    role,
    body: {
      spec: {
        pollingInterval: polling,
        maxReplicaCount: 1,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTargetRef: {
          backoffLimit: 2,
          activeDeadlineSeconds: 600,
          template: {
            metadata: { labels: podLabels, annotations: jobPodAnnotations(ctx) },
            spec: {
              serviceAccountName: account.name,
              automountServiceAccountToken: true,
              restartPolicy: 'Never',
              securityContext: RESTRICTED_POD_SECURITY_JSON,
              containers: [
                {
                  name: 'submit',
                  image: s.platform.images.featureServer,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['python', `${SCRIPTS_DIR}/submit.py`],
                  env: [
                    { name: 'MLSPEC_SUBMIT', value: canonicalJson(submit) },
                    { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
                  ],
                  resources: resourcesJson(SUBMIT_RESOURCES),
                  securityContext: RESTRICTED_CONTAINER_SECURITY_JSON,
                  volumeMounts: [TMP_MOUNT_JSON, { name: SCRIPTS_VOLUME, mountPath: SCRIPTS_DIR, readOnly: true }],
                },
              ],
              volumes: [TMP_VOLUME_JSON, { name: SCRIPTS_VOLUME, configMap: { name: props.scriptsConfigMap } }],
            },
          },
        },
        triggers: [
          {
            type: 'prometheus',
            name: 'dataset-drift',
            metadata: {
              serverAddress: s.cluster.monitoring.prometheusUrl,
              query: driftQuery(ctx, promDuration(polling)),
              threshold: '1',
              activationThreshold: '0.5',
            },
          },
        ],
      },
    },
  });
  // The submitter talks to the Kubernetes API only (443, or 6443 behind the Service's NAT).
  allowTraffic(ctx, {
    role,
    egress: [{ peers: [{ cidr: '0.0.0.0/0' }], ports: [{ port: HTTPS_PORT }, { port: API_SERVER_PORT }] }],
  });
}
