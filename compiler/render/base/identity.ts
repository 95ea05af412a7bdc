// Workload identity: one ServiceAccount per workload, with no API token mounted unless the
// workload calls the Kubernetes API; when it does, a Role naming exactly the resources and
// verbs it needs (never `*`), bound to that account alone.
import * as kplus from 'cdk8s-plus-28';
import type { RenderContext } from './context.js';
import type { ObjectRole } from './labels.js';

export interface ServiceAccountProps {
  readonly role: ObjectRole;
  /** Object name; default `role.workload`. */
  readonly name?: string;
  /** Mount an API token into pods using this account. Default false. */
  readonly automountToken?: boolean;
}

export function serviceAccount(ctx: RenderContext, props: ServiceAccountProps): kplus.ServiceAccount {
  const name = props.name ?? props.role.workload;
  return new kplus.ServiceAccount(ctx.chart, `ServiceAccount-${name}`, {
    metadata: ctx.metadata(name, props.role),
    automountToken: props.automountToken ?? false,
  });
}

/** One RBAC rule: an API group, resource types, verbs, and optionally object names. */
export interface AccessRule {
  readonly apiGroup: string;
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Restrict to these objects; omit only for `create` (names are not known in advance). */
  readonly resourceNames?: readonly string[];
}

export interface ApiAccessProps {
  readonly role: ObjectRole;
  /** Name of the Role and RoleBinding; default the account's name. */
  readonly name?: string;
  readonly account: kplus.ServiceAccount;
  readonly rules: readonly AccessRule[];
}

function assertLeastPrivilege(rule: AccessRule): void {
  const all = [rule.apiGroup, ...rule.resources, ...rule.verbs, ...(rule.resourceNames ?? [])];
  if (all.some((v) => v.includes('*'))) throw new Error(`internal: RBAC rule with a wildcard: ${JSON.stringify(rule)}`);
  if (rule.resources.length === 0 || rule.verbs.length === 0)
    throw new Error(`internal: empty RBAC rule: ${JSON.stringify(rule)}`);
}

/** A Role with exactly `rules`, bound to `account`. The account must mount its token. */
export function apiAccess(ctx: RenderContext, props: ApiAccessProps): { role: kplus.Role; binding: kplus.RoleBinding } {
  const name = props.name ?? props.account.name;
  const role = new kplus.Role(ctx.chart, `Role-${name}`, { metadata: ctx.metadata(name, props.role) });
  for (const rule of props.rules) {
    assertLeastPrivilege(rule);
    const targets: kplus.IApiResource[] = rule.resources.flatMap((resourceType) =>
      rule.resourceNames?.length
        ? rule.resourceNames.map((resourceName) => ({ apiGroup: rule.apiGroup, resourceType, resourceName }))
        : [{ apiGroup: rule.apiGroup, resourceType }],
    );
    role.allow([...rule.verbs], ...targets);
  }
  const binding = new kplus.RoleBinding(ctx.chart, `RoleBinding-${name}`, {
    metadata: ctx.metadata(name, props.role),
    role,
  });
  binding.addSubjects(props.account);
  return { role, binding };
}
