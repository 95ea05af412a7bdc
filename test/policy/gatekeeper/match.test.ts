// A constraint's `match` with Gatekeeper's semantics, criterion by criterion: what a criterion
// leaves out, and what it cannot judge (cluster-scoped objects for namespace criteria).
import { describe, expect, it } from 'vitest';
import { glob, matches, selects } from '../../../compiler/policy/gatekeeper/match.js';
import type { Match } from '../../../compiler/policy/gatekeeper/resources.js';
import type { K8sObject } from '../../../compiler/render/base/manifest-set.js';

const deployment: K8sObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web-api', namespace: 'team-a', labels: { tier: 'web' } },
};
const clusterRole: K8sObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'reader' },
};
const namespace: K8sObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'team-a', labels: { owner: 'mlspec' } },
};

describe('constraint match', () => {
  it.each<[string, Match, K8sObject, boolean]>([
    ['no criteria match everything', {}, deployment, true],
    ['kind and group', { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] }, deployment, true],
    ['kind in another group', { kinds: [{ apiGroups: [''], kinds: ['Deployment'] }] }, deployment, false],
    ['any group', { kinds: [{ apiGroups: ['*'], kinds: ['Deployment'] }] }, deployment, true],
    ['any kind', { kinds: [{ apiGroups: ['apps'], kinds: ['*'] }] }, deployment, true],
    [
      'one of several kinds entries',
      { kinds: [{ kinds: ['Pod'] }, { apiGroups: ['apps'], kinds: ['Deployment'] }] },
      deployment,
      true,
    ],
    ['core group is ""', { kinds: [{ apiGroups: [''], kinds: ['Namespace'] }] }, namespace, true],
    ['scope Namespaced', { scope: 'Namespaced' }, deployment, true],
    ['scope Cluster leaves namespaced objects out', { scope: 'Cluster' }, deployment, false],
    ['a Namespace is cluster-scoped', { scope: 'Cluster' }, namespace, true],
    ['a Namespace is not Namespaced', { scope: 'Namespaced' }, namespace, false],
    ['namespaces', { namespaces: ['team-a'] }, deployment, true],
    ['namespaces, prefix glob', { namespaces: ['team-*'] }, deployment, true],
    ['namespaces, suffix glob', { namespaces: ['*-a'] }, deployment, true],
    ['namespaces not listed', { namespaces: ['team-b'] }, deployment, false],
    ['namespaces match a Namespace by its name', { namespaces: ['team-b'] }, namespace, false],
    ['namespaces cannot leave a cluster-scoped object out', { namespaces: ['team-b'] }, clusterRole, true],
    ['excludedNamespaces', { excludedNamespaces: ['team-*'] }, deployment, false],
    ['excludedNamespaces, other', { excludedNamespaces: ['kube-*'] }, deployment, true],
    ['excludedNamespaces cannot leave a cluster-scoped object out', { excludedNamespaces: ['*'] }, clusterRole, true],
    ['labelSelector matchLabels', { labelSelector: { matchLabels: { tier: 'web' } } }, deployment, true],
    ['labelSelector other value', { labelSelector: { matchLabels: { tier: 'db' } } }, deployment, false],
    [
      'namespaceSelector on the object’s Namespace',
      { namespaceSelector: { matchLabels: { owner: 'mlspec' } } },
      deployment,
      true,
    ],
    [
      'namespaceSelector not selecting it',
      { namespaceSelector: { matchLabels: { owner: 'other' } } },
      deployment,
      false,
    ],
    [
      'namespaceSelector on a Namespace: its own labels',
      { namespaceSelector: { matchLabels: { owner: 'mlspec' } } },
      namespace,
      true,
    ],
    [
      'namespaceSelector holds for cluster-scoped objects',
      { namespaceSelector: { matchLabels: { owner: 'x' } } },
      clusterRole,
      true,
    ],
    ['name', { name: 'web-api' }, deployment, true],
    ['name glob', { name: 'web-*' }, deployment, true],
    ['name other', { name: 'db' }, deployment, false],
  ])('%s', (_, match, object, want) => {
    expect(matches(match, object, namespace)).toBe(want);
  });

  it('a namespaceSelector on an object whose Namespace is unknown cannot be judged: an error, not a pass', () => {
    expect(matches({ namespaceSelector: { matchLabels: { owner: 'mlspec' } } }, deployment, undefined)).toEqual({
      error: expect.stringContaining('Namespace team-a'),
    });
  });

  it('label selector expressions', () => {
    const labels = { tier: 'web', env: 'prod' };
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'gone', operator: 'NotIn', values: ['db'] }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    // matchLabels and expressions are ANDed.
    expect(
      selects(
        { matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] },
        labels,
      ),
    ).toBe(false);
  });

  it('globs only at the front or the end', () => {
    expect(glob('kube-*', 'kube-system')).toBe(true);
    expect(glob('*-system', 'gatekeeper-system')).toBe(true);
    expect(glob('kube', 'kube-system')).toBe(false);
    expect(glob('*', 'anything')).toBe(true);
  });

  it('a glob at both ends matches anywhere in the name, as Gatekeeper’s wildcard does', () => {
    expect(glob('*-team-*', 'ml-team-a')).toBe(true);
    expect(glob('*-team-*', 'ml-crew-a')).toBe(false);
    expect(matches({ namespaces: ['*team*'] }, deployment, namespace)).toBe(true);
    expect(matches({ excludedNamespaces: ['*team*'] }, deployment, namespace)).toBe(false);
  });

  it('`name` also matches an object that has only a generateName, by its prefix', () => {
    const generated: K8sObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: '', generateName: 'train-', namespace: 'team-a' } as K8sObject['metadata'],
    };
    expect(matches({ name: 'train-*' }, generated, namespace)).toBe(true);
    expect(matches({ name: '*-run' }, generated, namespace)).toBe(false);
    expect(matches({ name: 'eval-*' }, generated, namespace)).toBe(false);
  });
});
