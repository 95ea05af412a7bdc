// Fixtures: a throwaway EC P-256 root and leaf made with openssl for these tests only.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ObjectValue } from '../../../compiler/rego/value.js';
import { call, context, expectCall, expectError } from './helpers.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const root = fixture('root.pem');
const leaf = fixture('leaf.pem');

describe('hashes and HMACs', () => {
  it('hash the UTF-8 bytes', () => {
    expectCall('crypto.md5', ['lorem ipsum'], '80a751fde577028640c419000e33eba6');
    expectCall('crypto.sha1', ['abc'], 'a9993e364706816aba3e25717850c26c9cd0d89d');
    expectCall('crypto.sha256', [''], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expectCall('crypto.hmac.md5', ['foo', 'bar'], '31b6db9e5eb4addb42f1a6ca07367adc');
    expectCall('crypto.hmac.md5', ['åäöçß🥲♙Ω', '秘密の'], '20a8743c2157ac60b7e8b79c83651b8d');
    expectCall(
      'crypto.hmac.sha256',
      ['foo', 'bar'],
      '147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851',
    );
    expectCall('crypto.hmac.equal', ['abc', 'abc'], true);
    expectCall('crypto.hmac.equal', ['abc', 'ab'], false);
  });
});

describe('private keys', () => {
  it('parses PEM (or base64 of PEM) private keys of any PEM type', () => {
    const keys = call('crypto.parse_private_keys', [fixture('leaf.key') + fixture('leaf-pkcs8.key')]) as ObjectValue[];
    expect(keys).toHaveLength(2);
    expect(keys[0]!.keys()).toEqual(['Curve', 'D', 'X', 'Y']);
    expectCall('crypto.parse_private_keys', [Buffer.from(fixture('leaf.key')).toString('base64')], [keys[0]]);
    expectCall('crypto.parse_private_keys', ['nope'], []);
    expectCall('crypto.parse_private_keys', [''], null);
    const jwk = call('crypto.x509.parse_rsa_private_key', [fixture('leaf.key')]) as ObjectValue;
    expect(jwk.get('kty')).toBe('EC');
    expect(jwk.get('crv')).toBe('P-256');
    expectError('crypto.x509.parse_rsa_private_key', ['invalid'], 'eval_builtin_error', 'illegal base64');
  });
});

describe('x509', () => {
  it('parses certificates into Go’s field layout', () => {
    const [cert] = call('crypto.x509.parse_certificates', [leaf]) as ObjectValue[];
    expect((cert!.get('Subject') as ObjectValue).get('CommonName')).toBe('svc.mlspec.test');
    expect((cert!.get('Issuer') as ObjectValue).get('Organization')).toEqual(['mlspec test']);
    expect(cert!.get('DNSNames')).toEqual(['svc.mlspec.test']);
    expect(cert!.get('URIStrings')).toEqual(['spiffe://mlspec.test/svc']);
    expect(cert!.get('IPAddresses')).toEqual(['10.0.0.1']);
    expect(cert!.get('ExtKeyUsage')).toEqual([1]);
    expect(cert!.get('PublicKeyAlgorithm')).toBe(3);
    expect(cert!.get('SignatureAlgorithm')).toBe(10);
    expect(cert!.get('Version')).toBe(3);
    const both = call('crypto.x509.parse_certificates', [Buffer.from(root + leaf).toString('base64')]) as ObjectValue[];
    expect(both.map((c) => (c.get('Subject') as ObjectValue).get('CommonName'))).toEqual([
      'mlspec test root',
      'svc.mlspec.test',
    ]);
    const [rootCert] = both;
    expect(rootCert!.get('IsCA')).toBe(true);
    expect(rootCert!.get('MaxPathLen')).toBe(-1);
    expectError(
      'crypto.x509.parse_certificates',
      ['YmFkc3RyaW5n'],
      'eval_builtin_error',
      'x509: malformed certificate',
    );
    expectError('crypto.x509.parse_certificates', ['foobar'], 'eval_builtin_error', 'illegal base64');
  });

  it('verifies a chain from the first (root) to the last (leaf) certificate', () => {
    // The fixtures are valid from late 2026 on; verification time comes from the context.
    const at = context({ timeNs: 1893456000000000000n }); // 2030-01-01
    const [ok, chain] = call('crypto.x509.parse_and_verify_certificates', [root + leaf], at) as [
      boolean,
      ObjectValue[],
    ];
    expect(ok).toBe(true);
    expect(chain.map((c) => (c.get('Subject') as ObjectValue).get('CommonName'))).toEqual([
      'svc.mlspec.test',
      'mlspec test root',
    ]);
    expectCall('crypto.x509.parse_and_verify_certificates', [leaf + root], [false, []], at);
    expectCall('crypto.x509.parse_and_verify_certificates', [root + leaf], [false, []], context({ timeNs: 0n }));
    expectError(
      'crypto.x509.parse_and_verify_certificates',
      [leaf],
      'eval_type_error',
      'must supply at least two certificates',
    );
    const opts = (o: object) =>
      call('crypto.x509.parse_and_verify_certificates_with_options', [root + leaf, o], at) as [boolean, unknown];
    expect(opts({ DNSName: 'svc.mlspec.test' })[0]).toBe(true);
    expect(opts({ DNSName: 'other.test' })[0]).toBe(false);
    expect(opts({ KeyUsages: ['KeyUsageClientAuth'] })[0]).toBe(false);
    expect(opts({ KeyUsages: ['KeyUsageAny'] })[0]).toBe(true);
    expectError(
      'crypto.x509.parse_and_verify_certificates_with_options',
      [root + leaf, { KeyUsages: ['Nope'] }],
      'eval_builtin_error',
      "invalid entries for 'KeyUsages' found: [Nope]",
    );
  });

  it('parses certificate requests and key pairs', () => {
    const csr = call('crypto.x509.parse_certificate_request', [fixture('leaf.csr')]) as ObjectValue;
    expect((csr.get('Subject') as ObjectValue).get('CommonName')).toBe('svc.mlspec.test');
    expect(csr.get('DNSNames')).toEqual(['svc.mlspec.test']);
    expectError(
      'crypto.x509.parse_certificate_request',
      ['YmFkc3RyaW5n'],
      'eval_builtin_error',
      'asn1: structure error',
    );
    const pair = call('crypto.x509.parse_keypair', [leaf, fixture('leaf-pkcs8.key')]) as ObjectValue;
    expect((pair.get('Certificate') as string[])[0]).toBe(leaf.replace(/-----[^-]+-----|\s/g, ''));
    expectError(
      'crypto.x509.parse_keypair',
      [root, fixture('leaf.key')],
      'eval_builtin_error',
      'tls: private key does not match public key',
    );
  });
});
