// Gatekeeper's two resources as mlspec reads them: a ConstraintTemplate (the Rego, or CEL, that
// decides, and the kind of constraint it defines) and a constraint (an instance of that kind: which
// objects it matches, its parameters and what admission does with a violation). Plain data, so
// that render workers receive them like the Rego policies.
import type { FindingSeverity } from '../finding.js';
import { packageOf } from '../metadata.js';
import { groupVersionOf } from './kinds.js';
import { type SyncKind, syncKinds } from './sync.js';

export const TEMPLATE_GROUP = 'templates.gatekeeper.sh';
export const CONSTRAINT_GROUP = 'constraints.gatekeeper.sh';
/** The only target Gatekeeper's validating webhook evaluates. */
export const ADMISSION_TARGET = 'admission.k8s.gatekeeper.sh';
/** A template that reads `data.inventory` says so with this annotation (Gatekeeper syncs what it lists). */
export const SYNC_ANNOTATION = 'metadata.gatekeeper.sh/requires-sync-data';

export interface Where {
  readonly file: string;
  readonly line: number;
}

export interface TemplateRego {
  readonly source: string;
  readonly libs: readonly string[];
  /** Rego syntax: Gatekeeper reads templates as v0 unless `source.version: v1`. */
  readonly version: 0 | 1;
  /** The package of `source`: violations are `data.<package>.violation`. */
  readonly package: string;
  /** JSON pointer of the object holding `rego` and `libs` in the template's document. */
  readonly pointer: string;
  /** Lines of the file where `rego` and each lib are written (for errors), when known. */
  readonly line?: number;
  readonly libLines?: readonly number[];
}

export interface GatekeeperTemplate extends Where {
  readonly name: string;
  /** The constraint kind it defines (`spec.crd.spec.names.kind`). */
  readonly kind: string;
  /** Absent when the template's only code is CEL (K8sNativeValidation): unsupported here. */
  readonly rego?: TemplateRego;
  readonly engines: readonly string[];
  /** What it needs synced into `data.inventory` (its sync annotation); absent when it needs nothing. */
  readonly syncs?: readonly SyncKind[] | 'all';
  /** The schema of its constraints' parameters (`openAPIV3Schema`), when it gives one. */
  readonly schema?: unknown;
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
  }[];
}

export interface Match {
  readonly kinds?: readonly { readonly apiGroups?: readonly string[]; readonly kinds?: readonly string[] }[];
  readonly scope?: string;
  readonly namespaces?: readonly string[];
  readonly excludedNamespaces?: readonly string[];
  readonly labelSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly name?: string;
}

export interface GatekeeperConstraint extends Where {
  readonly kind: string;
  readonly name: string;
  readonly match: Match;
  readonly parameters: unknown;
  /**
   * What admission does with a violation, as a finding severity (deny, warn; dryrun → info).
   * Absent when its scoped actions leave out the validating webhook: admission does not run it.
   */
  readonly severity?: FindingSeverity;
  /**
   * With `enforcementAction: scoped`, the enforcement points its scoped actions name (`*` is
   * every one): the constraint runs only where one of them applies. Absent otherwise.
   */
  readonly enforcementPoints?: readonly string[];
}

const ACTIONS: Readonly<Record<string, FindingSeverity>> = { deny: 'deny', warn: 'warn', dryrun: 'info' };
const RANK: Readonly<Record<FindingSeverity, number>> = { deny: 0, warn: 1, info: 2 };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** A resource, or why it is not one Gatekeeper would accept. */
export type Read<T> = { ok: true; value: T } | { ok: false; message: string };
const bad = <T>(message: string): Read<T> => ({ ok: false, message });

export function groupOf(apiVersion: unknown): string {
  return typeof apiVersion === 'string' ? groupVersionOf(apiVersion).group : '';
}

export function readTemplate(doc: Obj, where: Where): Read<GatekeeperTemplate> {
  const metadata = isObj(doc.metadata) ? doc.metadata : {};
  const name = metadata.name;
  if (typeof name !== 'string' || !name) return bad('a ConstraintTemplate needs `metadata.name`');
  const spec = isObj(doc.spec) ? doc.spec : {};
  const crd = isObj(spec.crd) && isObj(spec.crd.spec) && isObj(spec.crd.spec.names) ? spec.crd.spec.names : {};
  const kind = crd.kind;
  if (typeof kind !== 'string' || !kind) return bad(`ConstraintTemplate ${name} needs \`spec.crd.spec.names.kind\``);
  // Gatekeeper requires the kind to be the template's name, lower-cased.
  if (kind.toLowerCase() !== name)
    return bad(`ConstraintTemplate ${name} must be named ${kind.toLowerCase()} (its kind)`);
  const targets = Array.isArray(spec.targets) ? spec.targets : [];
  if (targets.length !== 1 || !isObj(targets[0]) || targets[0].target !== ADMISSION_TARGET)
    return bad(`ConstraintTemplate ${name} needs exactly one target, \`${ADMISSION_TARGET}\``);
  const target = targets[0];
  const annotations = isObj(metadata.annotations) ? metadata.annotations : {};
  const validation =
    isObj(spec.crd) && isObj(spec.crd.spec) && isObj(spec.crd.spec.validation) ? spec.crd.spec.validation : {};
  const schema = validation.openAPIV3Schema;
  const base = {
    ...where,
    name,
    kind,
    ...(SYNC_ANNOTATION in annotations ? { syncs: syncKinds(annotations[SYNC_ANNOTATION]) } : {}),
    ...(schema !== undefined ? { schema } : {}),
  };
  const code = Array.isArray(target.code) ? target.code.filter(isObj) : [];
  const engines = code.map((c) => String(c.engine));
  const regoAt = code.findIndex((c) => c.engine === 'Rego');
  let rego: { source: unknown; libs: unknown; version: unknown; pointer: string } | undefined;
  if (regoAt >= 0) {
    const source = isObj(code[regoAt]!.source) ? code[regoAt]!.source : {};
    const pointer = `/spec/targets/0/code/${regoAt}/source`;
    rego = { source: source.rego, libs: source.libs, version: source.version, pointer };
  } else if (target.rego !== undefined)
    rego = { source: target.rego, libs: target.libs, version: undefined, pointer: '/spec/targets/0' };
  if (!rego) return { ok: true, value: { ...base, engines } };
  if (typeof rego.source !== 'string' || !rego.source.trim())
    return bad(`ConstraintTemplate ${name}: its Rego source must be a non-empty string`);
  if (rego.libs !== undefined && !strings(rego.libs))
    return bad(`ConstraintTemplate ${name}: \`libs\` must be strings`);
  if (rego.version !== undefined && rego.version !== 'v0' && rego.version !== 'v1')
    return bad(`ConstraintTemplate ${name}: Rego \`version\` must be v0 or v1`);
  const pkg = packageOf(rego.source);
  if (!pkg) return bad(`ConstraintTemplate ${name}: its Rego has no \`package\` line`);
  return {
    ok: true,
    value: {
      ...base,
      engines: engines.length > 0 ? engines : ['Rego'],
      rego: {
        source: rego.source,
        libs: rego.libs ?? [],
        version: rego.version === 'v1' ? 1 : 0,
        package: pkg.path,
        pointer: rego.pointer,
      },
    },
  };
}

export function readConstraint(doc: Obj, where: Where): Read<GatekeeperConstraint> {
  const metadata = isObj(doc.metadata) ? doc.metadata : {};
  const name = metadata.name;
  const kind = doc.kind as string;
  if (typeof name !== 'string' || !name) return bad(`a ${kind} constraint needs \`metadata.name\``);
  const spec = doc.spec === undefined ? {} : doc.spec;
  if (!isObj(spec)) return bad(`constraint ${kind}/${name}: \`spec\` must be an object`);
  const match = spec.match === undefined ? {} : spec.match;
  if (!isObj(match)) return bad(`constraint ${kind}/${name}: \`spec.match\` must be an object`);
  const problem = checkMatch(match);
  if (problem) return bad(`constraint ${kind}/${name}: ${problem}`);
  const severity = severityOf(spec);
  if (typeof severity === 'object') return bad(`constraint ${kind}/${name}: ${severity.problem}`);
  return {
    ok: true,
    value: {
      ...where,
      kind,
      name,
      match: match as Match,
      parameters: spec.parameters ?? {},
      ...(severity ? { severity } : {}),
      ...(spec.enforcementAction === 'scoped' ? { enforcementPoints: scopedPoints(spec) } : {}),
    },
  };
}

function scopedPoints(spec: Obj): string[] {
  const scoped = Array.isArray(spec.scopedEnforcementActions) ? spec.scopedEnforcementActions.filter(isObj) : [];
  const points = scoped.flatMap((s) => (Array.isArray(s.enforcementPoints) ? s.enforcementPoints.filter(isObj) : []));
  return [...new Set(points.map((p) => p.name).filter((n): n is string => typeof n === 'string'))].sort();
}

/**
 * `enforcementAction` as a severity. `scoped` actions count only where they apply to the
 * validating webhook (`validation.gatekeeper.sh`, or `*`): the most severe of them.
 */
function severityOf(spec: Obj): FindingSeverity | undefined | { problem: string } {
  const action = spec.enforcementAction ?? 'deny';
  if (typeof action === 'string' && action in ACTIONS) return ACTIONS[action];
  if (action !== 'scoped')
    return { problem: `\`enforcementAction\` must be deny, warn, dryrun or scoped, not ${JSON.stringify(action)}` };
  const scoped = Array.isArray(spec.scopedEnforcementActions) ? spec.scopedEnforcementActions.filter(isObj) : [];
  const applying: FindingSeverity[] = [];
  for (const s of scoped) {
    const points = Array.isArray(s.enforcementPoints) ? s.enforcementPoints.filter(isObj) : [];
    if (!points.some((p) => p.name === 'validation.gatekeeper.sh' || p.name === '*')) continue;
    const severity = typeof s.action === 'string' ? ACTIONS[s.action] : undefined;
    if (!severity) return { problem: `scoped action ${JSON.stringify(s.action)} must be deny, warn or dryrun` };
    applying.push(severity);
  }
  return applying.sort((a, b) => RANK[a] - RANK[b])[0];
}

function checkMatch(match: Obj): string | undefined {
  if (match.kinds !== undefined) {
    if (!Array.isArray(match.kinds)) return '`match.kinds` must be a list';
    for (const k of match.kinds) {
      if (
        !isObj(k) ||
        (k.apiGroups !== undefined && !strings(k.apiGroups)) ||
        (k.kinds !== undefined && !strings(k.kinds))
      )
        return 'each of `match.kinds` has `apiGroups` and `kinds`, lists of strings';
    }
  }
  for (const key of ['namespaces', 'excludedNamespaces'] as const)
    if (match[key] !== undefined && !strings(match[key])) return `\`match.${key}\` must be a list of strings`;
  if (match.scope !== undefined && !['*', 'Cluster', 'Namespaced'].includes(match.scope as string))
    return '`match.scope` must be *, Cluster or Namespaced';
  if (match.name !== undefined && typeof match.name !== 'string') return '`match.name` must be a string';
  for (const key of ['labelSelector', 'namespaceSelector'] as const) {
    const s = match[key];
    if (s === undefined) continue;
    if (!isObj(s)) return `\`match.${key}\` must be a label selector`;
    if (
      s.matchLabels !== undefined &&
      (!isObj(s.matchLabels) || !Object.values(s.matchLabels).every((v) => typeof v === 'string'))
    )
      return `\`match.${key}.matchLabels\` must map label keys to strings`;
    if (s.matchExpressions !== undefined) {
      if (!Array.isArray(s.matchExpressions)) return `\`match.${key}.matchExpressions\` must be a list`;
      for (const e of s.matchExpressions) {
        if (
          !isObj(e) ||
          typeof e.key !== 'string' ||
          !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator as string)
        )
          return (
            `\`match.${key}.matchExpressions\`: each needs a \`key\` and an operator In, NotIn, Exists or ` +
            `DoesNotExist`
          );
        const needsValues = e.operator === 'In' || e.operator === 'NotIn';
        if (
          needsValues
            ? !strings(e.values) || e.values.length === 0
            : e.values !== undefined && (e.values as unknown[]).length > 0
        )
          return `\`match.${key}.matchExpressions\`: ${e.operator} ${needsValues ? 'needs' : 'takes no'} \`values\``;
      }
    }
  }
  return undefined;
}
