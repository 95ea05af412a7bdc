// Gatekeeper's ExpansionTemplates: admission reviews a workload also as the resource its
// controller will create from it (a Deployment's `spec.template` as a Pod), so constraints written
// for Pods judge workloads before any Pod exists. The resultant is the template source with the
// generated kind, the parent's namespace and the name `<parent>-<kind>`, lower-cased; its
// violations are the parent's, prefixed `[Implied by <template>]`, with the expansion's
// enforcementAction when it gives one.
import type { K8sObject } from '../../render/base/manifest-set.js';
import type { FindingSeverity } from '../finding.js';
import { inSets } from './kinds.js';
import type { Read, Where } from './resources.js';

export const EXPANSION_GROUP = 'expansion.gatekeeper.sh';

export interface ExpansionTemplate extends Where {
  readonly name: string;
  readonly applyTo: readonly { readonly groups: string[]; readonly kinds: string[]; readonly versions: string[] }[];
  /** `templateSource` split at its dots, e.g. `["spec", "template"]`. */
  readonly source: readonly string[];
  readonly generated: { readonly group: string; readonly version: string; readonly kind: string };
  readonly severity?: FindingSeverity;
}

export interface Resultant {
  readonly template: ExpansionTemplate;
  readonly object: K8sObject;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const ACTIONS: Readonly<Record<string, FindingSeverity>> = { deny: 'deny', warn: 'warn', dryrun: 'info' };

export function readExpansion(doc: Obj, where: Where): Read<ExpansionTemplate> {
  const name = isObj(doc.metadata) ? doc.metadata.name : undefined;
  if (typeof name !== 'string' || !name) return { ok: false, message: 'an ExpansionTemplate needs `metadata.name`' };
  const bad = (what: string): Read<ExpansionTemplate> => ({ ok: false, message: `ExpansionTemplate ${name}: ${what}` });
  const spec = isObj(doc.spec) ? doc.spec : {};
  const applyTo = Array.isArray(spec.applyTo) ? spec.applyTo : [];
  if (
    applyTo.length === 0 ||
    !applyTo.every((a) => isObj(a) && strings(a.groups) && strings(a.kinds) && strings(a.versions))
  )
    return bad('`applyTo` needs entries with `groups`, `kinds` and `versions` (lists of strings)');
  if (typeof spec.templateSource !== 'string' || !spec.templateSource) return bad('`templateSource` is empty');
  const gvk = isObj(spec.generatedGVK) ? spec.generatedGVK : {};
  if (typeof gvk.kind !== 'string' || !gvk.kind || typeof gvk.version !== 'string')
    return bad('`generatedGVK` needs a `kind` and a `version`');
  const action = spec.enforcementAction;
  if (action !== undefined && action !== '' && !(typeof action === 'string' && action in ACTIONS))
    return bad('`enforcementAction` must be deny, warn or dryrun');
  return {
    ok: true,
    value: {
      ...where,
      name,
      applyTo: applyTo as ExpansionTemplate['applyTo'],
      source: spec.templateSource.split('.'),
      generated: { group: typeof gvk.group === 'string' ? gvk.group : '', version: gvk.version, kind: gvk.kind },
      ...(typeof action === 'string' && action in ACTIONS ? { severity: ACTIONS[action] } : {}),
    },
  };
}

/** The resultants of an object: one per ExpansionTemplate that applies to its kind. */
export function expand(object: K8sObject, templates: readonly ExpansionTemplate[]): Resultant[] | { error: string } {
  const out: Resultant[] = [];
  for (const t of templates) {
    if (!inSets(t.applyTo, object)) continue;
    let source: unknown = object;
    for (const key of t.source) source = isObj(source) ? source[key] : undefined;
    if (!isObj(source))
      return {
        error: `ExpansionTemplate ${t.name}: ${object.kind} ${object.metadata.name} has no \`${t.source.join('.')}\``,
      };
    const metadata = isObj(source.metadata) ? source.metadata : {};
    const g = t.generated;
    out.push({
      template: t,
      object: {
        ...source,
        apiVersion: g.group ? `${g.group}/${g.version}` : g.version,
        kind: g.kind,
        metadata: {
          ...metadata,
          name: `${object.metadata.name}-${g.kind}`.toLowerCase(),
          ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
        },
      } as K8sObject,
    });
  }
  return out;
}
