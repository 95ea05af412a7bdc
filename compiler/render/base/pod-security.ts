// The Pod Security Standard "restricted" profile, applied to every pod mlspec renders: run as
// a fixed non-root UID/GID, read-only root filesystem (with a small writable /tmp), no
// capabilities, RuntimeDefault seccomp, no privilege escalation. One definition, in two forms:
// cdk8s-plus props for typed workloads, and plain JSON for pod specs inside custom resources
// (Argo Workflows, KEDA ScaledJob).
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';

/** UID and GID of every container (the `nonroot` user of distroless images). */
export const NON_ROOT_ID = 65532;

/** Writable scratch space on the otherwise read-only root filesystem. */
export const TMP_VOLUME = 'tmp';
export const TMP_PATH = '/tmp';
export const TMP_SIZE_MIB = 256;

export const RESTRICTED_CONTAINER_SECURITY_JSON = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsGroup: NON_ROOT_ID,
  runAsNonRoot: true,
  runAsUser: NON_ROOT_ID,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

export const RESTRICTED_POD_SECURITY_JSON = {
  fsGroup: NON_ROOT_ID,
  fsGroupChangePolicy: 'OnRootMismatch',
  runAsGroup: NON_ROOT_ID,
  runAsNonRoot: true,
  runAsUser: NON_ROOT_ID,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

/** The /tmp volume as plain JSON, for pod specs inside custom resources. */
export const TMP_VOLUME_JSON = { name: TMP_VOLUME, emptyDir: { sizeLimit: `${TMP_SIZE_MIB}Mi` } } as const;
export const TMP_MOUNT_JSON = { name: TMP_VOLUME, mountPath: TMP_PATH } as const;

export function restrictedContainerSecurity(): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: NON_ROOT_ID,
    group: NON_ROOT_ID,
    privileged: false,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

/**
 * Pod-level context. cdk8s-plus has no pod-level seccomp field; the restricted profile is
 * met because every container sets RuntimeDefault (the standard accepts either).
 */
export function restrictedPodSecurity(): kplus.PodSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: NON_ROOT_ID,
    group: NON_ROOT_ID,
    fsGroup: NON_ROOT_ID,
    fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
  };
}

export function tmpVolume(scope: Construct, id: string): kplus.Volume {
  return kplus.Volume.fromEmptyDir(scope, id, TMP_VOLUME, { sizeLimit: Size.mebibytes(TMP_SIZE_MIB) });
}
