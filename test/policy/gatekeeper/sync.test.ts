// What a template's `requires-sync-data` annotation makes Gatekeeper sync into data.inventory.
import { describe, expect, it } from 'vitest';
import { isSynced, syncKinds, unionOf } from '../../../compiler/policy/gatekeeper/sync.js';

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };
const service = { apiVersion: 'v1', kind: 'Service' };
const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' };

describe('requires-sync-data', () => {
  it('reads the JSON list of requirements, also when written as a quoted block', () => {
    const plain = syncKinds('[[{"groups": ["apps"], "versions": ["v1"], "kinds": ["Deployment"]}]]');
    const quoted = syncKinds('"[\n  [\n    {"groups": [""], "versions": ["v1"], "kinds": ["Service"]}\n  ]\n]"\n');
    expect(isSynced(plain, deployment)).toBe(true);
    expect(isSynced(plain, service)).toBe(false);
    expect(isSynced(quoted, service)).toBe(true);
    expect(isSynced(quoted, { apiVersion: 'v1', kind: 'Pod' })).toBe(false);
  });

  it('every set of every requirement is synced, and templates see the union', () => {
    const two = syncKinds(
      '[[{"groups": ["apps"], "versions": ["v1"], "kinds": ["Deployment"]}], ' +
        '[{"groups": ["extensions", "networking.k8s.io"], "versions": ["v1beta1", "v1"], "kinds": ["Ingress"]}]]',
    );
    expect([deployment, ingress].map((o) => isSynced(two, o))).toEqual([true, true]);
    const union = unionOf([syncKinds('[[{"groups": [""], "versions": ["v1"], "kinds": ["Service"]}]]'), two]);
    expect([deployment, ingress, service].map((o) => isSynced(union, o))).toEqual([true, true, true]);
  });

  it('wildcards match any group, version or kind', () => {
    const any = syncKinds('[[{"groups": ["*"], "versions": ["*"], "kinds": ["Deployment"]}]]');
    expect(isSynced(any, deployment)).toBe(true);
    expect(isSynced(any, { apiVersion: 'apps/v1beta2', kind: 'Deployment' })).toBe(true);
    expect(isSynced(any, service)).toBe(false);
  });

  it('an annotation that cannot be read syncs everything: never less than a template may ask for', () => {
    for (const text of ['Ingress', '[{"kinds": "Ingress"}]', '{}', '[[{"groups": [""]}]]'])
      expect(isSynced(syncKinds(text), service)).toBe(true);
    expect(isSynced(unionOf([syncKinds('nonsense'), syncKinds('[]')]), ingress)).toBe(true);
  });
});
