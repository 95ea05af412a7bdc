// What Gatekeeper syncs into `data.inventory` for a template that says it reads it: the
// `metadata.gatekeeper.sh/requires-sync-data` annotation lists requirements, each a list of
// group/version/kind sets (`[[{"groups": [...], "versions": [...], "kinds": [...]}]]`). A
// cluster syncs at least every kind the templates it runs list, so every template that reads the
// inventory sees the union. The annotation is often written as a quoted block of JSON; when it
// cannot be read, everything is synced: a template is never given less than it may ask for.
import type { K8sObject } from '../../render/base/manifest-set.js';
import { type GroupVersionKinds, inSets } from './kinds.js';

export type SyncKind = GroupVersionKinds;

/** The kinds a template asks to be synced, or `'all'` when its annotation cannot be read. */
export function syncKinds(annotation: unknown): readonly SyncKind[] | 'all' {
  if (typeof annotation !== 'string') return 'all';
  let text = annotation.trim();
  if (text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'all';
  }
  if (!Array.isArray(parsed)) return 'all';
  const kinds: SyncKind[] = [];
  for (const requirement of parsed) {
    if (!Array.isArray(requirement)) return 'all';
    for (const gvk of requirement) {
      const g = gvk as Record<string, unknown> | null;
      const list = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
      if (!g || !list(g.groups) || !list(g.versions) || !list(g.kinds)) return 'all';
      kinds.push({ groups: g.groups as string[], versions: g.versions as string[], kinds: g.kinds as string[] });
    }
  }
  return kinds;
}

/** The union of what several templates ask for. */
export function unionOf(lists: readonly (readonly SyncKind[] | 'all')[]): readonly SyncKind[] | 'all' {
  return lists.includes('all') ? 'all' : (lists as (readonly SyncKind[])[]).flat();
}

/** Whether an object of this apiVersion and kind is synced. */
export function isSynced(kinds: readonly SyncKind[] | 'all', object: Pick<K8sObject, 'apiVersion' | 'kind'>): boolean {
  return kinds === 'all' || inSets(kinds, object);
}
