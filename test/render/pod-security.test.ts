// Every pod template of every example in every environment (and of the variant specs) meets
// the Pod Security Standard "restricted", runs under its own ServiceAccount, mounts an API
// token only when bound to a Role, and sets requests and limits on every container.
import { describe, expect, it } from 'vitest';
import { renderSystem } from '../../compiler/render/system.js';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { renderedExamples, variantSystems } from './helpers/examples.js';
import { podTemplates, type Json, type PodTemplate } from './helpers/pods.js';

const REQUIRED_RESOURCES = ['cpu', 'memory'];

function containerProblems(where: string, c: Json, pod: Json): string[] {
  const p: string[] = [];
  const sc = (c.securityContext ?? {}) as Json;
  const at = `${where} container ${c.name}`;
  if (sc.allowPrivilegeEscalation !== false) p.push(`${at}: allowPrivilegeEscalation is not false`);
  if (sc.privileged === true) p.push(`${at}: privileged`);
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) p.push(`${at}: capabilities not dropped`);
  if ((sc.capabilities?.add ?? []).length > 0) p.push(`${at}: adds capabilities`);
  if (sc.readOnlyRootFilesystem !== true) p.push(`${at}: root filesystem writable`);
  const nonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
  if (nonRoot !== true) p.push(`${at}: runAsNonRoot is not true`);
  const uid = sc.runAsUser ?? pod.securityContext?.runAsUser;
  if (typeof uid !== 'number' || uid === 0) p.push(`${at}: no non-root runAsUser`);
  const seccomp = sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') p.push(`${at}: seccomp profile is ${seccomp}`);
  for (const kind of ['requests', 'limits']) {
    for (const r of REQUIRED_RESOURCES) if (c.resources?.[kind]?.[r] === undefined) p.push(`${at}: no ${r} ${kind}`);
  }
  for (const port of (c.ports ?? []) as Json[]) if (port.hostPort !== undefined) p.push(`${at}: hostPort`);
  return p;
}

function podProblems(t: PodTemplate, set: ManifestSet): string[] {
  const p: string[] = [];
  const pod = t.pod;
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[f] === true) p.push(`${t.where}: ${f}`);
  for (const v of (pod.volumes ?? []) as Json[]) if (v.hostPath) p.push(`${t.where}: hostPath volume ${v.name}`);
  const account = pod.serviceAccountName as string | undefined;
  if (!account || account === 'default') p.push(`${t.where}: runs under the default ServiceAccount`);
  else if (!set.objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === account))
    p.push(`${t.where}: ServiceAccount ${account} is not rendered`);
  if (pod.automountServiceAccountToken !== false) {
    const bound = set.objects.some(
      (o) =>
        o.kind === 'RoleBinding' &&
        ((o.subjects ?? []) as Json[]).some((s) => s.kind === 'ServiceAccount' && s.name === account),
    );
    if (!bound) p.push(`${t.where}: mounts an API token but its account has no RoleBinding`);
  }
  for (const c of [...t.containers, ...t.initContainers]) p.push(...containerProblems(t.where, c, pod));
  return p;
}

function problemsOf(set: ManifestSet): { pods: number; problems: string[] } {
  const templates = set.objects.flatMap(podTemplates);
  return {
    pods: templates.length,
    problems: templates.flatMap((t) => podProblems(t, set)).map((x) => `${set.environment}/${set.system} ${x}`),
  };
}

describe('pod security', () => {
  it('every pod template of every example in every environment is restricted', async () => {
    const all = await renderedExamples();
    let pods = 0;
    const problems: string[] = [];
    for (const { system, set } of all) {
      const r = problemsOf(set);
      pods += r.pods;
      problems.push(...r.problems);
      // At least every serving tier has a pod template (in its Deployment).
      expect(r.pods, `${set.environment}/${set.system}`).toBeGreaterThanOrEqual(
        Object.keys(system.spec.serving.tiers).length,
      );
    }
    expect(pods).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('every pod template of the variant specs is restricted', async () => {
    const problems = (await variantSystems()).flatMap((s) => problemsOf(renderSystem(s)).problems);
    expect(problems).toEqual([]);
  });

  it('the check finds a violation', async () => {
    const { set } = (await renderedExamples()).find(
      (r) => r.set.environment === 'dev' && r.set.system === 'card-fraud',
    )!;
    const broken = structuredClone(set) as any;
    const deployment = broken.objects.find(
      (o: Json) => o.kind === 'Deployment' && o.metadata.name === 'card-fraud-standard',
    );
    deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
    delete deployment.spec.template.spec.initContainers[0].resources.limits.memory;
    deployment.spec.template.spec.automountServiceAccountToken = true;
    const problems = problemsOf(broken).problems;
    expect(problems.some((p) => p.includes('root filesystem writable'))).toBe(true);
    expect(problems.some((p) => p.includes('no memory limits'))).toBe(true);
    expect(problems.some((p) => p.includes('has no RoleBinding'))).toBe(true);
  });
});
