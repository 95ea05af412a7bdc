// uuid.rfc4122 (a random version 4 UUID, the same for a key throughout one evaluation) and
// uuid.parse (the fields github.com/google/uuid decodes, as OPA reports them).
import { randomBytes } from 'node:crypto';
import { fromBigInt } from '../number.js';
import { keyOf, ObjectValue, type Value } from '../value.js';
import { stringArg } from './args.js';
import { declare, implement } from './table.js';
import { T } from '../types.js';

const rfc4122 = declare({
  name: 'uuid.rfc4122',
  args: [{ name: 'k', type: T.string, description: 'seed string' }],
  result: {
    name: 'output',
    type: T.string,
    description: 'a version 4 UUID; for any given `k`, the output will be consistent throughout a query evaluation',
  },
  description: 'Returns a new UUIDv4.',
  categories: ['uuid'],
  nondeterministic: true,
});

implement(rfc4122, ([k], ctx) => {
  let memo = ctx.cache.get('uuid.rfc4122') as Map<string, string> | undefined;
  if (memo === undefined) ctx.cache.set('uuid.rfc4122', (memo = new Map()));
  const key = keyOf(k!);
  let id = memo.get(key);
  if (id === undefined) {
    const b = randomBytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    memo.set(key, id);
  }
  return id;
});

/** google/uuid's Parse: plain, {braced}, urn:uuid: prefixed, or 32 hex digits. */
function parseUUID(s: string): Buffer | undefined {
  let text = s;
  if (text.length === 45) {
    if (text.slice(0, 9).toLowerCase() !== 'urn:uuid:') return undefined;
    text = text.slice(9);
  } else if (text.length === 38) {
    if (text[0] !== '{' || text[37] !== '}') return undefined;
    text = text.slice(1, 37);
  } else if (text.length === 32) {
    return /^[0-9a-fA-F]{32}$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  }
  if (text.length !== 36 || !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(text))
    return undefined;
  return Buffer.from(text.replaceAll('-', ''), 'hex');
}

function variant(b: number): string {
  if ((b & 0xc0) === 0x80) return 'RFC4122';
  if ((b & 0xe0) === 0xc0) return 'Microsoft';
  if ((b & 0xe0) === 0xe0) return 'Future';
  return 'Reserved';
}

function macVariables(b: number): string {
  if ((b & 0b11) === 0b11) return 'local:multicast';
  if (b & 0b01) return 'global:multicast';
  if (b & 0b10) return 'local:unicast';
  return 'global:unicast';
}

// 100-ns intervals between the Gregorian reform (1582-10-15) and the Unix epoch.
const GREGORIAN_OFFSET = 122192928000000000n;

const parse = declare({
  name: 'uuid.parse',
  args: [{ name: 'uuid', type: T.string, description: 'UUID string to parse' }],
  result: {
    name: 'result',
    type: T.object(T.string, T.any),
    description: 'Properties of UUID if valid (version, variant, etc). Undefined otherwise.',
  },
  description:
    'Parses the string value as an UUID and returns an object with the well-defined fields of the UUID if valid.',
  categories: ['uuid'],
});

implement(parse, ([s]) => {
  const u = parseUUID(stringArg(s, 1));
  if (u === undefined) return undefined;
  const version = u[6]! >> 4;
  const fields: [string, Value][] = [
    ['version', version],
    ['variant', variant(u[8]!)],
  ];
  if (version === 1 || version === 2) {
    const t =
      BigInt(u.readUInt32BE(0)) | (BigInt(u.readUInt16BE(4)) << 32n) | (BigInt(u.readUInt16BE(6) & 0xfff) << 48n);
    const since = t - GREGORIAN_OFFSET;
    const sec = since / 10000000n;
    const nsec = (since % 10000000n) * 100n;
    fields.push(['time', fromBigInt(sec * 1000000000n + nsec)]);
    fields.push(['nodeid', [...u.subarray(10, 16)].map((b) => b.toString(16).padStart(2, '0')).join('-')]);
    fields.push(['macvariables', macVariables(u[10]!)]);
    fields.push(['clocksequence', u.readUInt16BE(8) & 0x3fff]);
    if (version === 2) {
      fields.push(['id', u.readUInt32BE(0)]);
      const d = u[9]!;
      fields.push(['domain', d === 0 ? 'Person' : d === 1 ? 'Group' : d === 2 ? 'Org' : `Domain${d}`]);
    }
  }
  return ObjectValue.of(fields);
});
