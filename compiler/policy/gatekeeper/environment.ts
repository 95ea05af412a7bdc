// The Gatekeeper review of a whole environment, after every system in it is rendered. Two
// things need the environment rather than one system: the objects the environment itself owns
// (its Namespaces and quotas, which Argo CD creates like any other), judged by every constraint;
// and constraints whose template reads `data.inventory` (unique hosts, targets that must exist),
// which see the synced objects of every system of the environment on the same cluster (each
// cluster runs its own Gatekeeper), with the environment's own objects.
import type { K8sObject } from '../../render/base/manifest-set.js';
import type { EvalLimits } from '../../rego/engine.js';
import type { Finding } from '../finding.js';
import {
  type GatekeeperSetSpec,
  type HeldObject,
  judgedConstraints,
  judgeObject,
  readsInventory,
} from './admission.js';
import { type Inventory, inventoryOf } from './review.js';
import { isSynced, unionOf } from './sync.js';

export interface EnvironmentObjectRef {
  readonly object: K8sObject;
  /** Its path in the output, relative to the output folder (`prod/namespace-fraud.yaml`). */
  readonly path: string;
  /** The system its findings are filed under (the first, by name, of those it serves). */
  readonly system: string;
  /** Where the platform config decides it (`platform:/teams/fraud/namespace`). */
  readonly pointer: string;
}

export interface EnvironmentInput {
  readonly environment: string;
  readonly objects: readonly EnvironmentObjectRef[];
  /** The objects each system's worker held back, by system, with the cluster it runs on. */
  readonly held: readonly {
    readonly system: string;
    readonly cluster: string;
    readonly objects: readonly HeldObject[];
  }[];
}

const EMPTY: Inventory = { cluster: {}, namespace: {} };

export interface PreparedEnvironmentReview {
  review(env: EnvironmentInput): Finding[];
}

export function prepareEnvironmentReview(
  spec: GatekeeperSetSpec,
  limits: Partial<EvalLimits> | undefined,
): PreparedEnvironmentReview {
  const all = judgedConstraints(spec);
  const inventoryReaders = all.filter(readsInventory);
  const synced = unionOf(inventoryReaders.map((j) => j.template.template.syncs!));
  const expansions = spec.expansions ?? [];
  return {
    review(env) {
      const own = env.objects.map((o) => o.object);
      // The environment's own objects are judged with what every cluster of it holds.
      const inventoryOn = (cluster: string | undefined) =>
        inventoryReaders.length === 0
          ? EMPTY
          : inventoryOf(
              own
                .concat(
                  env.held.flatMap((h) => (!cluster || h.cluster === cluster ? h.objects.map((o) => o.object) : [])),
                )
                .filter((o) => isSynced(synced, o)),
            );
      const namespaces = new Map(own.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o]));
      const context = (cluster: string | undefined) => ({
        namespaceOf: (ns: string) => namespaces.get(ns),
        inventory: inventoryOn(cluster),
        expansions,
        limits,
      });
      const findings: Finding[] = [];
      const everywhere = context(undefined);
      for (const o of env.objects) {
        const base = { system: o.system, environment: env.environment, pointer: o.pointer };
        for (const f of judgeObject(all, o.object, { ...everywhere, base }))
          findings.push({ ...f, object: { ...f.object!, path: o.path } });
      }
      const clusters = new Map<string, ReturnType<typeof context>>();
      for (const h of env.held) {
        if (!clusters.has(h.cluster)) clusters.set(h.cluster, context(h.cluster));
        for (const { object, source } of h.objects) {
          const base = { system: h.system, environment: env.environment, pointer: source };
          findings.push(...judgeObject(inventoryReaders, object, { ...clusters.get(h.cluster)!, base }));
        }
      }
      return findings;
    },
  };
}
