// Chart → ManifestSet. cdk8s renders the objects; this step makes them ours: bookkeeping
// labels cdk8s-plus adds (`cdk8s.io/*`) are removed, lineage annotations are added, keys are
// sorted with apiVersion/kind/metadata first, objects are put in the fixed order, and the
// invariants every object must meet are checked (they are bugs, not user errors).
import { ApiObject, type Chart } from 'cdk8s';
import type { RenderContext } from './context.js';
import { LABEL, objectLineage, systemLineage } from './labels.js';
import { compareObjects, type K8sObject, type ManifestSet } from './manifest-set.js';
import { MAX_NAME_LENGTH } from './names.js';
import { sortKeys } from '../../../core/canonical-json.js';

const CDK8S_PREFIX = 'cdk8s.io/';
const REQUIRED_LABELS = [
  LABEL.system,
  LABEL.team,
  LABEL.environment,
  LABEL.mlComponent,
  LABEL.component,
  LABEL.name,
  LABEL.managedBy,
];

/** The bookkeeping keys cdk8s-plus adds (labels, selectors, annotations): not ours to emit. */
const isCdk8sKey = (key: string) => key.startsWith(CDK8S_PREFIX);

/** Keys sorted at every level, with `apiVersion`, `kind`, `metadata` first at the top. */
export function canonicalObject(object: Record<string, unknown>): K8sObject {
  const sorted = sortKeys(object, isCdk8sKey) as Record<string, unknown>;
  const { apiVersion, kind, metadata, ...rest } = sorted;
  return { apiVersion, kind, metadata, ...rest } as K8sObject;
}

function check(o: K8sObject, namespace: string): void {
  const where = `${o.kind}/${o.metadata.name}`;
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(o.metadata.name) || o.metadata.name.length > MAX_NAME_LENGTH)
    throw new Error(`internal: ${where} has an invalid name`);
  if (o.metadata.namespace !== namespace) throw new Error(`internal: ${where} is not in namespace ${namespace}`);
  const missing = REQUIRED_LABELS.filter((l) => !o.metadata.labels?.[l]);
  if (missing.length) throw new Error(`internal: ${where} lacks labels ${missing.join(', ')}`);
}

/**
 * The chart's objects as JSON. `chart.toJson()` would also build cdk8s's dependency graph to
 * order objects; the order is ours (compareObjects), and that graph cost a third of the
 * rendering time for hundreds of systems. Construct validation (cdk8s-plus checks) still runs.
 */
function chartObjects(chart: Chart): Record<string, unknown>[] {
  const all = chart.node.findAll();
  const errors = all.flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`internal: invalid constructs:\n  ${errors.join('\n  ')}`);
  // cdk8s sorts keys unless this is set; `canonical` sorts them (by code unit) anyway.
  const before = process.env.CDK8S_DISABLE_SORT;
  process.env.CDK8S_DISABLE_SORT = '1';
  try {
    return all.filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson() as Record<string, unknown>);
  } finally {
    if (before === undefined) delete process.env.CDK8S_DISABLE_SORT;
    else process.env.CDK8S_DISABLE_SORT = before;
  }
}

export function synthesize(ctx: RenderContext): ManifestSet {
  const objects = chartObjects(ctx.chart).map((raw) => {
    const o = raw as Record<string, unknown> & { metadata: Record<string, unknown> };
    const component = (o.metadata.labels as Record<string, string> | undefined)?.[LABEL.mlComponent] ?? '';
    const lineage = objectLineage(ctx.system, component);
    const annotations = { ...((o.metadata.annotations as Record<string, string> | undefined) ?? {}), ...lineage };
    const object = canonicalObject({ ...o, metadata: { ...o.metadata, annotations } });
    check(object, ctx.system.namespace);
    return object;
  });
  objects.sort(compareObjects);
  // Two objects of one kind and name (a tier named like a generated object) are not an error
  // here: the policy stage's ownership check reports them at the spec lines they come from.
  const seen = new Map<string, number>();
  const sources = objects.map((o) => {
    // Objects of one kind sharing a name come from different places: the n-th takes the n-th source.
    const key = `${o.kind}/${o.metadata.name}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const known = ctx.sources.get(o.metadata.name) ?? [''];
    return known[Math.min(n, known.length - 1)]!;
  });
  return {
    environment: ctx.system.environment,
    system: ctx.system.name,
    namespace: ctx.system.namespace,
    objects,
    sources,
    lineage: systemLineage(ctx.system, ctx.options),
  };
}
