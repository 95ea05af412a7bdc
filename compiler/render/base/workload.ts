// Building blocks for pods rendered with cdk8s-plus workloads (Deployment, Job, CronJob):
// each pod runs under its own ServiceAccount with the restricted security profile, a writable
// /tmp, and requests and limits on every container. Renderers spread `pod.props` into the
// workload's props and build containers with `secureContainer`.
import * as kplus from 'cdk8s-plus-28';
import type { Resources } from '../../schema/common.js';
import type { RenderContext } from './context.js';
import { selectorLabels, type ObjectRole } from './labels.js';
import { restrictedContainerSecurity, restrictedPodSecurity, tmpVolume, TMP_PATH } from './pod-security.js';
import { containerResources } from './resources.js';

export interface MountProps {
  readonly volume: kplus.Volume;
  readonly path: string;
  readonly readOnly?: boolean;
}

export interface SecureContainerProps {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly resources: Resources;
  readonly ports?: readonly { readonly name: string; readonly number: number }[];
  readonly mounts?: readonly MountProps[];
  readonly readiness?: kplus.Probe;
  readonly liveness?: kplus.Probe;
  readonly startup?: kplus.Probe;
}

export interface SecurePod {
  /** Spread into a cdk8s-plus workload's props. */
  readonly props: {
    readonly podMetadata: { readonly labels: Record<string, string>; readonly annotations?: Record<string, string> };
    readonly serviceAccount: kplus.ServiceAccount;
    readonly automountServiceAccountToken: boolean;
    readonly securityContext: kplus.PodSecurityContextProps;
    readonly select: false;
    readonly spread: false;
  };
  /** The /tmp volume, mounted into every container by `secureContainer`. */
  readonly tmp: kplus.Volume;
  /** What the workload's selector and the Service match. */
  readonly selector: Record<string, string>;
}

export interface SecurePodProps {
  readonly role: ObjectRole;
  readonly account: kplus.ServiceAccount;
  /** Pod template annotations (not lineage: that changes too often to restart pods for). */
  readonly annotations?: Readonly<Record<string, string>>;
  /** True only when the account needs the Kubernetes API (see identity.ts). Default false. */
  readonly automountToken?: boolean;
}

/**
 * Pod-level props. `select: false` and `spread: false` keep cdk8s-plus from adding its own
 * hash-valued selector label and affinity: selectors use readable labels (`selectorLabels`).
 */
export function securePod(ctx: RenderContext, props: SecurePodProps): SecurePod {
  const labels = ctx.labels(props.role);
  return {
    props: {
      podMetadata: { labels, ...(props.annotations ? { annotations: { ...props.annotations } } : {}) },
      serviceAccount: props.account,
      automountServiceAccountToken: props.automountToken ?? false,
      securityContext: restrictedPodSecurity(),
      select: false,
      spread: false,
    },
    tmp: tmpVolume(ctx.chart, `Volume-${props.role.workload}-tmp`),
    selector: selectorLabels(ctx.system, props.role.workload),
  };
}

export function secureContainer(props: SecureContainerProps, pod: SecurePod): kplus.ContainerProps {
  return {
    name: props.name,
    image: props.image,
    // Images are pinned (by digest where the cluster requires it): pulling again adds nothing.
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    ...(props.command ? { command: [...props.command] } : {}),
    ...(props.args ? { args: [...props.args] } : {}),
    ...(props.env
      ? {
          envVariables: Object.fromEntries(Object.entries(props.env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        }
      : {}),
    ...(props.ports
      ? { ports: props.ports.map((p) => ({ name: p.name, number: p.number, protocol: kplus.Protocol.TCP })) }
      : {}),
    resources: containerResources(props.resources),
    securityContext: restrictedContainerSecurity(),
    volumeMounts: [
      { volume: pod.tmp, path: TMP_PATH },
      ...(props.mounts ?? []).map((m) => ({ volume: m.volume, path: m.path, readOnly: m.readOnly ?? false })),
    ],
    ...(props.readiness ? { readiness: props.readiness } : {}),
    ...(props.liveness ? { liveness: props.liveness } : {}),
    ...(props.startup ? { startup: props.startup } : {}),
  };
}
