// Workload identity helpers: a ServiceAccount without a token by default; API access as a Role
// with exactly the given rules (wildcards refused), bound to that one account.
import { describe, expect, it } from 'vitest';
import { createContext } from '../../compiler/render/base/context.js';
import { apiAccess, serviceAccount } from '../../compiler/render/base/identity.js';
import { synthesize } from '../../compiler/render/base/synth.js';
import { exampleSystems } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';

describe('identity', () => {
  it('renders an account with no token, and a Role with exact rules bound to it', async () => {
    const [system] = await exampleSystems();
    const ctx = createContext(system!);
    const role = { component: 'training', workload: `${system!.name}-trigger` };
    serviceAccount(ctx, { role });
    const account = serviceAccount(ctx, { role, name: `${system!.name}-submitter`, automountToken: true });
    apiAccess(ctx, {
      role,
      account,
      rules: [
        { apiGroup: 'argoproj.io', resources: ['workflowtemplates'], verbs: ['get'], resourceNames: ['x-train'] },
        { apiGroup: 'argoproj.io', resources: ['workflows'], verbs: ['create'] },
      ],
    });
    const objects = synthesize(ctx).objects as unknown as Json[];
    const plain = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name.endsWith('-trigger'))!;
    expect(plain.automountServiceAccountToken).toBe(false);
    const r = objects.find((o) => o.kind === 'Role')!;
    expect(r.metadata.name).toBe(`${system!.name}-submitter`);
    expect(r.rules).toEqual([
      { apiGroups: ['argoproj.io'], resourceNames: ['x-train'], resources: ['workflowtemplates'], verbs: ['get'] },
      { apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create'] },
    ]);
    const binding = objects.find((o) => o.kind === 'RoleBinding')!;
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: r.metadata.name });
    expect(binding.subjects).toEqual([
      { apiGroup: '', kind: 'ServiceAccount', name: `${system!.name}-submitter`, namespace: system!.namespace },
    ]);
  });

  it('refuses wildcards and empty rules', async () => {
    const [system] = await exampleSystems();
    const ctx = createContext(system!);
    const role = { component: 'training', workload: 'x' };
    const account = serviceAccount(ctx, { role, name: `${system!.name}-x`, automountToken: true });
    expect(() =>
      apiAccess(ctx, { role, account, rules: [{ apiGroup: '', resources: ['*'], verbs: ['get'] }] }),
    ).toThrow(/wildcard/);
    expect(() =>
      apiAccess(ctx, {
        role,
        name: `${system!.name}-y`,
        account,
        rules: [{ apiGroup: 'apps', resources: ['deployments'], verbs: [] }],
      }),
    ).toThrow(/empty RBAC rule/);
  });

  it('no Role anywhere in the examples uses a wildcard', async () => {
    const { renderedExamples } = await import('./helpers/examples.js');
    for (const { set } of await renderedExamples()) {
      for (const o of set.objects.filter((x) => x.kind === 'Role') as Json[])
        expect(JSON.stringify(o.rules)).not.toContain('*');
    }
  });
});
