// http.send, without the network. mlspec evaluates policies in CI and pull-request review,
// where a policy's verdict must depend only on the spec, the data and the input: a policy that
// reaches for the network fails closed with a clear error, raised even without strict builtin
// errors (a call that can never succeed is no data-dependent failure to tolerate). With
// `raise_error: false` the call returns what OPA returns for a network error:
// `{"status_code": 0, "error": {"code": "eval_http_send_network_error", "message": ...}}`.
// The request is still checked the way OPA checks it, and `with http.send as mock` works, so
// tests of such policies run here.
import { valueToString } from '../convert.js';
import { RegoError } from '../errors.js';
import { ObjectValue, SetValue } from '../value.js';
import { objectArg } from './args.js';
import { declare, implement, OperandError } from './table.js';
import { T } from '../types.js';

// OPA's accepted request keys (v1/topdown/http.go), of which `method` and `url` are required.
const ALLOWED = new Set([
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
const REQUIRED = ['method', 'url'];

const send = declare({
  name: 'http.send',
  args: [{ name: 'request', type: T.object(T.string, T.any), description: 'the HTTP request object' }],
  result: { name: 'response', type: T.object(T.any, T.any), description: 'the HTTP response object' },
  description:
    'Returns a HTTP response to the given HTTP request. In mlspec it never reaches the network: it fails, ' +
    'unless replaced with `with http.send as ...`.',
  categories: ['http'],
  nondeterministic: true,
});

implement(send, ([request]) => {
  const req = objectArg(request, 1);
  const keys = [...req.keys()].map((k) => (typeof k === 'string' ? k : valueToString(k)));
  const invalid = keys.filter((k) => !ALLOWED.has(k));
  if (invalid.length > 0)
    throw new OperandError(`invalid request parameters(s): ${valueToString(SetValue.of(invalid))}`);
  const missing = REQUIRED.filter((k) => !keys.includes(k));
  if (missing.length > 0)
    throw new OperandError(`missing required request parameters(s): ${valueToString(SetValue.of(missing))}`);
  if (req.get('raise_error') === false) {
    const error = ObjectValue.fromRecord({ code: 'eval_http_send_network_error', message: NO_NETWORK });
    return ObjectValue.fromRecord({ status_code: 0, error });
  }
  throw new RegoError('eval_builtin_error', NO_NETWORK, undefined, 'mock the call in tests: `with http.send as ...`');
});

const NO_NETWORK = 'network access is disabled: mlspec evaluates policies without the network';
