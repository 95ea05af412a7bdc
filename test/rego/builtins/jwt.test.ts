import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ObjectValue } from '../../../compiler/rego/value.js';
import { call, context, expectCall, expectError } from './helpers.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const jwk = (k: { export(o: { format: 'jwk' }): object }) => k.export({ format: 'jwk' });
const pemPublic = (k: { export(o: { format: 'pem'; type: 'spki' }): string | Buffer }) =>
  String(k.export({ format: 'pem', type: 'spki' }));
const hsKey = { kty: 'oct', k: Buffer.from('secret').toString('base64url') };

describe('io.jwt', () => {
  it('decodes tokens, nested ones too', () => {
    const token =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.' +
      'XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY';
    expectCall(
      'io.jwt.decode',
      [token],
      [
        { alg: 'HS256', typ: 'JWT' },
        { iss: 'opa', sub: '0' },
        '5e65682e81c8de9c4cb4c3bf59138d3122731940cff690e3cbc269d3fb5d4576',
      ],
    );
    expectError('io.jwt.decode', ['abc'], 'eval_builtin_error', 'encoded JWT had no period separators');
    expectError('io.jwt.decode', ['a.b'], 'eval_builtin_error', 'encoded JWT must have 3 sections, found 2');
    expectError(
      'io.jwt.decode',
      ['eyJhbGciOiJIU^%zI1NiI+sInR5cCI6IkpXVCJ9.e30.e30'],
      'eval_builtin_error',
      'JWT header had invalid encoding: illegal base64 data at input byte 13',
    );
    const jwe = `${Buffer.from('{"alg":"x","enc":"y"}').toString('base64url')}.e30.`;
    expectError('io.jwt.decode', [jwe], 'eval_builtin_error', 'JWT is a JWE object, which is not supported');
  });

  it('signs and verifies with HMAC, RSA (PKCS1 and PSS), ECDSA and EdDSA', () => {
    const payload = { iss: 'me', aud: ['you'], n: 1 };
    const cases: [string, object, string][] = [
      ['HS256', hsKey, 'secret'],
      ['HS512', hsKey, 'secret'],
      ['RS256', jwk(rsa.privateKey), pemPublic(rsa.publicKey)],
      ['PS384', jwk(rsa.privateKey), JSON.stringify(jwk(rsa.publicKey))],
      ['ES256', jwk(ec.privateKey), pemPublic(ec.publicKey)],
      ['EdDSA', jwk(ed.privateKey), JSON.stringify({ keys: [jwk(ed.publicKey)] })],
    ];
    for (const [alg, signKey, verifyKey] of cases) {
      const token = call('io.jwt.encode_sign', [{ alg, typ: 'JWT' }, payload, signKey]) as string;
      expect(call(`io.jwt.verify_${alg.toLowerCase()}`, [token, verifyKey]), alg).toBe(true);
      expect(call(`io.jwt.verify_${alg.toLowerCase()}`, [`${token.slice(0, -4)}AAAA`, verifyKey]), alg).toBe(false);
      const constraint = alg.startsWith('HS') ? { secret: 'secret' } : { cert: verifyKey };
      const [valid, header, claims] = call('io.jwt.decode_verify', [
        token,
        { ...constraint, aud: 'you', iss: 'me' },
      ]) as [boolean, ObjectValue, ObjectValue];
      expect(valid, alg).toBe(true);
      expect(header.get('alg')).toBe(alg);
      expect(claims.get('n')).toBe(1);
    }
    // A key of another kind never verifies.
    const rsToken = call('io.jwt.encode_sign', [{ alg: 'RS256' }, payload, jwk(rsa.privateKey)]) as string;
    expectCall('io.jwt.verify_es256', [rsToken, pemPublic(ec.publicKey)], false);
  });

  it('encodes raw headers and payloads exactly as given', () => {
    const key = JSON.stringify({
      kty: 'oct',
      k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
    });
    expectCall(
      'io.jwt.encode_sign_raw',
      [
        '{"typ":"JWT",\r\n "alg":"HS256"}',
        '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}',
        key,
      ],
      'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.' +
        'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.' +
        'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    );
    expectError(
      'io.jwt.encode_sign_raw',
      ['{"alg":"dummy"}', '{}', key],
      'eval_builtin_error',
      'unknown JWS algorithm: dummy',
    );
    expectError(
      'io.jwt.encode_sign_raw',
      ['{}', '{}', key],
      'eval_builtin_error',
      `missing or invalid 'alg' header: jwsbb: header "alg" not found`,
    );
    expectError(
      'io.jwt.encode_sign_raw',
      ['{"alg":"HS256"}', 'e', key],
      'eval_builtin_error',
      'type is JWT but payload is not JSON',
    );
    expect(call('io.jwt.encode_sign_raw', ['{"typ":"text/plain","alg":"HS256"}', 'e', key])).toMatch(/\.ZQ\./);
  });

  it('checks decode_verify constraints and claims at the evaluation time', () => {
    const sign = (claims: object) =>
      call('io.jwt.encode_sign', [{ alg: 'HS256', typ: 'JWT' }, claims, hsKey]) as string;
    const at = (seconds: number) => context({ timeNs: BigInt(seconds) * 1000000000n });
    const verify = (token: string, c: object, ctx = at(2000)) =>
      (call('io.jwt.decode_verify', [token, { secret: 'secret', ...c }], ctx) as [boolean])[0];
    expect(verify(sign({ exp: 3000 }), {})).toBe(true);
    expect(verify(sign({ exp: 3000 }), {}, at(3000))).toBe(false);
    expect(verify(sign({ nbf: 1000.1 }), { time: 1000.1e9 })).toBe(true);
    expect(verify(sign({ nbf: 1000.1 }), { time: 1000e9 })).toBe(false);
    expect(verify(sign({ iss: 'x' }), { iss: 'y' })).toBe(false);
    expect(verify(sign({ aud: 'x' }), {})).toBe(false);
    expect(verify(sign({}), { alg: 'HS512' })).toBe(false);
    expect(verify(sign({}), { secret: 'wrong' })).toBe(false);
    expectError('io.jwt.decode_verify', [sign({}), {}], 'eval_builtin_error', 'no key constraint');
    expectError(
      'io.jwt.decode_verify',
      [sign({}), { secret: 's', cert: hsKey.k }],
      'eval_builtin_error',
      'failed to parse a JWK key (set)',
    );
    expectError(
      'io.jwt.decode_verify',
      [sign({}), { secret: 's', bogus: 1 }],
      'eval_builtin_error',
      'unknown token validation constraint: bogus',
    );
    expectError(
      'io.jwt.decode_verify',
      [sign({ exp: 'soon' }), { secret: 'secret' }],
      'eval_builtin_error',
      'exp value must be a number',
    );
  });

  it('rejects malformed PEM and JWK keys with OPA’s messages', () => {
    const token = call('io.jwt.encode_sign', [{ alg: 'RS256' }, {}, jwk(rsa.privateKey)]) as string;
    expectError(
      'io.jwt.verify_rs256',
      [token, '-----BEGIN CERT-----\nAAAA\n-----END CERT-----'],
      'eval_builtin_error',
      'failed to extract a Key from the PEM certificate',
    );
    expectError(
      'io.jwt.verify_rs256',
      [token, `${pemPublic(rsa.publicKey)}junk`],
      'eval_builtin_error',
      'extra data after a PEM certificate block',
    );
    expectError(
      'io.jwt.verify_rs256',
      [token, '{"kty":"bogus"}'],
      'eval_builtin_error',
      'failed to parse a JWK key (set)',
    );
  });
});
