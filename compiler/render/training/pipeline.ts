// Training concept: the pipeline preprocess → train → validate → gate → register, as Argo
// Workflows objects when the cluster profile has Argo Workflows (training-argo.ts), as
// Kubernetes Jobs run by a driver Job otherwise (training-jobs.ts), plus what both need:
//   PersistentVolumeClaim <system>-training-workspace  run hand-over and checkpoints, on the
//                         profile's encrypted storage class (`training.checkpoints.size`)
//   ConfigMap <system>-training-scripts   gate.py; pipeline.py without Argo; submit.py for
//                                         drift retraining
//   Service <system>-train-workers        headless, distributed training only: the address
//                                         of worker 0 for the rendezvous
//   ServiceAccount <system>-train         the step pods' identity; under Argo it carries the
//                                         executor's only right (create/patch
//                                         workflowtaskresults), otherwise no token at all
//   NetworkPolicies                       egress HTTPS (datasets on object storage, and the
//                                         register step's model store or registry, reached
//                                         over HTTPS), the API server for Argo's executor,
//                                         and all TCP between the workers of one run (NCCL
//                                         and Gloo pick their ports)
// and drift retraining (retraining.ts). The run object is named by a content hash
// (`<system>-train-<hash8>`), so new data or a new image is a new run when Argo CD syncs.
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { RenderContext } from '../base/context.js';
import { LABEL, type ObjectRole } from '../base/labels.js';
import { apiAccess, serviceAccount } from '../base/identity.js';
import { allowTraffic, apiServerRule, approvedRules, identityRules } from '../base/network-policy.js';
import { mebibytes } from '../base/resources.js';
import { DEFAULT_WORKSPACE_SIZE, RENDEZVOUS_PORT, runInputs } from './contract.js';
import { GATE_SCRIPT, GUARD_SCRIPT, PIPELINE_SCRIPT, SUBMIT_SCRIPT } from './scripts.js';
import { renderArgoTraining } from './argo.js';
import { renderJobsTraining } from './jobs.js';
import { driftAnnotation, driftEnabled, kedaRetraining, renderRetraining, TRIGGER_LABEL } from './retraining.js';
import { jobPodAnnotations } from '../base/mesh.js';

/** Pod label of distributed training workers (the rendezvous Service and the worker policy). */
export const TRAINING_ROLE_LABEL = 'mlspec.io/training-role';

/** Size as cdk8s renders it: whole GiB when exact, else MiB. */
function volumeSize(quantity: string | number): Size {
  const mib = mebibytes(quantity);
  return mib % 1024 === 0 ? Size.gibibytes(mib / 1024) : Size.mebibytes(mib);
}

export function renderTraining(ctx: RenderContext): void {
  const s = ctx.system;
  const argo = s.cluster.components.argoWorkflows;
  const name = ctx.names.trainingPrefix;
  const role: ObjectRole = { component: 'training', workload: name };
  const distributed = s.spec.training.pipeline.train.distributed;
  const podLabels = ctx.labels(role);
  const workerLabels = { [TRAINING_ROLE_LABEL]: 'worker' };
  const workersService = ctx.names.part('train-workers');

  const account = serviceAccount(ctx, { role, automountToken: argo, cloudIdentity: true });
  // Argo's executor (wait container) reports step results through this resource; nothing else.
  if (argo)
    apiAccess(ctx, {
      role,
      account,
      rules: [{ apiGroup: 'argoproj.io', resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }],
    });

  const workspace = new kplus.PersistentVolumeClaim(ctx.chart, `PersistentVolumeClaim-${name}-workspace`, {
    metadata: ctx.metadata(ctx.names.part('training-workspace'), role),
    storage: volumeSize(s.spec.training.checkpoints?.size ?? DEFAULT_WORKSPACE_SIZE),
    storageClassName: s.cluster.storageClasses.encrypted,
    accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
  });
  const scripts = new kplus.ConfigMap(ctx.chart, `ConfigMap-${name}-scripts`, {
    metadata: ctx.metadata(ctx.names.part('training-scripts'), role),
    data: {
      'gate.py': GATE_SCRIPT,
      'guard.py': GUARD_SCRIPT,
      ...(argo ? {} : { 'pipeline.py': PIPELINE_SCRIPT }),
      ...(kedaRetraining(ctx) ? { 'submit.py': SUBMIT_SCRIPT } : {}),
    },
  });

  if (distributed) {
    const selector = { [LABEL.system]: s.name, ...workerLabels };
    new kplus.Service(ctx.chart, `Service-${workersService}`, {
      metadata: ctx.metadata(workersService, role),
      clusterIP: 'None',
      // Workers resolve worker 0 while it is still starting.
      publishNotReadyAddresses: true,
      selector: kplus.Pods.select(ctx.chart, `Service-${workersService}-pods`, { labels: selector }),
      ports: [{ name: 'rendezvous', port: RENDEZVOUS_PORT, targetPort: RENDEZVOUS_PORT }],
    });
    const policy = allowTraffic(ctx, { role, name: workersService, podLabels: selector });
    const peer = kplus.Pods.select(ctx.chart, `NetworkPolicy-${workersService}-peers`, { labels: selector });
    // Every TCP port: NCCL and Gloo listen on ports they pick. (allTcp() renders port 0, which
    // the API refuses; a protocol without a port means all of its ports.)
    const anyTcp = kplus.NetworkPolicyPort.of({ protocol: kplus.NetworkProtocol.TCP });
    policy.addIngressRule(peer, [anyTcp]);
    policy.addEgressRule(peer, [anyTcp]);
  }

  if (argo) {
    const annotations = driftAnnotation(ctx, { kind: 'WorkflowTemplate', name });
    renderArgoTraining(ctx, {
      role,
      templateName: name,
      runName: ctx.names.trainingRun(runInputs(s)),
      podLabels,
      // Under Istio the sidecar must be native: Argo then need not kill it when a step ends,
      // and it is up before the step starts (NCCL rendezvous goes through it).
      podAnnotations: jobPodAnnotations(ctx),
      workerLabels,
      account: account.name,
      workspaceClaim: workspace.name,
      scriptsConfigMap: scripts.name,
      workersService,
      annotations,
      triggerLabel: TRIGGER_LABEL,
    });
    renderRetraining(ctx, {
      target: { kind: 'workflow', name },
      trainingLabels: podLabels,
      scriptsConfigMap: scripts.name,
    });
  } else {
    renderJobsTraining(ctx, {
      role,
      runName: ctx.names.trainingRun(runInputs(s)),
      cronName: name,
      account,
      workspace,
      scripts,
      workersService,
      podAnnotations: jobPodAnnotations(ctx),
      annotations: driftAnnotation(ctx, { kind: 'CronJob', name }),
      workerLabels,
      // Drift runs, automated or by hand (`kubectl create job --from=cronjob/...`), copy it.
      cronAsTemplate: driftEnabled(ctx),
    });
    renderRetraining(ctx, { target: { kind: 'job', name }, trainingLabels: podLabels, scriptsConfigMap: scripts.name });
  }

  // Datasets, and the register step's model store, over HTTPS; Argo's executor to the API.
  allowTraffic(ctx, {
    role,
    egress: [
      // The register step writes the new model next to the artifacts the spec names.
      ...approvedRules(ctx, [...s.egress.datasets, ...s.egress.models]),
      ...identityRules(ctx),
      ...(argo ? [apiServerRule(ctx)] : []),
    ],
  });
}
