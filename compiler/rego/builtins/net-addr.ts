// IP addresses and networks with the semantics of Go's net package: ParseIP/ParseCIDR
// (no leading zeros in IPv4, no zones), IPNet.Contains (IPv4 never matches an IPv6 network)
// and the canonical string forms (dotted IPv4, RFC 5952 IPv6).

export interface Net {
  /** 32 for IPv4 networks (including IPv4-mapped IPv6 prefixes), 128 for IPv6. */
  readonly bits: 32 | 128;
  /** The network address (host bits cleared). */
  readonly base: bigint;
  readonly prefix: number;
  /** The address as written (host bits kept), for strings that keep it. */
  readonly addr: bigint;
}

export interface Addr {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

const V4_MAPPED = 0xffffn << 32n;

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parseIPv6(s: string): bigint | undefined {
  if (s.includes('%')) return undefined;
  let tail: bigint | undefined;
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail = parseIPv4(s.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    text = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const all = [...head, ...Array<string>(8 - total).fill('0'), ...rest];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(`0x${g}`);
  }
  if (tail !== undefined) v = (v & ~0xffffffffn) | tail;
  return v;
}

/** net.ParseIP; IPv4-mapped IPv6 addresses are IPv4 (as `ip.To4()` sees them). */
export function parseIP(s: string): Addr | undefined {
  if (s.includes(':')) {
    const v = parseIPv6(s);
    if (v === undefined) return undefined;
    return v >> 32n === 0xffffn ? { bits: 32, value: v & 0xffffffffn } : { bits: 128, value: v };
  }
  const v = parseIPv4(s);
  return v === undefined ? undefined : { bits: 32, value: v };
}

/** net.ParseCIDR; `undefined` where Go reports `invalid CIDR address`. */
export function parseCIDR(s: string): Net | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addrText = s.slice(0, slash);
  const maskText = s.slice(slash + 1);
  if (!/^\d+$/.test(maskText)) return undefined;
  const prefix = Number(maskText);
  let bits: 32 | 128;
  let addr: bigint | undefined;
  let mapped = false;
  if (addrText.includes(':')) {
    addr = parseIPv6(addrText);
    bits = 128;
    mapped = addr !== undefined && addr >> 32n === 0xffffn;
  } else {
    addr = parseIPv4(addrText);
    bits = 32;
  }
  if (addr === undefined || prefix > bits) return undefined;
  if (mapped) {
    // An IPv4-mapped prefix acts as the IPv4 network in its last 32 bits.
    if (prefix < 96) return { bits: 128, base: mask(addr, prefix, 128), prefix, addr };
    const v4 = addr & 0xffffffffn;
    return { bits: 32, base: mask(v4, prefix - 96, 32), prefix: prefix - 96, addr: v4 };
  }
  return { bits, base: mask(addr, prefix, bits), prefix, addr };
}

function mask(v: bigint, prefix: number, bits: number): bigint {
  const host = BigInt(bits - prefix);
  return (v >> host) << host;
}

export function lastAddr(n: Net): bigint {
  return n.base | ((1n << BigInt(n.bits - n.prefix)) - 1n);
}

export function contains(n: Net, a: Addr): boolean {
  return n.bits === a.bits && mask(a.value, n.prefix, n.bits) === n.base;
}

export function ipString(a: Addr): string {
  if (a.bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 0xffn)).join('.');
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((a.value >> BigInt(i * 16)) & 0xffffn));
  // The longest run of two or more zero groups becomes `::` (the first such run on ties).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function netString(n: { bits: 32 | 128; addr: bigint; prefix: number }): string {
  return `${ipString({ bits: n.bits, value: n.addr })}/${n.prefix}`;
}

/** Go's IP.DefaultMask for IPv4 (the classful mask). */
export function defaultPrefix(v4: bigint): number {
  const first = Number(v4 >> 24n);
  return first < 0x80 ? 8 : first < 0xc0 ? 16 : 24;
}

// --- net.cidr_merge ---------------------------------------------------------------------

/** A range of addresses in one 128-bit space (IPv4 as IPv4-mapped), as OPA merges them. */
export interface Range {
  first: bigint;
  last: bigint;
  /** Set while the range is still one of the inputs (it is then printed as given). */
  net?: { bits: 32 | 128; addr: bigint; prefix: number };
}

export function toRange(n: Net): Range {
  const offset = n.bits === 32 ? V4_MAPPED : 0n;
  return { first: n.base + offset, last: lastAddr(n) + offset, net: { bits: n.bits, addr: n.addr, prefix: n.prefix } };
}

function isMapped(v: bigint): boolean {
  return v >> 32n === 0xffffn;
}

/** Sorts by last then first address and merges overlapping or adjacent ranges. */
export function mergeRanges(ranges: Range[]): Range[] {
  const rs = [...ranges].sort((a, b) =>
    a.last < b.last ? -1 : a.last > b.last ? 1 : a.first < b.first ? -1 : a.first > b.first ? 1 : 0,
  );
  for (let i = rs.length - 1; i > 0; i--) {
    const cur = rs[i]!;
    const prevEnd = rs[i - 1]!;
    // The address before cur.first (no wrap below the start of its space).
    const floor = isMapped(cur.first) ? V4_MAPPED : 0n;
    const previous = cur.first > floor ? cur.first - 1n : cur.first;
    if (previous <= prevEnd.last) {
      rs[i - 1] = { first: prevEnd.first < cur.first ? prevEnd.first : cur.first, last: cur.last };
      rs.splice(i, 1);
    }
  }
  return rs;
}

/** The smallest list of networks covering exactly [first, last]. */
export function rangeToNets(first: bigint, last: bigint): { bits: 32 | 128; addr: bigint; prefix: number }[] {
  const v4 = isMapped(first);
  const bits = v4 ? 32 : 128;
  const offset = v4 ? V4_MAPPED : 0n;
  let lo = first - offset;
  const hi = last - offset;
  const out: { bits: 32 | 128; addr: bigint; prefix: number }[] = [];
  while (lo <= hi) {
    let size = 0;
    while (size < bits && (lo & ((1n << BigInt(size + 1)) - 1n)) === 0n && lo + (1n << BigInt(size + 1)) - 1n <= hi)
      size++;
    out.push({ bits, addr: lo, prefix: bits - size });
    lo += 1n << BigInt(size);
  }
  return out;
}
