// Where the gateway exposes each serving tier, when the cluster profile routes gateway traffic
// (`gateway.routes`): host names and a path prefix, from the tier's `route` or the profile's
// templates. A spec may only name hosts inside the profile's `domains`: a pull request must not
// be able to take over another team's host name at a shared gateway. Two tiers (of any systems
// on one cluster and environment) may not claim the same host and path.
import { quote } from '../../core/diagnostics/quote.js';
import type { MLSystemBody } from '../schema/mlsystem.js';
import { error, type Diagnostic, type SourceLocation } from '../../core/diagnostics/diagnostic.js';
import type { ResolvedCluster, ResolvedRoute, ResolvedSystem } from './resolved.js';
import type { Reporter } from './report.js';
import { trafficRouterOf } from './traffic.js';

const HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

export interface RouteNames {
  readonly system: string;
  readonly team: string;
  readonly environment: string;
}

function fill(template: string, tier: string, names: RouteNames): string {
  return template
    .replaceAll('{tier}', tier)
    .replaceAll('{system}', names.system)
    .replaceAll('{environment}', names.environment)
    .replaceAll('{team}', names.team);
}

/** `/`, or a prefix with a leading `/` and none at the end (`/fraud/standard`). */
export function normalizePath(path: string): string {
  const inner = path.split('/').filter((p) => p.length > 0);
  return inner.length ? `/${inner.join('/')}` : '/';
}

const validHost = (host: string) =>
  HOST.test(host) && host.length <= 253 && host.split('.').every((l) => l.length <= 63);

const inDomain = (host: string, domains: readonly string[]) =>
  domains.some((d) => host === d || host.endsWith(`.${d}`));

export function resolveRoutes(
  spec: MLSystemBody,
  cluster: ResolvedCluster,
  names: RouteNames,
  r: Reporter,
): Record<string, ResolvedRoute> {
  const routes = cluster.gateway.routes;
  const out: Record<string, ResolvedRoute> = {};
  for (const [tier, t] of Object.entries(spec.serving.tiers).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const pointer = `/serving/tiers/${tier}/route`;
    if (!routes) {
      if (t.route)
        r.warn(
          'ignored_setting',
          `cluster ${quote(cluster.name)} routes no gateway traffic to serving tiers (no \`gateway.routes\`): ` +
            `\`route\` has no effect`,
          pointer,
          'remove it, or ask the platform team to configure routes for the cluster profile',
          true,
        );
      continue;
    }
    const own = t.route?.hostnames;
    if (own) {
      own.forEach((host, i) => {
        if (!inDomain(host, routes.domains))
          r.report(
            'unapproved_host',
            `host name ${quote(host)} is not in a domain cluster ${quote(cluster.name)} lets specs use`,
            `${pointer}/hostnames/${i}`,
            routes.domains.length
              ? `use a name ending in ${routes.domains.map((d) => `\`.${d}\``).join(' or ')}`
              : 'remove `hostnames`: this cluster names every tier by its template',
          );
      });
    }
    const hostnames = own ?? [fill(routes.hostname, tier, names)];
    const path = fill(t.route?.path ?? routes.path, tier, names);
    for (const host of hostnames.filter((h) => !validHost(h)))
      r.report(
        'invalid_route',
        `the host name of tier ${quote(tier)} would be ${quote(host)}, which is not a valid host name`,
        `/serving/tiers/${tier}`,
        "give the tier `route.hostnames`, or ask the platform team to fix the profile's `gateway.routes.hostname`",
      );
    if (/[{}]/.test(path) || /[{}]/.test(hostnames.join('')))
      r.report(
        'invalid_route',
        `the route of tier ${quote(tier)} keeps an unknown placeholder (${quote(hostnames.join(', '))}, ` +
          `${quote(path)})`,
        `/serving/tiers/${tier}`,
        'the templates may use `{tier}`, `{system}`, `{environment}` and `{team}`',
      );
    const normalized = normalizePath(path);
    if (
      normalized !== '/' &&
      routes.kind === 'virtualService' &&
      spec.rollout?.strategy === 'shadow' &&
      trafficRouterOf(spec, cluster.components) === 'istio'
    )
      r.report(
        'invalid_route',
        `tier ${quote(tier)} is served under the path ${quote(normalized)}, but the shadow's mirror route, ` +
          `which Argo ` +
          'Rollouts adds to the VirtualService, removes no path prefix: requests through it would not reach ' +
          'the runtime',
        t.route?.path !== undefined ? `${pointer}/path` : `/serving/tiers/${tier}`,
        'serve this tier at `/` (its own host name) while the shadow runs',
      );
    out[tier] = { hostnames: [...hostnames], path: normalized };
  }
  return out;
}

/** Every host and path served by one tier of one system on one cluster in one environment. */
export function checkRouteConflicts(
  systems: readonly ResolvedSystem[],
  locate: (system: ResolvedSystem, pointer: string) => SourceLocation | undefined,
): Diagnostic[] {
  const claims = new Map<string, { system: ResolvedSystem; tier: string }[]>();
  for (const s of systems)
    for (const [tier, route] of Object.entries(s.routes))
      for (const host of route.hostnames) {
        const key = JSON.stringify([s.environment, s.cluster.name, host, route.path]);
        claims.set(key, [...(claims.get(key) ?? []), { system: s, tier }]);
      }
  const out: Diagnostic[] = [];
  for (const [key, list] of claims) {
    if (list.length < 2) continue;
    const [env, , host, path] = JSON.parse(key) as string[];
    for (const { system, tier } of list) {
      const others = list.filter((o) => o.system !== system || o.tier !== tier);
      const pointer = `/serving/tiers/${tier}`;
      out.push(
        error(
          'route_conflict',
          `tier ${quote(tier)} of ${quote(system.name)} and ` +
            `${others.map((o) => `tier ${quote(o.tier)} of ${quote(o.system.name)}`).join(', ')} ` +
            `both claim ${quote(host + path)} in environment ${quote(env)}`,
          {
            location: locate(system, pointer) ?? { file: system.source.file, line: 1, column: 1 },
            pointer,
            hint: 'give one of them other `route.hostnames` or another `route.path`',
          },
        ),
      );
    }
  }
  return out;
}
