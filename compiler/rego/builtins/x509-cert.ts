// X.509 certificates and certificate requests as objects shaped like Go's x509.Certificate /
// x509.CertificateRequest marshalled to JSON (what OPA returns): field names, enum numbers,
// byte fields in base64, big integers as numbers, times in RFC 3339.
import { createPublicKey } from 'node:crypto';
import { fromBigInt } from '../number.js';
import { fromJS, ObjectValue, type Value } from '../value.js';
import { ASN1Error, children, integer, oid, parseDER, readNode, text, time, type Node } from './asn1.js';
import { ipString } from './net-addr.js';

const b64 = (b: Buffer) => b.toString('base64');
const oidKey = (o: number[]) => o.join('.');

const SIGNATURE_ALGORITHMS: Record<string, number> = {
  '1.2.840.113549.1.1.2': 1,
  '1.2.840.113549.1.1.4': 2,
  '1.2.840.113549.1.1.5': 3,
  '1.2.840.113549.1.1.11': 4,
  '1.2.840.113549.1.1.12': 5,
  '1.2.840.113549.1.1.13': 6,
  '1.2.840.10040.4.3': 7,
  '2.16.840.1.101.3.4.3.2': 8,
  '1.2.840.10045.4.1': 9,
  '1.2.840.10045.4.3.2': 10,
  '1.2.840.10045.4.3.3': 11,
  '1.2.840.10045.4.3.4': 12,
  '1.2.840.113549.1.1.10': 13,
  '1.3.101.112': 16,
};

const PUBLIC_KEY_ALGORITHMS: Record<string, number> = {
  '1.2.840.113549.1.1.1': 1,
  '1.2.840.10040.4.1': 2,
  '1.2.840.10045.2.1': 3,
  '1.3.101.112': 4,
};

const EXT_KEY_USAGES: Record<string, number> = {
  '2.5.29.37.0': 0,
  '1.3.6.1.5.5.7.3.1': 1,
  '1.3.6.1.5.5.7.3.2': 2,
  '1.3.6.1.5.5.7.3.3': 3,
  '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5,
  '1.3.6.1.5.5.7.3.6': 6,
  '1.3.6.1.5.5.7.3.7': 7,
  '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9,
  '1.3.6.1.4.1.311.10.3.3': 10,
  '2.16.840.1.113730.4.1': 11,
  '1.3.6.1.4.1.311.2.1.22': 12,
  '1.3.6.1.4.1.311.61.1.1': 13,
};

const NAME_FIELDS: Record<string, string> = {
  '2.5.4.6': 'Country',
  '2.5.4.10': 'Organization',
  '2.5.4.11': 'OrganizationalUnit',
  '2.5.4.7': 'Locality',
  '2.5.4.8': 'Province',
  '2.5.4.9': 'StreetAddress',
  '2.5.4.17': 'PostalCode',
};

/** pkix.Name */
function name(n: Node): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Country: null,
    Organization: null,
    OrganizationalUnit: null,
    Locality: null,
    Province: null,
    StreetAddress: null,
    PostalCode: null,
    SerialNumber: '',
    CommonName: '',
    Names: [] as unknown[],
    ExtraNames: null,
  };
  for (const rdn of children(n)) {
    for (const atv of children(rdn)) {
      const [t, v] = children(atv);
      const type = oid(t!);
      const value = text(v!);
      (out.Names as unknown[]).push({ Type: type, Value: value });
      const key = oidKey(type);
      if (key === '2.5.4.3') out.CommonName = value;
      else if (key === '2.5.4.5') out.SerialNumber = value;
      else if (NAME_FIELDS[key])
        out[NAME_FIELDS[key]!] = [...((out[NAME_FIELDS[key]!] as string[] | null) ?? []), value];
    }
  }
  return out;
}

/** The public key as Go marshals it: RSA {N, E}, ECDSA {Curve, X, Y}, Ed25519 bytes. */
function publicKey(spki: Node): unknown {
  try {
    const jwk = createPublicKey({ key: spki.raw, format: 'der', type: 'spki' }).export({ format: 'jwk' });
    const big = (s?: string) => (s ? BigInt(`0x${Buffer.from(s, 'base64url').toString('hex') || '0'}`) : 0n);
    if (jwk.kty === 'RSA') return { N: big(jwk.n), E: Number(big(jwk.e)) };
    if (jwk.kty === 'EC') return { Curve: {}, X: big(jwk.x), Y: big(jwk.y) };
    if (jwk.kty === 'OKP' && jwk.x) return b64(Buffer.from(jwk.x, 'base64url'));
  } catch {
    // A key node:crypto cannot read is left out, as Go leaves it nil.
  }
  return null;
}

interface GeneralNames {
  DNSNames: string[] | null;
  EmailAddresses: string[] | null;
  IPAddresses: string[] | null;
  URIs: unknown[] | null;
  URIStrings: string[] | null;
}

function goURL(s: string): unknown {
  try {
    const u = new URL(s);
    return {
      Scheme: u.protocol.replace(/:$/, ''),
      Opaque: '',
      User: null,
      Host: u.host,
      Path: decodeURIComponent(u.pathname),
      RawPath: '',
      OmitHost: false,
      ForceQuery: false,
      RawQuery: u.search.replace(/^\?/, ''),
      Fragment: decodeURIComponent(u.hash.replace(/^#/, '')),
      RawFragment: '',
    };
  } catch {
    return {
      Scheme: '',
      Opaque: '',
      User: null,
      Host: '',
      Path: s,
      RawPath: '',
      OmitHost: false,
      ForceQuery: false,
      RawQuery: '',
      Fragment: '',
      RawFragment: '',
    };
  }
}

function generalNames(seq: Node, out: GeneralNames): void {
  const push = <K extends keyof GeneralNames>(k: K, v: NonNullable<GeneralNames[K]>[number]) => {
    (out[k] as unknown[] | null) = [...((out[k] as unknown[] | null) ?? []), v];
  };
  for (const g of children(seq)) {
    const s = g.content.toString('latin1');
    if (g.tag === 0x81) push('EmailAddresses', s);
    else if (g.tag === 0x82) push('DNSNames', s);
    else if (g.tag === 0x86) {
      push('URIs', goURL(s));
      push('URIStrings', s);
    } else if (g.tag === 0x87 && (g.content.length === 4 || g.content.length === 16)) {
      const value = BigInt(`0x${g.content.toString('hex')}`);
      push('IPAddresses', ipString({ bits: g.content.length === 4 ? 32 : 128, value }));
    }
  }
}

/** Reads the extensions Go decodes into fields; all of them are also listed raw. */
function extensions(exts: Node[], cert: Record<string, unknown>): void {
  const list: unknown[] = [];
  for (const e of exts) {
    const parts = children(e);
    const id = oid(parts[0]!);
    const critical = parts.length === 3 && parts[1]!.content[0] !== 0;
    const value = parts[parts.length - 1]!.content;
    list.push({ Id: id, Critical: critical, Value: b64(value) });
    const inner = () => parseDER(value);
    switch (oidKey(id)) {
      case '2.5.29.15': {
        const bits = inner().content;
        let usage = 0;
        for (let i = 0; i < 9; i++)
          if (bits[1 + (i >> 3)] !== undefined && bits[1 + (i >> 3)]! & (0x80 >> (i & 7))) usage |= 1 << i;
        cert.KeyUsage = usage;
        break;
      }
      case '2.5.29.19': {
        const bc = children(inner());
        cert.BasicConstraintsValid = true;
        cert.IsCA = bc[0]?.tag === 0x01 && bc[0].content[0] !== 0;
        const len = bc.find((x) => x.tag === 0x02);
        cert.MaxPathLen = len ? Number(integer(len)) : -1;
        cert.MaxPathLenZero = len !== undefined && integer(len) === 0n;
        break;
      }
      case '2.5.29.17':
        generalNames(inner(), cert as unknown as GeneralNames);
        break;
      case '2.5.29.37': {
        const usages: number[] = [];
        const unknown: number[][] = [];
        for (const o of children(inner())) {
          const k = EXT_KEY_USAGES[oidKey(oid(o))];
          if (k === undefined) unknown.push(oid(o));
          else usages.push(k);
        }
        cert.ExtKeyUsage = usages.length ? usages : null;
        cert.UnknownExtKeyUsage = unknown.length ? unknown : null;
        break;
      }
      case '2.5.29.14':
        cert.SubjectKeyId = b64(inner().content);
        break;
      case '2.5.29.35': {
        const key = children(inner()).find((x) => x.tag === 0x80);
        if (key) cert.AuthorityKeyId = b64(key.content);
        break;
      }
      case '1.3.6.1.5.5.7.1.1':
        for (const ad of children(inner())) {
          const [method, location] = children(ad);
          if (location?.tag !== 0x86) continue;
          const url = location.content.toString('latin1');
          const m = oidKey(oid(method!));
          if (m === '1.3.6.1.5.5.7.48.1') cert.OCSPServer = [...((cert.OCSPServer as string[] | null) ?? []), url];
          if (m === '1.3.6.1.5.5.7.48.2')
            cert.IssuingCertificateURL = [...((cert.IssuingCertificateURL as string[] | null) ?? []), url];
        }
        break;
      case '2.5.29.32':
        cert.PolicyIdentifiers = children(inner()).map((p) => oid(children(p)[0]!));
        break;
    }
  }
  cert.Extensions = list.length ? list : null;
}

export interface ParsedCertificate {
  readonly json: Record<string, unknown>;
  readonly raw: Buffer;
  readonly rawSubject: Buffer;
  readonly rawIssuer: Buffer;
}

/** One DER certificate. */
export function parseCertificate(der: Buffer): ParsedCertificate {
  const top = parseDER(der);
  const [tbs, sigAlg, sig] = children(top);
  if (!tbs || !sigAlg || !sig) throw new ASN1Error('malformed certificate');
  const f = children(tbs);
  let i = 0;
  let version = 1;
  if (f[0]?.tag === 0xa0) {
    version = Number(integer(children(f[0])[0]!)) + 1;
    i++;
  }
  const serial = f[i++]!;
  i++; // the signature algorithm, repeated
  const issuer = f[i++]!;
  const validity = children(f[i++]!);
  const subject = f[i++]!;
  const spki = f[i++]!;
  const exts = f.slice(i).find((x) => x.tag === 0xa3);
  const keyAlg = oidKey(oid(children(children(spki)[0]!)[0]!));
  const cert: Record<string, unknown> = {
    Raw: b64(top.raw),
    RawTBSCertificate: b64(tbs.raw),
    RawSubjectPublicKeyInfo: b64(spki.raw),
    RawSubject: b64(subject.raw),
    RawIssuer: b64(issuer.raw),
    Signature: b64(sig.content.subarray(1)),
    SignatureAlgorithm: SIGNATURE_ALGORITHMS[oidKey(oid(children(sigAlg)[0]!))] ?? 0,
    PublicKeyAlgorithm: PUBLIC_KEY_ALGORITHMS[keyAlg] ?? 0,
    PublicKey: publicKey(spki),
    Version: version,
    SerialNumber: integer(serial),
    Issuer: name(issuer),
    Subject: name(subject),
    NotBefore: time(validity[0]!),
    NotAfter: time(validity[1]!),
    KeyUsage: 0,
    Extensions: null,
    ExtraExtensions: null,
    UnhandledCriticalExtensions: null,
    ExtKeyUsage: null,
    UnknownExtKeyUsage: null,
    BasicConstraintsValid: false,
    IsCA: false,
    MaxPathLen: 0,
    MaxPathLenZero: false,
    SubjectKeyId: null,
    AuthorityKeyId: null,
    OCSPServer: null,
    IssuingCertificateURL: null,
    DNSNames: null,
    EmailAddresses: null,
    IPAddresses: null,
    URIs: null,
    PermittedDNSDomainsCritical: false,
    PermittedDNSDomains: null,
    ExcludedDNSDomains: null,
    PermittedIPRanges: null,
    ExcludedIPRanges: null,
    PermittedEmailAddresses: null,
    ExcludedEmailAddresses: null,
    PermittedURIDomains: null,
    ExcludedURIDomains: null,
    CRLDistributionPoints: null,
    PolicyIdentifiers: null,
    URIStrings: null,
  };
  if (exts) extensions(children(children(exts)[0]!), cert);
  return { json: cert, raw: top.raw, rawSubject: subject.raw, rawIssuer: issuer.raw };
}

/** Concatenated DER certificates (as x509.ParseCertificates reads them). */
export function parseCertificates(der: Buffer): ParsedCertificate[] {
  const out: ParsedCertificate[] = [];
  for (let pos = 0; pos < der.length; ) {
    const n = readNode(der, pos);
    out.push(parseCertificate(n.raw));
    pos = n.end;
  }
  return out;
}

/** A PKCS #10 certificate request. */
export function parseCertificateRequest(der: Buffer): Record<string, unknown> {
  const top = parseDER(der);
  const [info, sigAlg, sig] = children(top);
  if (!info || !sigAlg || !sig) throw new ASN1Error('malformed certificate request');
  const [version, subject, spki, attrs] = children(info);
  const keyAlg = oidKey(oid(children(children(spki!)[0]!)[0]!));
  const csr: Record<string, unknown> = {
    Raw: b64(top.raw),
    RawTBSCertificateRequest: b64(info.raw),
    RawSubjectPublicKeyInfo: b64(spki!.raw),
    RawSubject: b64(subject!.raw),
    Version: Number(integer(version!)),
    Signature: b64(sig.content.subarray(1)),
    SignatureAlgorithm: SIGNATURE_ALGORITHMS[oidKey(oid(children(sigAlg)[0]!))] ?? 0,
    PublicKeyAlgorithm: PUBLIC_KEY_ALGORITHMS[keyAlg] ?? 0,
    PublicKey: publicKey(spki!),
    Subject: name(subject!),
    Attributes: null,
    Extensions: null,
    ExtraExtensions: null,
    DNSNames: null,
    EmailAddresses: null,
    IPAddresses: null,
    URIs: null,
  };
  // Extensions come from the extensionRequest attribute (1.2.840.113549.1.9.14).
  for (const attr of attrs?.tag === 0xa0 ? children(attrs) : []) {
    const [type, values] = children(attr);
    if (oidKey(oid(type!)) !== '1.2.840.113549.1.9.14') continue;
    const req = children(values!)[0];
    if (req) extensions(children(req), csr);
  }
  return csr;
}

/** Go-JSON-shaped data (bigints included) as a Rego value. */
export function goValue(x: unknown): Value {
  if (typeof x === 'bigint') return fromBigInt(x);
  if (Array.isArray(x)) return x.map(goValue);
  if (x !== null && typeof x === 'object')
    return ObjectValue.of(Object.entries(x).map(([k, v]) => [k, goValue(v)] as const));
  return fromJS(x);
}
