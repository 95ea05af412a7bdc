// Keys for the io.jwt builtins: PEM certificates and public keys, JWKs and JWK sets (as OPA
// reads them with lestrrat-go/jwx), and signing/verification per JWS algorithm on node:crypto.
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  sign,
  timingSafeEqual,
  verify,
  X509Certificate,
  constants,
  type KeyObject,
} from 'node:crypto';
import { parseJSON } from './json-text.js';
import { pemDecode } from './pem.js';
import { BuiltinError } from './table.js';
import { toJS } from '../convert.js';

/** An asymmetric key, or an HMAC secret (a KeyObject of type `secret`, or raw bytes). */
export type SigKey = KeyObject | Buffer;

export interface VerificationKey {
  readonly key: SigKey;
  /** The JWK's `alg`, if it has one. */
  readonly alg: string;
  readonly kid: string;
}

export const ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'HS256',
  'HS384',
  'HS512',
  'EdDSA',
]);

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

function jwkObjects(text: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = toJS(parseJSON(text));
  } catch (e) {
    throw new Error(`failed to unmarshal JWK: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('invalid JWK');
  const obj = parsed as Record<string, unknown>;
  if (Array.isArray(obj.keys)) return obj.keys as Record<string, unknown>[];
  return [obj];
}

/** A JWK as a KeyObject: public for verification (`private` false), else private/secret. */
export function jwkKey(jwk: Record<string, unknown>, usePrivate: boolean): SigKey {
  const kty = jwk.kty;
  if (kty === 'oct') {
    if (typeof jwk.k !== 'string') throw new Error('oct key without "k"');
    return Buffer.from(jwk.k, 'base64url');
  }
  if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') throw new Error(`invalid key type from JSON (${String(kty)})`);
  const input = { key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' as const };
  return usePrivate && jwk.d !== undefined ? createPrivateKey(input) : createPublicKey(input);
}

/** OPA's getKeysFromCertOrJWK: a PEM certificate or public key, or a JWK (set). */
export function verificationKeys(text: string): VerificationKey[] {
  const block = pemDecode(text);
  if (block !== undefined) {
    if (block.rest.length > 0) throw new BuiltinError('extra data after a PEM certificate block');
    if (block.type === 'CERTIFICATE') {
      try {
        return [{ key: new X509Certificate(block.bytes).publicKey, alg: '', kid: '' }];
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM certificate: ${(e as Error).message}`);
      }
    }
    if (block.type === 'PUBLIC KEY') {
      try {
        return [{ key: createPublicKey({ key: block.bytes, format: 'der', type: 'spki' }), alg: '', kid: '' }];
      } catch (e) {
        throw new BuiltinError(`failed to parse a PEM public key: ${(e as Error).message}`);
      }
    }
    throw new BuiltinError('failed to extract a Key from the PEM certificate');
  }
  try {
    const keys: VerificationKey[] = [];
    for (const jwk of jwkObjects(text)) {
      const alg = typeof jwk.alg === 'string' ? jwk.alg : '';
      // Keys for algorithms OPA does not know are skipped.
      if (alg !== '' && !ALGORITHMS.has(alg)) continue;
      keys.push({ key: jwkKey(jwk, false), alg, kid: typeof jwk.kid === 'string' ? jwk.kid : '' });
    }
    return keys;
  } catch (e) {
    throw new BuiltinError(`failed to parse a JWK key (set): ${(e as Error).message}`);
  }
}

/** The first key of a JWK (set), for signing. */
export function signingKey(text: string): SigKey {
  const jwks = jwkObjects(text);
  if (jwks.length === 0) throw new BuiltinError('no keys found in JWK set');
  try {
    return jwkKey(jwks[0]!, true);
  } catch (e) {
    throw new BuiltinError(`failed to parse JWK: ${(e as Error).message}`);
  }
}

/** Verifies a JWS signature; false for a key of the wrong kind or any malformed input. */
function secretBytes(key: SigKey): Buffer | undefined {
  if (Buffer.isBuffer(key)) return key;
  return key.type === 'secret' ? key.export() : undefined;
}

export function verifySignature(alg: string, key: SigKey, data: Buffer, signature: Buffer): boolean {
  try {
    const family = alg.slice(0, 2);
    const hash = HASH[alg.slice(2)];
    if (family === 'HS' && hash) {
      const secret = secretBytes(key);
      if (secret === undefined) return false;
      const mac = createHmac(hash, secret).update(data).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    }
    if (Buffer.isBuffer(key) || key.type === 'secret') return false;
    if (alg === 'EdDSA') return key.asymmetricKeyType === 'ed25519' && verify(null, data, key, signature);
    if ((family === 'RS' || family === 'PS') && hash && key.asymmetricKeyType === 'rsa') {
      const padding = family === 'RS' ? constants.RSA_PKCS1_PADDING : constants.RSA_PKCS1_PSS_PADDING;
      return verify(hash, data, { key, padding, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
    }
    if (family === 'ES' && hash && key.asymmetricKeyType === 'ec')
      return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
  return false;
}

export function signData(alg: string, key: SigKey, data: Buffer): Buffer {
  const family = alg.slice(0, 2);
  const hash = HASH[alg.slice(2)];
  try {
    if (family === 'HS' && hash) {
      const secret = secretBytes(key);
      if (secret === undefined) throw new Error('HMAC needs a symmetric (oct) key');
      return createHmac(hash, secret).update(data).digest();
    }
    if (Buffer.isBuffer(key)) throw new Error(`${alg} needs an asymmetric key`);
    if (alg === 'EdDSA') return sign(null, data, key);
    if (family === 'RS' && hash) return sign(hash, data, { key, padding: constants.RSA_PKCS1_PADDING });
    if (family === 'PS' && hash)
      return sign(hash, data, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      });
    if (family === 'ES' && hash) return sign(hash, data, { key, dsaEncoding: 'ieee-p1363' });
  } catch (e) {
    throw new BuiltinError(`failed to sign payload using ${alg}: ${(e as Error).message}`);
  }
  throw new BuiltinError(`unknown JWS algorithm: ${alg}`);
}
