// Validation of rendered objects against the upstream schemas: `kubernetes-models` for core
// kinds, the `@kubernetes-models/*` packages for custom resources. Besides the models' own
// validation (types, required fields, enums), fields the schema does not know are reported:
// the API server would silently drop them, so a typo would pass unnoticed otherwise. They are
// found by recording which properties the model's validator reads.
//
// Kueue has no `@kubernetes-models` package: its kinds are checked against the spec schemas of
// its CRDs, transcribed into a committed JSON schema (fixtures/kueue-v1beta1.schema.json), with ajv.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { K8sObject } from '../../../compiler/render/base/manifest-set.js';

type ModelClass = (new (data: unknown) => { validate(): void }) & { prototype: { validate(this: unknown): void } };

/** apiVersion → module with one class per kind. Argo Rollouts and Workflows share a group. */
const MODULES: Record<string, readonly string[]> = {
  v1: ['kubernetes-models/v1'],
  'apps/v1': ['kubernetes-models/apps/v1'],
  'batch/v1': ['kubernetes-models/batch/v1'],
  'policy/v1': ['kubernetes-models/policy/v1'],
  'autoscaling/v2': ['kubernetes-models/autoscaling/v2'],
  'networking.k8s.io/v1': ['kubernetes-models/networking.k8s.io/v1'],
  'rbac.authorization.k8s.io/v1': ['kubernetes-models/rbac.authorization.k8s.io/v1'],
  'argoproj.io/v1alpha1': [
    '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1',
    '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1',
  ],
  'keda.sh/v1alpha1': ['@kubernetes-models/keda/keda.sh/v1alpha1'],
  'monitoring.coreos.com/v1': ['@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'],
  'security.istio.io/v1': ['@kubernetes-models/istio/security.istio.io/v1'],
  'networking.istio.io/v1': ['@kubernetes-models/istio/networking.istio.io/v1'],
  'gateway.networking.k8s.io/v1': ['@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1'],
};

/** Top-level fields per kind besides apiVersion/kind/metadata (the model copies these unread). */
const TOP_LEVEL: Record<string, readonly string[]> = {
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  ServiceAccount: ['automountServiceAccountToken', 'imagePullSecrets', 'secrets'],
  Role: ['rules'],
  RoleBinding: ['roleRef', 'subjects'],
};

export async function modelClass(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  for (const path of MODULES[apiVersion] ?? []) {
    const mod = (await import(path)) as Record<string, unknown>;
    if (typeof mod[kind] === 'function') return mod[kind] as ModelClass;
  }
  return undefined;
}

function tracked(value: unknown, path: string, seen: Set<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || !Object.hasOwn(target, key)) return v;
      const p = `${path}/${key}`;
      seen.add(p);
      return tracked(v, p, seen);
    },
  });
}

function paths(value: unknown, path: string, out: string[]): string[] {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = `${path}/${k}`;
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

const KUEUE_API_VERSION = 'kueue.x-k8s.io/v1beta1';
/** Kueue kinds and whether they are namespaced. */
const KUEUE_KINDS: Record<string, boolean> = { ResourceFlavor: false, ClusterQueue: false, LocalQueue: true };
let kueueSchemas: Record<string, ValidateFunction> | undefined;

function kueueValidator(kind: string): ValidateFunction {
  if (!kueueSchemas) {
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/kueue-v1beta1.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(schema, 'kueue');
    kueueSchemas = Object.fromEntries(Object.keys(KUEUE_KINDS).map((k) => [k, ajv.getSchema(`kueue#/$defs/${k}`)!]));
  }
  return kueueSchemas[kind]!;
}

function kueueProblems(o: K8sObject, where: string): string[] {
  if (!(o.kind in KUEUE_KINDS)) return [`${where}: no upstream model for ${o.apiVersion} ${o.kind}`];
  const problems: string[] = [];
  const data = JSON.parse(JSON.stringify(o)) as Record<string, any>;
  for (const k of Object.keys(data))
    if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(k))
      problems.push(`${where}: unknown top-level field ${k}`);
  if (KUEUE_KINDS[o.kind] !== (o.metadata.namespace !== undefined))
    problems.push(`${where}: ${KUEUE_KINDS[o.kind] ? 'needs a namespace' : 'is cluster-scoped but has a namespace'}`);
  const validate = kueueValidator(o.kind);
  if (!validate(data.spec ?? {}))
    for (const e of validate.errors ?? []) problems.push(`${where}: /spec${e.instancePath} ${e.message}`);
  // CEL rule of ResourceGroup: every flavor lists the covered resources, in their order.
  for (const [i, group] of ((data.spec?.resourceGroups ?? []) as any[]).entries())
    for (const f of group.flavors ?? [])
      if (JSON.stringify((f.resources ?? []).map((r: any) => r.name)) !== JSON.stringify(group.coveredResources))
        problems.push(`${where}: flavor ${f.name} of resource group ${i} does not list the covered resources in order`);
  return problems;
}

/** Problems of one object: an unknown kind, schema violations, unknown fields. Empty when valid. */
export async function upstreamProblems(o: K8sObject): Promise<string[]> {
  const where = `${o.kind}/${o.metadata.name}`;
  if (o.apiVersion === KUEUE_API_VERSION) return kueueProblems(o, where);
  const Model = await modelClass(o.apiVersion, o.kind);
  if (!Model) return [`${where}: no upstream model for ${o.apiVersion} ${o.kind}`];
  const problems: string[] = [];
  const seen = new Set<string>();
  const data = JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
  const top = new Set(['apiVersion', 'kind', 'metadata', 'spec', ...(TOP_LEVEL[o.kind] ?? [])]);
  for (const k of Object.keys(data)) if (!top.has(k)) problems.push(`${where}: unknown top-level field ${k}`);
  try {
    // The model's constructor deep-copies its input; its validate function is called on the
    // tracked data directly so that only the validator's own reads are recorded.
    Model.prototype.validate.call(tracked(data, '', seen));
  } catch (e) {
    problems.push(`${where}: ${(e as Error).message}`);
  }
  for (const p of paths(data, '', [])) {
    const parent = p.slice(0, p.lastIndexOf('/'));
    // Top-level keys were checked above; below, report only the first unread level.
    if (parent !== '' && !seen.has(p) && seen.has(parent))
      problems.push(`${where}: field ${p} is not in the ${o.kind} schema`);
  }
  return problems;
}
