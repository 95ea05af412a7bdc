// What a template's Rego sees: `input.review`, the admission request for creating the object (as
// Gatekeeper's webhook builds it), `input.parameters`, the constraint's parameters, and
// `data.inventory`, the objects Gatekeeper has synced from the cluster, laid out as
// `inventory.namespace[ns][apiVersion][kind][name]` and `inventory.cluster[apiVersion][kind][name]`.
import type { K8sObject } from '../../render/base/manifest-set.js';
import { groupVersionOf } from './kinds.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function admissionReview(object: K8sObject): Record<string, unknown> {
  const { group, version } = groupVersionOf(object.apiVersion);
  return {
    kind: { group, version, kind: object.kind },
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    operation: 'CREATE',
    object,
    dryRun: false,
  };
}

export type Inventory = {
  cluster: Record<string, Record<string, Record<string, K8sObject>>>;
  namespace: Record<string, Record<string, Record<string, Record<string, K8sObject>>>>;
};

export function inventoryOf(objects: readonly K8sObject[]): Inventory {
  const inventory: Inventory = { cluster: {}, namespace: {} };
  const at = <T>(node: Record<string, T>, key: string, empty: () => T): T => {
    if (!Object.hasOwn(node, key)) node[key] = empty();
    return node[key]!;
  };
  for (const o of objects) {
    const ns = o.metadata.namespace;
    const byVersion = ns ? at<Inventory['cluster']>(inventory.namespace, ns, () => ({})) : inventory.cluster;
    const byKind = at<Record<string, Record<string, K8sObject>>>(byVersion, o.apiVersion, () => ({}));
    at<Record<string, K8sObject>>(byKind, o.kind, () => ({}))[o.metadata.name] = o;
  }
  return inventory;
}

/** What `gator verify` reviews: `input.review`, and the objects its constraint is matched against. */
export interface SuiteReview {
  readonly review: Obj;
  /** The object, then the old object, when given: a constraint applies when it matches either. */
  readonly subjects: readonly K8sObject[];
  /** The namespace Gatekeeper looks up for a namespaceSelector (the request's). */
  readonly namespace: string;
}

/**
 * `input.review` as gator builds it from an object given as is: Go's AdmissionRequest with only
 * its kind, name, namespace and object set, so no operation, no user and a null oldObject.
 */
export function objectReview(object: Obj & { apiVersion: string; kind: string }): SuiteReview {
  const { apiVersion, kind } = object;
  const { group, version } = groupVersionOf(apiVersion);
  const subject = asSubject(object);
  const { name, namespace = '' } = subject.metadata;
  const request: Obj = {
    kind: { group, version, kind },
    object,
    ...(name ? { name } : {}),
    ...(namespace ? { namespace } : {}),
  };
  return { review: admissionRequest(request), subjects: [subject], namespace };
}

/** The object as matching reads it: metadata (and a name) even where the YAML gives none. */
const asSubject = (o: Obj): K8sObject =>
  ({ ...o, metadata: { name: '', ...(isObj(o.metadata) ? o.metadata : {}) } }) as K8sObject;

/**
 * The request of an AdmissionReview as Gatekeeper decodes it into Go's AdmissionRequest: every
 * field present, unset ones empty. Only a DELETE is reviewed as its oldObject (and needs one).
 */
export function requestReview(request: Obj): SuiteReview | { error: string } {
  // A string is why the object cannot be reviewed.
  const subject = (v: unknown, what: string): K8sObject | undefined | string => {
    if (v === undefined || v === null) return undefined;
    if (!isObj(v) || typeof v.kind !== 'string' || typeof v.apiVersion !== 'string')
      return `the AdmissionRequest's ${what} needs an apiVersion and a kind`;
    return asSubject(v);
  };
  const object = subject(request.object, 'object');
  const old = subject(request.oldObject, 'oldObject');
  if (typeof object === 'string') return { error: object };
  if (typeof old === 'string') return { error: old };
  if (!object && !old) return { error: 'the AdmissionRequest has no object or oldObject to review' };
  const review = admissionRequest(request);
  if (review.operation === 'DELETE') {
    if (!old) return { error: 'the DELETE AdmissionRequest has no oldObject to review' };
    review.object = review.oldObject;
  }
  const namespace = typeof request.namespace === 'string' ? request.namespace : '';
  return { review, subjects: [object, old].filter((o): o is K8sObject => o !== undefined), namespace };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const kindOf = (v: unknown) => ({
  group: text(isObj(v) && v.group),
  version: text(isObj(v) && v.version),
  kind: text(isObj(v) && v.kind),
});
const resourceOf = (v: unknown) => ({
  group: text(isObj(v) && v.group),
  version: text(isObj(v) && v.version),
  resource: text(isObj(v) && v.resource),
});

/** The JSON of Go's AdmissionRequest: fields Go leaves out when empty are left out. */
function admissionRequest(r: Obj): Obj {
  const out: Obj = { uid: text(r.uid), kind: kindOf(r.kind), resource: resourceOf(r.resource) };
  for (const key of ['subResource', 'requestSubResource', 'name', 'namespace']) if (text(r[key])) out[key] = r[key];
  if (isObj(r.requestKind)) out.requestKind = kindOf(r.requestKind);
  if (isObj(r.requestResource)) out.requestResource = resourceOf(r.requestResource);
  out.operation = text(r.operation);
  const user = isObj(r.userInfo) ? r.userInfo : {};
  out.userInfo = Object.fromEntries(
    ['username', 'uid', 'groups', 'extra']
      .map((k) => [k, user[k]] as const)
      .filter(([, v]) =>
        typeof v === 'string' ? v !== '' : Array.isArray(v) ? v.length > 0 : isObj(v) && Object.keys(v).length > 0,
      ),
  );
  out.object = isObj(r.object) ? r.object : null;
  out.oldObject = isObj(r.oldObject) ? r.oldObject : null;
  if (typeof r.dryRun === 'boolean') out.dryRun = r.dryRun;
  out.options = isObj(r.options) ? r.options : null;
  return out;
}
