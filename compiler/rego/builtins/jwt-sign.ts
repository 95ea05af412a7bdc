// io.jwt.encode_sign and io.jwt.encode_sign_raw: JWS compact serialization signed with the
// first key of a JWK (set). RSA-PKCS1, HMAC and EdDSA signatures are deterministic; PSS and
// ECDSA ones are randomized, as in OPA.
import type { Value } from '../value.js';
import { stringArg } from './args.js';
import { marshalJSON, parseJSON } from './json-text.js';
import { ALGORITHMS, signData, signingKey } from './jwt-keys.js';
import { utf8 } from './go-text.js';
import { BuiltinError, declare, implement } from './table.js';
import { T } from '../types.js';
import { ObjectValue } from '../value.js';

/** A header field as a string, with the wording of jwx's header reader. */
function headerString(headers: string, name: string): string {
  if (headers === '') throw new Error('cannot parse JSON: cannot parse empty string');
  let parsed: Value | undefined;
  try {
    parsed = parseJSON(headers);
  } catch (e) {
    if (headers.trimStart().startsWith('{')) throw new Error(`cannot parse JSON: ${(e as Error).message}`);
  }
  const v = parsed instanceof ObjectValue ? parsed.get(name) : undefined;
  if (v === undefined) throw new Error(`jwsbb: header "${name}" not found`);
  if (typeof v !== 'string') throw new Error(`jwsbb: header "${name}" is not a string`);
  return v;
}

function isJSON(text: string): boolean {
  try {
    parseJSON(text);
    return true;
  } catch {
    return false;
  }
}

function encodeSign(headers: string, payload: string, jwk: string): string {
  const key = signingKey(jwk);
  let alg: string;
  try {
    alg = headerString(headers, 'alg');
  } catch (e) {
    throw new BuiltinError(`missing or invalid 'alg' header: ${(e as Error).message}`);
  }
  if (!ALGORITHMS.has(alg)) throw new BuiltinError(`unknown JWS algorithm: ${alg}`);
  let typ: string | undefined;
  try {
    typ = headerString(headers, 'typ');
  } catch {
    typ = undefined;
  }
  if ((typ === undefined || typ === 'JWT') && !isJSON(payload))
    throw new BuiltinError('type is JWT but payload is not JSON');
  const signingInput = `${utf8(headers).toString('base64url')}.${utf8(payload).toString('base64url')}`;
  return `${signingInput}.${signData(alg, key, utf8(signingInput)).toString('base64url')}`;
}

const encodeSignRaw = declare({
  name: 'io.jwt.encode_sign_raw',
  args: [
    { name: 'headers', type: T.string, description: 'JWS Protected Header' },
    { name: 'payload', type: T.string, description: 'JWS Payload' },
    { name: 'key', type: T.string, description: 'JSON Web Key (RFC7517)' },
  ],
  result: { name: 'output', type: T.string, description: 'signed JWT' },
  description: 'Encodes and optionally signs a JSON Web Token.',
  categories: ['tokensign'],
  nondeterministic: true,
});

implement(encodeSignRaw, ([h, p, k]) => {
  const jwk = stringArg(k, 3);
  return encodeSign(stringArg(h, 1), stringArg(p, 2), jwk);
});

const encodeSignObjects = declare({
  name: 'io.jwt.encode_sign',
  args: [
    { name: 'headers', type: T.object(T.string, T.any), description: 'JWS Protected Header' },
    { name: 'payload', type: T.object(T.string, T.any), description: 'JWS Payload' },
    { name: 'key', type: T.object(T.string, T.any), description: 'JSON Web Key (RFC7517)' },
  ],
  result: { name: 'output', type: T.string, description: 'signed JWT' },
  description:
    'Encodes and optionally signs a JSON Web Token. Inputs are taken as objects, not encoded strings (see ' +
    '`io.jwt.encode_sign_raw`).',
  categories: ['tokensign'],
  nondeterministic: true,
});

// The objects are serialized as Go's json.Marshal does (sorted keys, sets as arrays).
implement(encodeSignObjects, ([h, p, k]) => encodeSign(marshalJSON(h!), marshalJSON(p!), marshalJSON(k!)));
