// crypto.x509.*: certificate (chain) parsing and verification, certificate requests and key
// pairs. Inputs are PEM, base64 of PEM, or base64 of DER, as OPA accepts them.
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { isNumber, SetValue, type Value } from '../value.js';
import { objectArg, stringArg } from './args.js';
import { ASN1Error } from './asn1.js';
import { goPrivateKey } from './crypto.js';
import { decodeBase64 } from './encoding.js';
import { pemDecode } from './pem.js';
import { toBigInt } from '../number.js';
import { goValue, parseCertificateRequest, parseCertificates, type ParsedCertificate } from './x509-cert.js';
import { BuiltinError, declare, implement, operandError } from './table.js';
import { T } from '../types.js';

function certsFromPem(text: string): ParsedCertificate[] {
  const der: Buffer[] = [];
  for (let block = pemDecode(text); block !== undefined; block = pemDecode(block.rest)) {
    if (block.type !== 'CERTIFICATE') throw new BuiltinError(`PEM block type is '${block.type}', expected CERTIFICATE`);
    der.push(block.bytes);
  }
  return parseDERCerts(Buffer.concat(der));
}

function parseDERCerts(der: Buffer): ParsedCertificate[] {
  try {
    return parseCertificates(der);
  } catch (e) {
    if (e instanceof ASN1Error || e instanceof TypeError || e instanceof RangeError)
      throw new BuiltinError('x509: malformed certificate');
    throw e;
  }
}

/** PEM text, base64 of PEM, or base64 of DER. */
export function certificatesFromString(text: string): ParsedCertificate[] {
  if (text.startsWith('-----BEGIN')) return certsFromPem(text);
  const bytes = decodeBase64(text, false);
  if (bytes.subarray(0, 10).toString('latin1') === '-----BEGIN') return certsFromPem(bytes.toString('latin1'));
  return parseDERCerts(bytes);
}

const certsType = T.array(T.object(T.string, T.any));

const parseCertificatesDecl = declare({
  name: 'crypto.x509.parse_certificates',
  args: [
    {
      name: 'certs',
      type: T.string,
      description:
        'base64 encoded DER or PEM data containing one or more certificates or a PEM string of one or more ' +
        'certificates',
    },
  ],
  result: { name: 'output', type: certsType, description: 'parsed X.509 certificates represented as objects' },
  description:
    'Returns zero or more certificates from the given encoded string containing\nDER certificate data.\n\nIf ' +
    'the input is empty, the function will return null. The input string should be a list of one or ' +
    'more\nconcatenated PEM blocks. The whole input of concatenated PEM blocks can optionally be Base64 ' +
    'encoded.',
  categories: ['crypto'],
});
implement(parseCertificatesDecl, ([x]) => goValue(certificatesFromString(stringArg(x, 1)).map((c) => c.json)));

// --- chain verification -----------------------------------------------------------------

interface VerifyOptions {
  dnsName: string;
  /** Milliseconds since the epoch. */
  now: number;
  keyUsages: number[];
}

const EKU: Record<string, number> = {
  KeyUsageAny: 0,
  KeyUsageServerAuth: 1,
  KeyUsageClientAuth: 2,
  KeyUsageCodeSigning: 3,
  KeyUsageEmailProtection: 4,
  KeyUsageIPSECEndSystem: 5,
  KeyUsageIPSECTunnel: 6,
  KeyUsageIPSECUser: 7,
  KeyUsageTimeStamping: 8,
  KeyUsageOCSPSigning: 9,
  KeyUsageMicrosoftServerGatedCrypto: 10,
  KeyUsageNetscapeServerGatedCrypto: 11,
  KeyUsageMicrosoftCommercialCodeSigning: 12,
  KeyUsageMicrosoftKernelCodeSigning: 13,
};

function matchesHost(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) {
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === p.slice(2);
  }
  return p === h;
}

/** The first chain leaf → ... → root (certs[0] is the only trusted root), as Go's Verify. */
function verifyChain(certs: ParsedCertificate[], opts: VerifyOptions): ParsedCertificate[] | undefined {
  if (certs.length < 2) throw operandError(1, 'must supply at least two certificates to be able to verify');
  const root = certs[0]!;
  const intermediates = certs.slice(1, -1);
  const leaf = certs[certs.length - 1]!;
  const x509 = new Map(certs.map((c) => [c, new X509Certificate(c.raw)] as const));
  const timeOk = (c: ParsedCertificate) =>
    Date.parse(c.json.NotBefore as string) <= opts.now && opts.now <= Date.parse(c.json.NotAfter as string);
  const canSign = (c: ParsedCertificate) => c.json.BasicConstraintsValid === true && c.json.IsCA === true;
  const signedBy = (child: ParsedCertificate, parent: ParsedCertificate) => {
    if (!child.rawIssuer.equals(parent.rawSubject)) return false;
    try {
      return x509.get(child)!.verify(x509.get(parent)!.publicKey);
    } catch {
      return false;
    }
  };
  const usageOk = (chain: ParsedCertificate[]) => {
    const wanted = opts.keyUsages.length ? opts.keyUsages : [1];
    if (wanted.includes(0)) return true;
    return chain.every((c) => {
      const eku = c.json.ExtKeyUsage as number[] | null;
      return eku === null || eku.includes(0) || wanted.some((u) => eku.includes(u));
    });
  };
  if (!timeOk(leaf)) return undefined;
  if (opts.dnsName !== '' && !((leaf.json.DNSNames as string[] | null) ?? []).some((d) => matchesHost(d, opts.dnsName)))
    return undefined;
  const search = (chain: ParsedCertificate[]): ParsedCertificate[] | undefined => {
    const cur = chain[chain.length - 1]!;
    if (signedBy(cur, root) && canSign(root) && timeOk(root)) {
      const full = cur === root ? chain : [...chain, root];
      if (usageOk(full)) return full;
    }
    for (const parent of intermediates) {
      if (chain.includes(parent) || !canSign(parent) || !timeOk(parent) || !signedBy(cur, parent)) continue;
      const maxLen = parent.json.MaxPathLen as number;
      if (maxLen >= 0 && (maxLen > 0 || parent.json.MaxPathLenZero) && chain.length - 1 > maxLen) continue;
      const found = search([...chain, parent]);
      if (found) return found;
    }
    return undefined;
  };
  return leaf === root ? [root] : search([leaf]);
}

const verifiedType = T.tuple(T.boolean, certsType);

function parseAndVerify(text: string, opts: VerifyOptions): Value {
  let certs: ParsedCertificate[];
  try {
    certs = certificatesFromString(text);
  } catch (e) {
    if (e instanceof BuiltinError) return [false, []];
    throw e;
  }
  const chain = verifyChain(certs, opts);
  return chain === undefined ? [false, []] : [true, goValue(chain.map((c) => c.json))];
}

const parseAndVerifyDecl = declare({
  name: 'crypto.x509.parse_and_verify_certificates',
  args: [
    {
      name: 'certs',
      type: T.string,
      description:
        'base64 encoded DER or PEM data containing two or more certificates where the first is a root CA, the ' +
        'last is a leaf certificate, and all others are intermediate CAs',
    },
  ],
  result: {
    name: 'output',
    type: verifiedType,
    description:
      'array of `[valid, certs]`: if the input certificate chain could be verified then `valid` is `true` and ' +
      '`certs` is an array of X.509 certificates represented as objects; if the input certificate chain could ' +
      'not be verified then `valid` is `false` and `certs` is `[]`',
  },
  description:
    'Returns one or more certificates from the given string containing PEM\nor base64 encoded DER certificates ' +
    'after verifying the supplied certificates form a complete\ncertificate chain back to a trusted ' +
    'root.\n\nThe first certificate is treated as the root and the last is treated as the leaf,\nwith all ' +
    'others being treated as intermediates.',
  categories: ['crypto'],
});
implement(parseAndVerifyDecl, ([x], ctx) =>
  parseAndVerify(stringArg(x, 1), { dnsName: '', now: Number(ctx.timeNs / 1000000n), keyUsages: [] }),
);

const parseAndVerifyWithOptions = declare({
  name: 'crypto.x509.parse_and_verify_certificates_with_options',
  args: [
    {
      name: 'certs',
      type: T.string,
      description:
        'base64 encoded DER or PEM data containing two or more certificates where the first is a root CA, the ' +
        'last is a leaf certificate, and all others are intermediate CAs',
    },
    {
      name: 'options',
      type: T.object(T.string, T.any),
      description:
        'object containing extra configs to verify the validity of certificates. `options` object supports ' +
        'four fields which maps to same fields in [x509.VerifyOptions ' +
        'struct](https://pkg.go.dev/crypto/x509#VerifyOptions). `DNSName`, `CurrentTime`: Nanoseconds since ' +
        'the Unix Epoch as a number, `MaxConstraintComparisons` and `KeyUsages`.',
    },
  ],
  result: {
    name: 'output',
    type: verifiedType,
    description:
      'array of `[valid, certs]`: if the input certificate chain could be verified then `valid` is `true` and ' +
      '`certs` is an array of X.509 certificates represented as objects; if the input certificate chain could ' +
      'not be verified then `valid` is `false` and `certs` is `[]`',
  },
  description:
    'Returns one or more certificates from the given string containing PEM\nor base64 encoded DER certificates ' +
    'after verifying the supplied certificates form a complete\ncertificate chain back to a trusted root. A ' +
    'config option passed as the second argument can\nbe used to configure the validation options used.\n\nThe ' +
    'first certificate is treated as the root and the last is treated as the leaf,\nwith all others being ' +
    'treated as intermediates.',
  categories: ['crypto'],
});
implement(parseAndVerifyWithOptions, ([x, o], ctx) => {
  const text = stringArg(x, 1);
  const options = objectArg(o, 2);
  const opts: VerifyOptions = { dnsName: '', now: Number(ctx.timeNs / 1000000n), keyUsages: [] };
  for (const [k, v] of options.entries()) {
    if (typeof k !== 'string') continue;
    switch (k) {
      case 'DNSName':
        if (typeof v !== 'string') throw new BuiltinError("'DNSName' should be a string");
        opts.dnsName = v.replace(/^"+|"+$/g, '');
        break;
      case 'CurrentTime': {
        if (!isNumber(v)) throw new BuiltinError("'CurrentTime' should be a number");
        const ns = toBigInt(v);
        if (ns === undefined) throw new BuiltinError("'CurrentTime' should be a valid int64 number");
        opts.now = Number(ns / 1000000n);
        break;
      }
      case 'MaxConstraintComparisons':
        if (!isNumber(v)) throw new BuiltinError("'MaxConstraintComparisons' should be a number");
        break;
      case 'KeyUsages': {
        if (!Array.isArray(v) && !(v instanceof SetValue))
          throw new BuiltinError("'KeyUsages' should be an Array or Set");
        const invalid: string[] = [];
        for (const u of Array.isArray(v) ? v : v.values()) {
          if (typeof u !== 'string') continue;
          const name = u.replace(/^"+|"+$/g, '');
          if (EKU[name] === undefined) invalid.push(name);
          else opts.keyUsages.push(EKU[name]!);
        }
        if (invalid.length) throw new BuiltinError(`invalid entries for 'KeyUsages' found: [${invalid.join(' ')}]`);
        break;
      }
      default:
        throw new BuiltinError('invalid key option');
    }
  }
  return parseAndVerify(text, opts);
});

// --- certificate requests and key pairs --------------------------------------------------

const parseCsr = declare({
  name: 'crypto.x509.parse_certificate_request',
  args: [
    {
      name: 'csr',
      type: T.string,
      description: 'base64 string containing either a PEM encoded or DER CSR or a string containing a PEM CSR',
    },
  ],
  result: { name: 'output', type: T.object(T.string, T.any), description: 'X.509 CSR represented as an object' },
  description:
    'Returns a PKCS #10 certificate signing request from the given PEM-encoded PKCS#10 certificate signing request.',
  categories: ['crypto'],
});
implement(parseCsr, ([x]) => {
  const text = stringArg(x, 1);
  let bytes = text.startsWith('-----BEGIN CERTIFICATE REQUEST-----')
    ? Buffer.from(text, 'latin1')
    : decodeBase64(text, false);
  const block = pemDecode(bytes.toString('latin1'));
  if (block !== undefined && block.type !== 'CERTIFICATE REQUEST')
    throw new BuiltinError('invalid PEM-encoded certificate signing request');
  if (block !== undefined) bytes = block.bytes;
  try {
    return goValue(parseCertificateRequest(bytes));
  } catch (e) {
    if (e instanceof ASN1Error || e instanceof TypeError || e instanceof RangeError)
      throw new BuiltinError(`asn1: structure error: ${(e as Error).message}`);
    throw e;
  }
});

/** PEM text of the input (base64 decoded if needed; DER wrapped in a block of `type`). */
function asPem(text: string, type: string): string {
  if (text.startsWith('-----BEGIN ')) return text;
  const bytes = decodeBase64(text, false);
  const s = bytes.toString('latin1');
  if (s.startsWith('-----BEGIN')) return s;
  return `-----BEGIN ${type}-----\n${bytes.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${type}-----\n`;
}

const parseKeyPair = declare({
  name: 'crypto.x509.parse_keypair',
  args: [
    { name: 'cert', type: T.string, description: 'string containing PEM or base64 encoded DER certificates' },
    { name: 'pem', type: T.string, description: 'string containing PEM or base64 encoded DER keys' },
  ],
  result: {
    name: 'output',
    type: T.object(T.string, T.any),
    description:
      'if key pair is valid, returns the tls.certificate(https://pkg.go.dev/crypto/tls#Certificate) as an ' +
      'object. If the key pair is invalid, nil and an error are returned.',
  },
  description: 'Returns a valid key pair',
  categories: ['crypto'],
});
implement(parseKeyPair, ([c, k]) => {
  const certPem = asPem(stringArg(c, 1), 'CERTIFICATE');
  const keyPem = asPem(stringArg(k, 1), 'PRIVATE KEY');
  const der: Buffer[] = [];
  for (let b = pemDecode(certPem); b !== undefined; b = pemDecode(b.rest))
    if (b.type === 'CERTIFICATE') der.push(b.bytes);
  if (der.length === 0) throw new BuiltinError('tls: failed to find any PEM data in certificate input');
  let keyBlock = pemDecode(keyPem);
  while (keyBlock !== undefined && keyBlock.type !== 'PRIVATE KEY' && !keyBlock.type.endsWith(' PRIVATE KEY'))
    keyBlock = pemDecode(keyBlock.rest);
  if (keyBlock === undefined) throw new BuiltinError('tls: failed to find any PEM data in key input');
  const type = keyBlock.type === 'RSA PRIVATE KEY' ? 'pkcs1' : keyBlock.type === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs8';
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyBlock.bytes, format: 'der', type });
  } catch {
    throw new BuiltinError('tls: failed to parse private key');
  }
  const leaf = parseDERCerts(der[0]!)[0]!;
  const certKey = new X509Certificate(leaf.raw).publicKey.export({ format: 'der', type: 'spki' });
  if (!createPublicKey(key).export({ format: 'der', type: 'spki' }).equals(certKey))
    throw new BuiltinError('tls: private key does not match public key');
  return goValue({
    Certificate: der.map((d) => d.toString('base64')),
    PrivateKey: goPrivateKey(key),
    SupportedSignatureAlgorithms: null,
    OCSPStaple: null,
    SignedCertificateTimestamps: null,
    Leaf: leaf.json,
  });
});
