// Hashes, HMACs and private-key parsing (crypto.*). The X.509 builtins live in x509.ts.
import { createHash, createHmac, createPrivateKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { stringArg } from './args.js';
import { decodeBase64 } from './encoding.js';
import { utf8 } from './go-text.js';
import { pemDecode } from './pem.js';
import { goValue } from './x509-cert.js';
import { BuiltinError, declare, implement } from './table.js';
import { T } from '../types.js';

function hash(name: string, algorithm: string, label: string): void {
  const decl = declare({
    name,
    args: [{ name: 'x', type: T.string, description: 'input string' }],
    result: { name: 'y', type: T.string, description: `${label}-hash of \`x\`` },
    description: `Returns a string representing the input string hashed with the ${label} function`,
    categories: ['crypto'],
  });
  implement(decl, ([x]) =>
    createHash(algorithm)
      .update(utf8(stringArg(x, 1)))
      .digest('hex'),
  );
}

hash('crypto.md5', 'md5', 'MD5');
hash('crypto.sha1', 'sha1', 'SHA1');
hash('crypto.sha256', 'sha256', 'SHA256');

function hmac(name: string, algorithm: string, label: string): void {
  const decl = declare({
    name,
    args: [
      { name: 'x', type: T.string, description: 'input string' },
      { name: 'key', type: T.string, description: 'key to use' },
    ],
    result: { name: 'y', type: T.string, description: `${label}-HMAC of \`x\`` },
    description: `Returns a string representing the ${label} HMAC of the input message using the input key.`,
    categories: ['crypto'],
  });
  implement(decl, ([x, k]) => {
    const message = stringArg(x, 1);
    return createHmac(algorithm, utf8(stringArg(k, 2)))
      .update(utf8(message))
      .digest('hex');
  });
}

hmac('crypto.hmac.md5', 'md5', 'MD5');
hmac('crypto.hmac.sha1', 'sha1', 'SHA1');
hmac('crypto.hmac.sha256', 'sha256', 'SHA256');
hmac('crypto.hmac.sha512', 'sha512', 'SHA512');

const hmacEqual = declare({
  name: 'crypto.hmac.equal',
  args: [
    { name: 'mac1', type: T.string, description: 'mac1 to compare' },
    { name: 'mac2', type: T.string, description: 'mac2 to compare' },
  ],
  result: { name: 'result', type: T.boolean, description: '`true` if the MACs are equals, `false` otherwise' },
  description:
    'Returns a boolean representing the result of comparing two MACs for equality without leaking timing information.',
  categories: ['crypto'],
});
implement(hmacEqual, ([a, b]) => {
  const x = utf8(stringArg(a, 1));
  const y = utf8(stringArg(b, 2));
  return x.length === y.length && timingSafeEqual(x, y);
});

// --- private keys ------------------------------------------------------------------------

const KEY_TYPES: Record<string, 'pkcs1' | 'pkcs8' | 'sec1'> = {
  'RSA PRIVATE KEY': 'pkcs1',
  'PRIVATE KEY': 'pkcs8',
  'EC PRIVATE KEY': 'sec1',
};

/** The private keys in PEM text (base64 of PEM accepted), until the first non-PEM data. */
export function privateKeys(text: string): KeyObject[] {
  let data = text;
  try {
    data = decodeBase64(text, false).toString('latin1');
  } catch {
    // not base64: PEM as it is
  }
  const keys: KeyObject[] = [];
  for (let block = pemDecode(data); block !== undefined; block = pemDecode(block.rest)) {
    const type = KEY_TYPES[block.type];
    if (type === undefined) continue;
    try {
      keys.push(createPrivateKey({ key: block.bytes, format: 'der', type }));
    } catch (e) {
      throw new BuiltinError(`x509: failed to parse private key: ${(e as Error).message}`);
    }
  }
  return keys;
}

/** A private key as Go's json.Marshal writes it (rsa.PrivateKey, ecdsa.PrivateKey, ed25519). */
export function goPrivateKey(key: KeyObject): unknown {
  const jwk = key.export({ format: 'jwk' });
  const big = (s?: string) => (s ? BigInt(`0x${Buffer.from(s, 'base64url').toString('hex') || '0'}`) : 0n);
  if (jwk.kty === 'RSA') {
    return {
      N: big(jwk.n),
      E: Number(big(jwk.e)),
      D: big(jwk.d),
      Primes: [big(jwk.p), big(jwk.q)],
      Precomputed: { Dp: big(jwk.dp), Dq: big(jwk.dq), Qinv: big(jwk.qi), CRTValues: [] },
    };
  }
  if (jwk.kty === 'EC') return { Curve: {}, X: big(jwk.x), Y: big(jwk.y), D: big(jwk.d) };
  return Buffer.concat([Buffer.from(jwk.d ?? '', 'base64url'), Buffer.from(jwk.x ?? '', 'base64url')]).toString(
    'base64',
  );
}

const parsePrivateKeys = declare({
  name: 'crypto.parse_private_keys',
  args: [
    {
      name: 'keys',
      type: T.string,
      description:
        'PEM encoded data containing one or more private keys as concatenated blocks. Optionally Base64 encoded.',
    },
  ],
  result: {
    name: 'output',
    type: T.array(T.object(T.string, T.any)),
    description: 'parsed private keys represented as objects',
  },
  description:
    'Returns zero or more private keys from the given encoded string containing DER certificate data.\n\nIf ' +
    'the input is empty, the function will return null. The input string should be a list of one or more ' +
    'concatenated PEM blocks. The whole input of concatenated PEM blocks can optionally be Base64 encoded.',
  categories: ['crypto'],
});
implement(parsePrivateKeys, ([x]) => {
  const text = stringArg(x, 1);
  if (text === '') return null;
  return goValue(privateKeys(text).map(goPrivateKey));
});

const parseRsaPrivateKey = declare({
  name: 'crypto.x509.parse_rsa_private_key',
  args: [{ name: 'pem', type: T.string, description: 'base64 string containing a PEM encoded RSA private key' }],
  result: { name: 'output', type: T.object(T.string, T.any), description: 'JWK as an object' },
  description: 'Returns a JWK for signing a JWT from the given PEM-encoded RSA private key.',
  categories: ['crypto'],
});
implement(parseRsaPrivateKey, ([x]) => {
  let text = stringArg(x, 1);
  if (text === '') throw new BuiltinError('input PEM data was empty');
  if (!text.startsWith('-----BEGIN')) text = decodeBase64(text, false).toString('latin1');
  const keys = privateKeys(text);
  if (keys.length === 0) return null;
  return goValue(keys[0]!.export({ format: 'jwk' }));
});
