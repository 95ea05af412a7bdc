// providers.aws.sign_req: AWS Signature Version 4 (Authorization header) for a request object
// shaped like http.send's, computed as OPA's signer does (its canonical request uses Go's
// URL.EscapedPath and RawQuery as they are).
import { createHash, createHmac } from 'node:crypto';
import { toBigInt } from '../number.js';
import { isNumber, ObjectValue, SetValue, type Value } from '../value.js';
import { valueToString } from '../convert.js';
import { objectArg } from './args.js';
import { utf8 } from './go-text.js';
import { marshalJSON } from './json-text.js';
import { formatTime } from './time-layout.js';
import { fromUnixNano } from './time-zone.js';
import { BuiltinError, declare, implement, operandError, operandTypeError } from './table.js';
import { T } from '../types.js';

const REQUIRED_CONFIG = ['aws_access_key', 'aws_region', 'aws_secret_access_key', 'aws_service'];
// Keys http.send accepts; anything else in the request object is an error, as there.
const REQUEST_KEYS = new Set([
  'method',
  'url',
  'body',
  'enable_redirect',
  'force_json_decode',
  'force_yaml_decode',
  'headers',
  'raw_body',
  'tls_use_system_certs',
  'tls_ca_cert',
  'tls_ca_cert_file',
  'tls_ca_cert_env_variable',
  'tls_client_cert',
  'tls_client_cert_file',
  'tls_client_cert_env_variable',
  'tls_client_key',
  'tls_client_key_file',
  'tls_client_key_env_variable',
  'tls_insecure_skip_verify',
  'tls_server_name',
  'timeout',
  'cache',
  'force_cache',
  'force_cache_duration_seconds',
  'raise_error',
  'caching_mode',
  'max_retry_attempts',
  'cache_ignored_headers',
]);
// Headers a proxy may change; they are not signed.
const IGNORED_HEADERS = new Set(['authorization', 'user-agent', 'x-amzn-trace-id']);

const setText = (names: string[]) => valueToString(SetValue.of(names));
const str = (v: Value | undefined) => (typeof v === 'string' ? v : '');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const hmac = (key: Buffer | string, msg: string) => createHmac('sha256', key).update(msg).digest();

/** Go's url.Parse, reduced to what signing needs: host (with port), escaped path, raw query. */
function parseURL(text: string): { host: string; path: string; query: string } {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?/.exec(text);
  if (!m) throw new BuiltinError(`parse ${JSON.stringify(text)}: invalid URL`);
  const authority = m[2] ?? '';
  const host = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  const path = (m[3] ?? '').replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) =>
    [...utf8(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  return { host, path, query: m[4] ?? '' };
}

const signReq = declare({
  name: 'providers.aws.sign_req',
  args: [
    { name: 'request', type: T.object(T.string, T.any), description: 'HTTP request object' },
    { name: 'aws_config', type: T.object(T.string, T.any), description: 'AWS configuration object' },
    { name: 'time_ns', type: T.number, description: 'nanoseconds since the epoch' },
  ],
  result: { name: 'signed_request', type: T.object(), description: 'HTTP request object with `Authorization` header' },
  description:
    'Signs an HTTP request object for Amazon Web Services. Currently implements ' +
    '[AWS Signature Version 4 request signing]' +
    '(https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html) ' +
    'by the `Authorization` header method.',
  categories: ['providers.aws'],
});

implement(signReq, ([r, c, t]) => {
  const req = objectArg(r, 1);
  const config = objectArg(c, 1);
  const missing = REQUIRED_CONFIG.filter((k) => !config.has(k));
  if (missing.length) throw operandError(2, `missing required AWS config parameters(s): ${setText(missing)}`);
  const invalid = REQUIRED_CONFIG.filter((k) => typeof config.get(k) !== 'string');
  if (invalid.length)
    throw operandError(2, `invalid values for required AWS config parameters(s): ${setText(invalid)}`);
  if (t === undefined || !isNumber(t)) throw operandTypeError(1, t ?? null, 'number');
  const ns = toBigInt(t);
  if (ns === undefined || ns < -(1n << 63n) || ns >= 1n << 63n)
    throw operandError(3, 'could not convert time_ns value into a unix timestamp');

  const missingReq = ['method', 'url'].filter((k) => !req.has(k));
  if (missingReq.length) throw operandError(1, `missing required request parameters(s): ${setText(missingReq)}`);
  const unknown = req.keys().filter((k) => typeof k !== 'string' || !REQUEST_KEYS.has(k));
  if (unknown.length) throw operandError(1, `invalid request parameters(s): ${valueToString(SetValue.of(unknown))}`);
  let headers = new ObjectValue();
  const h = req.get('headers');
  if (h !== undefined) {
    if (!(h instanceof ObjectValue)) throw operandTypeError(0, h, 'object');
    headers = h;
  }
  const badTypes = ['method', 'url'].filter((k) => typeof req.get(k) !== 'string');
  if (badTypes.length) throw operandError(1, `invalid values for required request parameters(s): ${setText(badTypes)}`);
  const url = parseURL(req.get('url') as string);
  const method = req.get('method') as string;
  const rawBody = req.get('raw_body');
  const body = req.get('body');
  const payload =
    rawBody !== undefined ? utf8(str(rawBody)) : body !== undefined ? utf8(marshalJSON(body)) : Buffer.alloc(0);
  let unsigned = false;
  const d = config.get('disable_payload_signing');
  if (d !== undefined) {
    if (typeof d !== 'boolean') throw operandError(2, "invalid value for 'disable_payload_signing' in AWS config");
    unsigned = d;
  }

  const service = config.get('aws_service') as string;
  const region = config.get('aws_region') as string;
  const when = fromUnixNano(ns);
  const date = formatTime(when, '20060102');
  const stamp = formatTime(when, '20060102T150405Z');
  const bodyHash = unsigned ? 'UNSIGNED-PAYLOAD' : sha256(payload);
  const awsHeaders = new Map<string, string>([
    ['host', url.host],
    ['x-amz-date', stamp],
  ]);
  if (service === 's3' || service === 'glacier') awsHeaders.set('x-amz-content-sha256', bodyHash);
  const token = str(config.get('aws_session_token'));
  if (token !== '') awsHeaders.set('x-amz-security-token', token);
  // The request's own headers are signed as given (overriding computed ones of the same name).
  const toSign = new Map(awsHeaders);
  for (const [k, v] of headers.entries()) {
    const name = str(k).toLowerCase();
    if (!IGNORED_HEADERS.has(name)) toSign.set(name, str(v));
  }
  const names = [...toSign.keys()].sort((a, b) => Buffer.compare(utf8(a), utf8(b)));
  const canonical = [
    method,
    url.path,
    url.query,
    ...names.map((k) => `${k}:${toSign.get(k)}`),
    '',
    names.join(';'),
    bodyHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSignText = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${sha256(canonical)}`;
  let key = hmac(`AWS4${config.get('aws_secret_access_key') as string}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = hmac(key, toSignText).toString('hex');
  const credential = `${config.get('aws_access_key') as string}/${scope}`;
  const auth = `AWS4-HMAC-SHA256 Credential=${credential},SignedHeaders=${names.join(';')},Signature=${signature}`;

  const signed = new ObjectValue();
  for (const [k, v] of headers.entries()) signed.put(str(k), str(v));
  signed.put('Authorization', auth);
  for (const [k, v] of awsHeaders) signed.put(k, v);
  return ObjectValue.of(req.entries()).put('headers', signed);
});
