// Groups, versions and kinds of Kubernetes objects as Gatekeeper's resources name them: what a
// sync requirement or an expansion applies to.

/** The group and version of an apiVersion (`apps/v1` → apps, v1; the core `v1` → '', v1). */
export function groupVersionOf(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Sets of groups, versions and kinds (`*` for any), as sync requirements and expansions list them. */
export interface GroupVersionKinds {
  readonly groups: readonly string[];
  readonly versions: readonly string[];
  readonly kinds: readonly string[];
}

/** Whether an object of this apiVersion and kind is in one of the sets. */
export function inSets(sets: readonly GroupVersionKinds[], object: { apiVersion: string; kind: string }): boolean {
  const { group, version } = groupVersionOf(object.apiVersion);
  const has = (list: readonly string[], value: string) => list.includes('*') || list.includes(value);
  return sets.some((s) => has(s.groups, group) && has(s.versions, version) && has(s.kinds, object.kind));
}
