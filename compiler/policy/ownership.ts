// One object, one owner: across all systems of an environment, no two rendered objects may share
// an identity (API group, kind, namespace, name). Two systems claiming one object would overwrite
// each other in `out/`, and under one Argo CD application per system they would fight over it.
// This check is always on (it is not a policy that can be waived or turned off).
import { quote } from '../../core/diagnostics/quote.js';
import { error, type Diagnostic, type SourceLocation } from '../../core/diagnostics/diagnostic.js';
import type { K8sObject } from '../render/base/manifest-set.js';

/** A rendered object's identity, with the system and spec element it comes from. */
export interface ObjectClaim {
  readonly environment: string;
  readonly system: string;
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** JSON pointer into the system's spec. */
  readonly pointer: string;
}

export function claimOf(environment: string, system: string, object: K8sObject, pointer: string): ObjectClaim {
  const slash = object.apiVersion.indexOf('/');
  return {
    environment,
    system,
    group: slash < 0 ? '' : object.apiVersion.slice(0, slash),
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    pointer,
  };
}

/** Locates a pointer of a system's spec in one environment. */
export type Locator = (environment: string, system: string, pointer: string) => SourceLocation | undefined;

const describe = (c: ObjectClaim) =>
  `${c.kind} ${quote(c.name)}${c.namespace ? ` in namespace ${quote(c.namespace)}` : ''}`;

/** One error per claimant of every object claimed more than once, at the spec element it comes from. */
export function ownershipConflicts(claims: Iterable<ObjectClaim>, locate: Locator): Diagnostic[] {
  const byIdentity = new Map<string, ObjectClaim[]>();
  for (const c of claims) {
    const key = JSON.stringify([c.environment, c.group, c.kind, c.namespace, c.name]);
    const list = byIdentity.get(key);
    if (list) list.push(c);
    else byIdentity.set(key, [c]);
  }
  const out: Diagnostic[] = [];
  for (const list of byIdentity.values()) {
    if (list.length < 2) continue;
    for (const c of list) {
      const others = list
        .filter((o) => o !== c)
        .map((o) =>
          o.system === c.system
            ? `another part of ${quote(o.system)} (${o.pointer || '/'})`
            : `system ${quote(o.system)}`,
        );
      out.push(
        error(
          'object_collision',
          `${describe(c)} (environment ${c.environment}) is also rendered by ${[...new Set(others)].join(' and ')}`,
          {
            pointer: c.pointer,
            ...(locate(c.environment, c.system, c.pointer)
              ? { location: locate(c.environment, c.system, c.pointer)! }
              : {}),
            hint:
              'Rename the tier, view or system so that its generated object names differ; each object has one ' +
              'owner.',
          },
        ),
      );
    }
  }
  return out;
}
