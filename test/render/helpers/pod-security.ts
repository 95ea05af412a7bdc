// The Pod Security Standard "restricted" (version latest), as the Pod Security admission
// controller checks it, and Istio's sidecar injection, so that a pod is judged as the API
// server sees it after the mutating webhook ran: with `istio-validation` (the init container
// of Istio CNI) and `istio-proxy` (a native sidecar, i.e. an init container with
// `restartPolicy: Always`, when the pod asks for one; else a regular container).
import type { Json } from './pods.js';

/** Volume types the restricted profile allows. */
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/** Violations of the restricted profile by one pod spec (all of its containers). */
export function restrictedViolations(pod: Json): string[] {
  const v: string[] = [];
  const psc = (pod.securityContext ?? {}) as Json;
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[f] === true) v.push(`${f}: true`);
  for (const vol of (pod.volumes ?? []) as Json[]) {
    const type = Object.keys(vol).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUMES.has(type)) v.push(`volume ${vol.name} has restricted type ${type}`);
  }
  for (const s of (psc.sysctls ?? []) as Json[]) if (!SAFE_SYSCTLS.has(s.name)) v.push(`unsafe sysctl ${s.name}`);
  const podSeccomp = psc.seccompProfile?.type as string | undefined;
  if (podSeccomp !== undefined && podSeccomp !== 'RuntimeDefault' && podSeccomp !== 'Localhost')
    v.push(`pod seccompProfile ${podSeccomp}`);
  const containers = [
    ...((pod.initContainers ?? []) as Json[]),
    ...((pod.containers ?? []) as Json[]),
    ...((pod.ephemeralContainers ?? []) as Json[]),
  ];
  for (const c of containers) {
    const sc = (c.securityContext ?? {}) as Json;
    const at = `container ${c.name}`;
    if (sc.privileged === true) v.push(`${at}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) v.push(`${at}: allowPrivilegeEscalation != false`);
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) v.push(`${at}: runAsNonRoot != true`);
    if (sc.runAsNonRoot === false) v.push(`${at}: runAsNonRoot=false`);
    if ((sc.runAsUser ?? psc.runAsUser) === 0) v.push(`${at}: runAsUser=0`);
    const seccomp = (sc.seccompProfile?.type ?? podSeccomp) as string | undefined;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') v.push(`${at}: seccompProfile ${seccomp ?? 'unset'}`);
    if (!((sc.capabilities?.drop ?? []) as string[]).includes('ALL')) v.push(`${at}: capabilities not dropping ALL`);
    for (const cap of (sc.capabilities?.add ?? []) as string[])
      if (cap !== 'NET_BIND_SERVICE') v.push(`${at}: adds capability ${cap}`);
    for (const p of (c.ports ?? []) as Json[]) if (p.hostPort) v.push(`${at}: hostPort ${p.hostPort}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') v.push(`${at}: procMount ${sc.procMount}`);
  }
  return v;
}

/** Istio's sidecar user (istio-proxy and, with CNI, istio-validation run as 1337). */
const ISTIO_PROXY_UID = 1337;

/** securityContext of the injected containers as Istio's injection template writes them (CNI, defaults). */
const ISTIO_CONTAINER_SECURITY: Json = {
  allowPrivilegeEscalation: false,
  privileged: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsGroup: ISTIO_PROXY_UID,
  runAsUser: ISTIO_PROXY_UID,
  runAsNonRoot: true,
};

/**
 * A pod spec as Istio's webhook leaves it: `istio-validation` first among the init containers,
 * `istio-proxy` as a native sidecar (after it) or as the last regular container, plus Istio's
 * volumes. Pod annotations decide, as they do for the webhook.
 */
export function injectIstio(pod: Json, annotations: Readonly<Record<string, string>>): Json {
  const native = annotations['sidecar.istio.io/nativeSidecar'] === 'true';
  const validation = {
    name: 'istio-validation',
    image: 'docker.io/istio/proxyv2:1.24.0',
    args: ['istio-iptables', '--run-validation', '--skip-rule-apply'],
    securityContext: structuredClone(ISTIO_CONTAINER_SECURITY),
  };
  const proxy = {
    name: 'istio-proxy',
    image: 'docker.io/istio/proxyv2:1.24.0',
    args: ['proxy', 'sidecar'],
    ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    securityContext: structuredClone(ISTIO_CONTAINER_SECURITY),
    volumeMounts: [
      { name: 'istio-envoy', mountPath: '/etc/istio/proxy' },
      { name: 'istio-data', mountPath: '/var/lib/istio/data' },
      { name: 'istio-token', mountPath: '/var/run/secrets/tokens' },
      { name: 'istiod-ca-cert', mountPath: '/var/run/secrets/istio' },
      { name: 'istio-podinfo', mountPath: '/etc/istio/pod' },
    ],
    ...(native ? { restartPolicy: 'Always' } : {}),
  };
  const out = structuredClone(pod);
  out.initContainers = [validation, ...(native ? [proxy] : []), ...((pod.initContainers ?? []) as Json[])];
  out.containers = [...((pod.containers ?? []) as Json[]), ...(native ? [] : [proxy])];
  out.volumes = [
    ...((pod.volumes ?? []) as Json[]),
    { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
    { name: 'istio-data', emptyDir: {} },
    {
      name: 'istio-podinfo',
      downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
    },
    {
      name: 'istio-token',
      projected: { sources: [{ serviceAccountToken: { path: 'istio-token', audience: 'istio-ca' } }] },
    },
    { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
  ];
  return out;
}
