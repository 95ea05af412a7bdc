// CIDR builtins: contains, contains_matches, intersects, expand, is_valid, merge (and the
// deprecated net.cidr_overlap). net.lookup_ip_addr is not provided: evaluations are offline.
import { ObjectValue, SetValue, type Value } from '../value.js';
import { stringArg } from './args.js';
import {
  contains,
  defaultPrefix,
  ipString,
  lastAddr,
  mergeRanges,
  netString,
  parseCIDR,
  parseIP,
  rangeToNets,
  toRange,
  type Net,
  type Range,
} from './net-addr.js';
import { BuiltinError, declare, implement } from './table.js';
import { T } from '../types.js';

function cidrArg(v: Value | undefined, pos: number): Net {
  const s = stringArg(v, pos);
  const n = parseCIDR(s);
  if (n === undefined) throw new BuiltinError(`invalid CIDR address: ${s}`);
  return n;
}

/** Whether `a` contains the address or network written in `b`. */
function cidrContains(a: Net, b: string): boolean {
  const ip = parseIP(b);
  if (ip !== undefined) return contains(a, ip);
  const n = parseCIDR(b);
  if (n === undefined) throw new BuiltinError(`not a valid textual representation of an IP address or CIDR: ${b}`);
  return contains(a, { bits: n.bits, value: n.base }) && contains(a, { bits: n.bits, value: lastAddr(n) });
}

const containsDecl = declare({
  name: 'net.cidr_contains',
  args: [
    { name: 'cidr', type: T.string, description: 'CIDR to check against' },
    { name: 'cidr_or_ip', type: T.string, description: 'CIDR or IP to check' },
  ],
  result: { name: 'result', type: T.boolean, description: '`true` if `cidr_or_ip` is contained within `cidr`' },
  description:
    'Checks if a CIDR or IP is contained within another CIDR. `output` is `true` if `cidr_or_ip` (e.g. ' +
    '`127.0.0.64/26` or `127.0.0.1`) is contained within `cidr` (e.g. `127.0.0.1/24`) and `false` otherwise. ' +
    'Supports both IPv4 and IPv6 notations.',
  categories: ['net'],
});
const containsImpl = ([a, b]: readonly Value[]) => cidrContains(cidrArg(a, 1), stringArg(b, 1));
implement(containsDecl, containsImpl);

const overlap = declare({
  name: 'net.cidr_overlap',
  args: [
    { name: 'cidr', type: T.string },
    { name: 'cidr_or_ip', type: T.string },
  ],
  result: { name: 'result', type: T.boolean },
  description: 'Checks if a CIDR or IP is contained within another CIDR (deprecated: use `net.cidr_contains`).',
  categories: ['net'],
  deprecated: true,
});
implement(overlap, containsImpl);

const intersects = declare({
  name: 'net.cidr_intersects',
  args: [
    { name: 'cidr1', type: T.string, description: 'first CIDR' },
    { name: 'cidr2', type: T.string, description: 'second CIDR' },
  ],
  result: { name: 'result', type: T.boolean, description: '`true` if `cidr1` intersects with `cidr2`' },
  description:
    'Checks if a CIDR intersects with another CIDR (e.g. `192.168.0.0/16` overlaps with `192.168.1.0/24`). ' +
    'Supports both IPv4 and IPv6 notations.',
  categories: ['net'],
});
implement(intersects, ([a, b]) => {
  const x = cidrArg(a, 1);
  const y = cidrArg(b, 1);
  return contains(x, { bits: y.bits, value: y.base }) || contains(y, { bits: x.bits, value: x.base });
});

/** The (cidr, key) pairs of a contains_matches operand: a string, or a collection whose
 * elements are strings or arrays led by one. */
function matchOperand(pos: number, v: Value): [string, Value][] {
  const elem = (x: Value): string => {
    const c = typeof x === 'string' ? x : Array.isArray(x) && x.length > 0 ? x[0] : undefined;
    if (c === undefined) throw new BuiltinError(`operand ${pos}: element must be string or non-empty array`);
    if (typeof c !== 'string') throw new BuiltinError(`operand ${pos}: element must be string or non-empty array`);
    return c;
  };
  if (typeof v === 'string') return [[v, v]];
  if (Array.isArray(v)) return v.map((x, i) => [elem(x), i]);
  if (v instanceof SetValue) return v.values().map((x) => [elem(x), x]);
  if (v instanceof ObjectValue) return v.entries().map(([k, x]) => [elem(x), k]);
  return [];
}

const operandType = T.anyOf(
  T.string,
  T.array(T.anyOf(T.string, T.array())),
  T.set(T.anyOf(T.string, T.array())),
  T.object(T.string, T.anyOf(T.string, T.array())),
);

const containsMatches = declare({
  name: 'net.cidr_contains_matches',
  args: [
    { name: 'cidrs', type: operandType, description: 'CIDRs to check against' },
    { name: 'cidrs_or_ips', type: operandType, description: 'CIDRs or IPs to check' },
  ],
  result: {
    name: 'output',
    type: T.set(T.tuple(T.any, T.any)),
    description: 'tuples identifying matches where `cidrs_or_ips` are contained within `cidrs`',
  },
  description:
    'Checks if collections of cidrs or ips are contained within another collection of cidrs and returns ' +
    'matches. This function is similar to `net.cidr_contains` except it allows callers to pass collections of ' +
    'CIDRs or IPs as arguments and returns the matches (as opposed to a boolean result indicating a match ' +
    'between two CIDRs/IPs).',
  categories: ['net'],
});
implement(containsMatches, ([a, b]) => {
  const out = new SetValue();
  const left = matchOperand(1, a!);
  const right = matchOperand(2, b!);
  for (const [cidr, k1] of left) {
    for (const [other, k2] of right) if (cidrContains(cidrArg(cidr, 1), other)) out.add([k1, k2]);
  }
  return out;
});

// net.cidr_expand materializes every address; past this many it fails instead of exhausting
// memory (OPA runs until the query is cancelled).
const MAX_EXPAND = 1n << 24n;

const expand = declare({
  name: 'net.cidr_expand',
  args: [{ name: 'cidr', type: T.string, description: 'CIDR to expand' }],
  result: { name: 'hosts', type: T.set(T.string), description: 'set of IP addresses the CIDR `cidr` expands to' },
  description:
    'Expands CIDR to set of hosts  (e.g., `net.cidr_expand("192.168.0.0/30")` generates 4 hosts: ' +
    '`{"192.168.0.0", "192.168.0.1", "192.168.0.2", "192.168.0.3"}`).',
  categories: ['net'],
});
implement(expand, ([c]) => {
  const n = cidrArg(c, 1);
  const last = lastAddr(n);
  if (last - n.base + 1n > MAX_EXPAND)
    throw new BuiltinError(`net.cidr_expand: ${netString(n)} has more than ${MAX_EXPAND} addresses`);
  const out = new SetValue();
  for (let a = n.base; a <= last; a++) out.add(ipString({ bits: n.bits, value: a }));
  return out;
});

const isValid = declare({
  name: 'net.cidr_is_valid',
  args: [{ name: 'cidr', type: T.string, description: 'CIDR to validate' }],
  result: { name: 'result', type: T.boolean, description: '`true` if `cidr` is a valid CIDR' },
  description: 'Parses an IPv4/IPv6 CIDR and returns a boolean indicating if the provided CIDR is valid.',
  categories: ['net'],
});
implement(isValid, ([c]) => typeof c === 'string' && parseCIDR(c) !== undefined);

/** An element of net.cidr_merge: a CIDR, or an IPv4 address with its classful mask. */
function mergeInput(x: Value): Range {
  if (typeof x !== 'string') throw new BuiltinError('element must be string');
  const ip = parseIP(x);
  if (ip === undefined) {
    const n = parseCIDR(x);
    if (n === undefined) throw new BuiltinError(`invalid CIDR address: ${x}`);
    return toRange(n);
  }
  if (ip.bits === 128) throw new BuiltinError('IPv6 invalid: needs prefix length');
  const prefix = defaultPrefix(ip.value);
  const base = (ip.value >> BigInt(32 - prefix)) << BigInt(32 - prefix);
  return { ...toRange({ bits: 32, base, prefix, addr: ip.value }) };
}

const merge = declare({
  name: 'net.cidr_merge',
  args: [{ name: 'addrs', type: T.anyOf(T.array(T.string), T.set(T.string)), description: 'CIDRs or IP addresses' }],
  result: {
    name: 'output',
    type: T.set(T.string),
    description:
      'smallest possible set of CIDRs obtained after merging the provided list of IP addresses and subnets in `addrs`',
  },
  description:
    'Merges IP addresses and subnets into the smallest possible list of CIDRs (e.g., ' +
    '`net.cidr_merge(["192.0.128.0/24", "192.0.129.0/24"])` generates `{"192.0.128.0/23"}`.This function ' +
    'merges adjacent subnets where possible, those contained within others and also removes any ' +
    'duplicates.\nSupports both IPv4 and IPv6 notations. IPv6 inputs need a prefix length (e.g. "/128").',
  categories: ['net'],
});
implement(merge, ([xs]) => {
  let items: readonly Value[];
  if (Array.isArray(xs)) items = xs;
  else if (xs instanceof SetValue) items = xs.values();
  else throw new BuiltinError('operand must be an array');
  const out = new SetValue();
  for (const r of mergeRanges(items.map(mergeInput))) {
    if (r.net !== undefined) out.add(netString(r.net));
    else for (const n of rangeToNets(r.first, r.last)) out.add(netString(n));
  }
  return out;
});
