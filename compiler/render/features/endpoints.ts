// Network endpoints named in specs and profiles (`host:port`, `scheme://user@host:port/...`)
// → NetworkPolicy peers. A NetworkPolicy can name pods (by namespace) and address ranges, not
// DNS names, so each host is classified:
//   - an IPv4 address                       → that address (/32);
//   - an in-cluster Service name (`*.svc`,
//     `*.svc.<cluster domain>`)             → every pod of its namespace (the label before `svc`),
//     on the port: the pods behind a Service cannot be known from its name;
//   - any other name (a managed service)    → any address, on that port only. The port is the
//     whole restriction there; TLS and credentials do the rest.
import type { PortRule, TrafficRule, Peer } from '../base/network-policy.js';
import { compareCodeUnits } from '../../../core/compare.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
export const ANY_ADDRESS = '0.0.0.0/0';

/** `host:port` (port optional) → Endpoint. IPv6 literals are written `[addr]:port`. */
export function parseHostPort(text: string, defaultPort: number): Endpoint {
  const trimmed = text.trim();
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(trimmed);
  if (!m) throw new Error(`internal: \`${text}\` is not host:port`);
  return { host: m[1]!.toLowerCase(), port: m[2] ? Number(m[2]) : defaultPort };
}

/** `scheme://[user[:pass]@]host[:port][/...]` → Endpoint, or undefined for a URI without a host. */
export function uriEndpoint(uri: string, defaultPort: number): Endpoint | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/?#]*)/i.exec(uri);
  if (!m || m[1] === '') return undefined;
  return parseHostPort(m[1]!, defaultPort);
}

/** The peer a host stands for (see the file comment). */
export function hostPeer(host: string): Peer {
  if (IPV4.test(host)) return { cidr: `${host}/32` };
  const labels = host.split('.');
  const svc = labels.lastIndexOf('svc');
  if (svc >= 2) return { namespace: labels[svc - 1]! };
  return { cidr: ANY_ADDRESS };
}

/** Egress rules for a set of endpoints: one rule per distinct peer, with all of its ports. */
export function endpointRules(endpoints: readonly Endpoint[]): TrafficRule[] {
  const byPeer = new Map<string, { peer: Peer; ports: Set<number> }>();
  for (const e of endpoints) {
    const peer = hostPeer(e.host);
    const key = JSON.stringify(peer);
    const entry = byPeer.get(key) ?? { peer, ports: new Set<number>() };
    entry.ports.add(e.port);
    byPeer.set(key, entry);
  }
  return [...byPeer.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([, { peer, ports }]) => ({
      peers: [peer],
      ports: [...ports].sort((a, b) => a - b).map((port): PortRule => ({ port })),
    }));
}
