// io.jwt: decoding, signature verification (verify_rs256... and decode_verify with its
// constraints) following OPA's checks and messages. Signing lives in jwt-sign.ts.
import { compareNumbers, toDouble } from '../number.js';
import { isNumber, ObjectValue, type Value } from '../value.js';
import { objectArg, stringArg } from './args.js';
import { decodeBase64Url } from './encoding.js';
import { decodeUTF8, utf8 } from './go-text.js';
import { JSONSyntaxError, parseJSON } from './json-text.js';
import { ALGORITHMS, verificationKeys, verifySignature, type VerificationKey } from './jwt-keys.js';
import { BuiltinError, declare, implement, type BuiltinDecl } from './table.js';
import { T } from '../types.js';

interface Token {
  readonly header: string;
  readonly payload: string;
  readonly signature: string;
}

export function splitToken(v: Value | undefined): Token {
  const s = stringArg(v, 1);
  if (!s.includes('.')) throw new BuiltinError('encoded JWT had no period separators');
  const parts = s.split('.');
  if (parts.length !== 3) throw new BuiltinError(`encoded JWT must have 3 sections, found ${parts.length}`);
  return { header: parts[0]!, payload: parts[1]!, signature: parts[2]! };
}

function segment(text: string, what: string): Buffer {
  try {
    return decodeBase64Url(text);
  } catch (e) {
    throw new BuiltinError(what ? `JWT ${what} had invalid encoding: ${(e as Error).message}` : (e as Error).message);
  }
}

/** JSON text that must hold an object (the last of duplicate keys wins). */
function jsonObject(text: string): ObjectValue {
  let v: Value;
  try {
    v = parseJSON(text);
  } catch (e) {
    if (e instanceof JSONSyntaxError) throw new BuiltinError(`invalid JSON: ${e.message}`);
    throw e;
  }
  if (!(v instanceof ObjectValue)) throw new BuiltinError('decoded JSON type was not an Object');
  return v;
}

function decodeHeader(token: Token): ObjectValue {
  const text = decodeUTF8(segment(token.header, 'header'));
  let header: ObjectValue;
  try {
    header = jsonObject(text);
  } catch (e) {
    throw new BuiltinError(`bad JWT header: ${(e as Error).message}`);
  }
  if (header.has('enc')) throw new BuiltinError('JWT is a JWE object, which is not supported');
  return header;
}

const tokenType = T.tuple(T.object(), T.object(), T.string);

const decode = declare({
  name: 'io.jwt.decode',
  args: [{ name: 'jwt', type: T.string, description: 'JWT token to decode' }],
  result: {
    name: 'output',
    type: tokenType,
    description:
      '`[header, payload, sig]`, where `header` and `payload` are objects; `sig` is the hexadecimal ' +
      'representation of the signature on the token.',
  },
  description: 'Decodes a JSON Web Token and outputs it as an object.',
  categories: ['tokens'],
});

function decodeToken(v: Value | undefined): Value {
  const token = splitToken(v);
  const header = decodeHeader(token);
  const payloadText = decodeUTF8(segment(token.payload, 'payload'));
  // A nested token (cty JWT) is decoded instead; jwt.io quotes it, hence the trim.
  const cty = header.get('cty');
  if (cty === 'JWT') return decodeToken(payloadText.replace(/^["']+|["']+$/g, ''));
  const payload = jsonObject(payloadText);
  const signature = segment(token.signature, 'signature').toString('hex');
  return [header, payload, signature];
}

implement(decode, ([t]) => decodeToken(t));

// --- verify_* ---------------------------------------------------------------------------

interface Header {
  alg: string;
  kid: string;
  typ: string;
  cty: string;
  crit?: Set<string>;
  unknown: string[];
}

function parseHeader(h: ObjectValue): Header {
  const out: Header = { alg: '', kid: '', typ: '', cty: '', unknown: [] };
  for (const [k, v] of h.entries()) {
    const name = typeof k === 'string' ? k : '';
    if (name === 'alg' || name === 'kid' || name === 'typ' || name === 'cty') {
      if (typeof v !== 'string') throw new BuiltinError(`${name}: must be a string`);
      out[name] = v;
    } else if (name === 'crit') {
      if (!Array.isArray(v)) throw new BuiltinError('crit: must be a list');
      out.crit = new Set();
      for (const x of v) {
        if (typeof x !== 'string') break;
        out.crit.add(x);
      }
      if (out.crit.size === 0) throw new BuiltinError('crit: must be a nonempty list');
    } else out.unknown.push(name);
  }
  return out;
}

function signingInput(token: Token): Buffer {
  return utf8(`${token.header}.${token.payload}`);
}

/** Tries the keys: one whose kid matches the header's alone, else any with a fitting alg. */
function verifyWithKeys(
  keys: readonly VerificationKey[],
  header: Header,
  alg: string,
  data: Buffer,
  sig: Buffer,
): boolean {
  if (header.kid !== '') {
    const byKid = keys.find((k) => k.kid === header.kid);
    if (byKid) return verifySignature(alg, byKid.key, data, sig);
  }
  return keys.some((k) => (k.alg === '' || k.alg === header.alg) && verifySignature(alg, k.key, data, sig));
}

function asymmetric(alg: string): void {
  const decl: BuiltinDecl = declare({
    name: `io.jwt.verify_${alg.toLowerCase()}`,
    args: [
      { name: 'jwt', type: T.string, description: 'JWT token whose signature is to be verified' },
      {
        name: 'certificate',
        type: T.string,
        description:
          'PEM encoded certificate, PEM encoded public key, or the JWK key (set) used to verify the signature',
      },
    ],
    result: { name: 'result', type: T.boolean, description: '`true` if the signature is valid, `false` otherwise' },
    description:
      alg === 'EdDSA' ? 'Verifies if an EdDSA JWT signature is valid.' : `Verifies if a ${alg} JWT signature is valid.`,
    categories: ['tokens'],
  });
  implement(decl, ([t, k]) => {
    const token = splitToken(t);
    const keys = verificationKeys(stringArg(k, 2));
    const sig = segment(token.signature, '');
    const header = parseHeader(decodeHeader(token));
    return verifyWithKeys(keys, header, alg, signingInput(token), sig);
  });
}

for (const alg of ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'])
  asymmetric(alg);

function hmac(alg: string): void {
  const decl = declare({
    name: `io.jwt.verify_${alg.toLowerCase()}`,
    args: [
      { name: 'jwt', type: T.string, description: 'JWT token whose signature is to be verified' },
      { name: 'secret', type: T.string, description: 'plain text secret used to verify the signature' },
    ],
    result: { name: 'result', type: T.boolean, description: '`true` if the signature is valid, `false` otherwise' },
    description: `Verifies if a ${alg} (secret) JWT signature is valid.`,
    categories: ['tokens'],
  });
  implement(decl, ([t, s]) => {
    stringArg(t, 1);
    const secret = stringArg(s, 2);
    const token = splitToken(t);
    const sig = segment(token.signature, '');
    return verifySignature(alg, secretKey(secret), signingInput(token), sig);
  });
}

for (const alg of ['HS256', 'HS384', 'HS512']) hmac(alg);

function secretKey(secret: string): Buffer {
  return utf8(secret);
}

// --- decode_verify ----------------------------------------------------------------------

interface Constraints {
  secret: string;
  alg: string;
  iss: string;
  aud: string;
  keys?: VerificationKey[];
  /** Nanoseconds. */
  time: number;
}

function timeConstraint(v: Value): number {
  if (!isNumber(v)) throw new BuiltinError('token time constraint: must be a number');
  const t = toDouble(v);
  if (!Number.isFinite(t)) throw new BuiltinError('token time constraint: unvalid float64');
  if (t < 0) throw new BuiltinError('token time constraint: must not be negative');
  return t;
}

function parseConstraints(o: ObjectValue, nowNs: bigint): Constraints {
  const c: Constraints = { secret: '', alg: '', iss: '', aud: '', time: -1 };
  for (const [k, v] of o.entries()) {
    const name = String(k);
    switch (name) {
      case 'cert':
        if (typeof v !== 'string') throw new BuiltinError('cert constraint: must be a string');
        c.keys = verificationKeys(v);
        break;
      case 'secret':
      case 'alg':
      case 'iss':
      case 'aud':
        if (typeof v !== 'string') throw new BuiltinError(`${name} constraint: must be a string`);
        c[name] = v;
        break;
      case 'time':
        c.time = timeConstraint(v);
        break;
      default:
        throw new BuiltinError(`unknown token validation constraint: ${name}`);
    }
  }
  if (c.time === -1) c.time = timeConstraint(Number(nowNs));
  const keys = (c.keys !== undefined ? 1 : 0) + (c.secret !== '' ? 1 : 0);
  if (keys > 1) throw new BuiltinError('duplicate key constraints');
  if (keys < 1) throw new BuiltinError('no key constraint');
  return c;
}

function verifyConstraints(c: Constraints, header: Header, data: Buffer, sig: Buffer): boolean {
  if (c.keys !== undefined) return verifyWithKeys(c.keys, header, header.alg, data, sig);
  return ALGORITHMS.has(header.alg) && verifySignature(header.alg, secretKey(c.secret), data, sig);
}

const decodeVerify = declare({
  name: 'io.jwt.decode_verify',
  args: [
    {
      name: 'jwt',
      type: T.string,
      description: 'JWT token whose signature is to be verified and whose claims are to be checked',
    },
    { name: 'constraints', type: T.object(T.string, T.any), description: 'claim verification constraints' },
  ],
  result: {
    name: 'output',
    type: T.tuple(T.boolean, T.object(), T.object()),
    description:
      '`[valid, header, payload]`:  if the input token is verified and meets the requirements of `constraints` ' +
      'then `valid` is `true`; `header` and `payload` are objects containing the JOSE header and the JWT claim ' +
      'set; otherwise, `valid` is `false`, `header` and `payload` are `{}`',
  },
  description:
    'Verifies a JWT signature under parameterized constraints and decodes the claims if it is valid.\nSupports ' +
    'the following algorithms: HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, ' +
    'PS512, and EdDSA.',
  categories: ['tokens'],
  nondeterministic: true,
});

implement(decodeVerify, ([t, o], ctx) => {
  const unverified = [false, new ObjectValue(), new ObjectValue()];
  const c = parseConstraints(objectArg(o, 2), ctx.timeNs);
  let input: Value | undefined = t;
  let headerObj: ObjectValue;
  let payloadText: string;
  for (;;) {
    const token = splitToken(input);
    headerObj = decodeHeader(token);
    const header = parseHeader(headerObj);
    if (header.alg === '' || header.unknown.some((u) => header.crit?.has(u))) return unverified;
    if (c.alg !== '' && c.alg !== header.alg) return unverified;
    const sig = segment(token.signature, '');
    if (!verifyConstraints(c, header, signingInput(token), sig)) return unverified;
    payloadText = decodeUTF8(segment(token.payload, 'payload'));
    if (header.cty.toLowerCase() !== 'jwt') break;
    input = payloadText; // nested token: verify the inner one too
  }
  const payload = jsonObject(payloadText);
  if (c.iss !== '') {
    const iss = payload.get('iss');
    if (iss === undefined || iss !== c.iss) return unverified;
  }
  const aud = payload.get('aud');
  if (aud !== undefined) {
    const ok = typeof aud === 'string' ? aud === c.aud : Array.isArray(aud) && aud.some((a) => a === c.aud);
    if (!ok) return unverified;
  } else if (c.aud !== '') return unverified;
  const now = c.time / 1000000000;
  const exp = payload.get('exp');
  if (exp !== undefined) {
    if (!isNumber(exp)) throw new BuiltinError('exp value must be a number');
    if (compareNumbers(now, exp) !== -1) return unverified;
  }
  const nbf = payload.get('nbf');
  if (nbf !== undefined) {
    if (!isNumber(nbf)) throw new BuiltinError('nbf value must be a number');
    if (compareNumbers(now, nbf) === -1) return unverified;
  }
  return [true, headerObj, payload];
});
