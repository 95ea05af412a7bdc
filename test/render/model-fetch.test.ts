// The serving pod's model fetch, run for real: the init containers' rclone commands, exactly as
// rendered (only the destination folder moved to a temporary one), against a local
// S3-compatible server (s3rver) and a local HTTPS server, then the runtime's own digest check
// (`mlspec serve --verify-only`) on what they fetched. A file whose sha256 differs is refused.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import S3rver from 's3rver';
import { renderSystem } from '../../compiler/render/system.js';
import type { ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { cardFraudSpec, ROOT, resolveVariants } from './helpers/examples.js';
import type { Json } from './helpers/pods.js';
import { tempDir } from '../helpers/cli.js';

const RCLONE = spawnSync('rclone', ['version']).status === 0;
const MODELS = { '3.1.0': Buffer.from('stable model bytes\n'), '3.2.0': Buffer.from('canary model bytes\n') };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

let work: { dir: string; cleanup: () => void };
let s3: S3rver;
let s3Port = 0;
let https: ChildProcess | undefined;
let httpsPort = 0;

/** Runs a command without blocking this process (the S3 server answers from its event loop). */
function run(command: string[], env: Record<string, string>): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      env: { PATH: process.env.PATH ?? '/usr/bin', HOME: work.dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, out }));
  });
}

/** card-fraud (canary: two releases) on a cluster whose object storage is the local server. */
async function rendered(artifactUri: (version: string) => string, endpoint: Json, s3Config?: Json) {
  const spec = cardFraudSpec();
  spec.metadata.name = 'fetch-test';
  spec.model.artifact = { uri: artifactUri('3.2.0'), sha256: sha(MODELS['3.2.0']) };
  spec.rollout.stable.artifact = { uri: artifactUri('3.1.0'), sha256: sha(MODELS['3.1.0']) };
  spec.environments = { test: { cluster: 'local', overrides: { serving: { tiers: { enterprise: null } } } } };
  const [system] = await resolveVariants({ 'fetch-test': spec }, (p) => {
    p.clusters.local = structuredClone(p.clusters['staging-eu']);
    p.clusters.local.endpoints.local = endpoint;
    if (s3Config) p.clusters.local.objectStorage = { s3: s3Config };
  });
  return renderSystem(system!);
}

/** The tier's init containers, with /models moved under `dest`; and its runtime config likewise. */
function podOf(set: ManifestSet, dest: string): { fetchers: string[][]; configFile: string } {
  const deployment = set.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'fetch-test-standard')!;
  const init = (deployment.spec as Json).template.spec.initContainers as Json[];
  const move = (text: string) => text.replace(/^\/models\//, `${dest}/`);
  const fetchers = init.filter((c) => c.name.startsWith('fetch-')).map((c) => (c.command as string[]).map(move));
  const cm = set.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'fetch-test-standard-runtime')!;
  const config = parse((cm as Json).data['runtime.yaml']);
  for (const v of config.variants) v.path = move(v.path);
  const configFile = join(dest, 'runtime.yaml');
  writeFileSync(configFile, JSON.stringify(config));
  return { fetchers, configFile };
}

const verify = (configFile: string) =>
  run(
    [process.execPath, join(ROOT, 'dist/compiler/cli/main.js'), 'serve', '--config', configFile, '--verify-only'],
    {},
  );

beforeAll(async () => {
  if (!RCLONE) throw new Error('rclone is not installed: `apt-get install rclone` (.ci/run installs it)');
  work = tempDir('mlspec-fetch-');
  s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: join(work.dir, 's3'),
    configureBuckets: [{ name: 'acme-models-eu', configs: [] }],
  });
  s3Port = (await s3.run()).port;
  // Files served over HTTPS by Python's http.server with a certificate made for the test.
  const www = join(work.dir, 'www');
  for (const [version, bytes] of Object.entries(MODELS)) {
    mkdirSync(join(www, version), { recursive: true });
    writeFileSync(join(www, version, 'model.onnx'), bytes);
  }
  const cert = join(work.dir, 'cert.pem');
  const key = join(work.dir, 'key.pem');
  const ssl = await run(
    ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1'].concat([
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]),
    {},
  );
  expect(ssl.status, ssl.out).toBe(0);
  const server = [
    'import functools, http.server, ssl, sys',
    'handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])',
    "httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)",
    'context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)',
    'context.load_cert_chain(sys.argv[2], sys.argv[3])',
    'httpd.socket = context.wrap_socket(httpd.socket, server_side=True)',
    'print(httpd.server_address[1], flush=True)',
    'httpd.serve_forever()',
  ].join('\n');
  https = spawn('python3', ['-c', server, www, cert, key], { stdio: ['ignore', 'pipe', 'ignore'] });
  httpsPort = await new Promise<number>((resolve, reject) => {
    https!.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    https!.once('exit', () => reject(new Error('the HTTPS server did not start')));
  });
}, 60_000);

afterAll(async () => {
  https?.kill();
  await s3?.close();
  work?.cleanup();
});

describe('model fetch (rclone, run for real)', () => {
  it('fetches every release from S3-compatible storage, and the runtime accepts the digests', async () => {
    const endpoint = { hosts: ['127.0.0.1'], ports: [s3Port], cidrs: ['127.0.0.1/32'] };
    const storage = { provider: 'Other', endpoint: `http://127.0.0.1:${s3Port}` };
    const set = await rendered((v) => `s3://acme-models-eu/fraud-detector/${v}/model.onnx`, endpoint, storage);
    const s3Flags = ['--s3-env-auth', '--s3-provider=Other', `--s3-endpoint=http://127.0.0.1:${s3Port}`];
    // Upload with the same client and flags (as the register step would).
    for (const [version, bytes] of Object.entries(MODELS)) {
      const file = join(work.dir, `upload-${version}.onnx`);
      writeFileSync(file, bytes);
      const target = `:s3:acme-models-eu/fraud-detector/${version}/model.onnx`;
      const up = await run(['rclone', 'copyto', ...s3Flags, file, target], CREDENTIALS);
      expect(up.status, up.out).toBe(0);
    }
    const dest = join(work.dir, 'pod-s3');
    mkdirSync(dest);
    const { fetchers, configFile } = podOf(set, dest);
    expect(fetchers).toHaveLength(2);
    for (const command of fetchers) {
      expect(command.slice(0, 2)).toEqual(['rclone', 'copyto']);
      const r = await run(command, CREDENTIALS);
      expect(r.status, r.out).toBe(0);
    }
    expect(readFileSync(join(dest, 'stable/model.onnx'))).toEqual(MODELS['3.1.0']);
    expect(readFileSync(join(dest, 'canary/model.onnx'))).toEqual(MODELS['3.2.0']);
    const ok = await verify(configFile);
    expect(ok.status, ok.out).toBe(0);

    // The bucket's object is replaced by other bytes: fetched, then refused by its digest.
    const other = join(work.dir, 'other.onnx');
    writeFileSync(other, 'tampered\n');
    const swap = await run(
      ['rclone', 'copyto', ...s3Flags, other, ':s3:acme-models-eu/fraud-detector/3.2.0/model.onnx'],
      CREDENTIALS,
    );
    expect(swap.status, swap.out).toBe(0);
    const again = await run(fetchers[1]!, CREDENTIALS);
    expect(again.status, again.out).toBe(0);
    const refused = await verify(configFile);
    expect(refused.status).toBe(2);
    expect(refused.out).toMatch(/sha256|digest/i);
  }, 120_000);

  it('fetches over HTTPS from an approved host, and refuses a file with the wrong digest', async () => {
    const endpoint = { hosts: ['127.0.0.1'], ports: [httpsPort], cidrs: ['127.0.0.1/32'] };
    const set = await rendered((v) => `https://127.0.0.1:${httpsPort}/${v}/model.onnx`, endpoint);
    const dest = join(work.dir, 'pod-https');
    mkdirSync(dest);
    const { fetchers, configFile } = podOf(set, dest);
    // The server's certificate is trusted the way a cluster's CA bundle would be.
    const env = { SSL_CERT_FILE: join(work.dir, 'cert.pem') };
    for (const command of fetchers) {
      const r = await run(command, env);
      expect(r.status, r.out).toBe(0);
    }
    expect((await verify(configFile)).status).toBe(0);
    writeFileSync(join(work.dir, 'www/3.1.0/model.onnx'), 'not the stable model\n');
    expect((await run(fetchers[0]!, env)).status).toBe(0);
    const refused = await verify(configFile);
    expect(refused.status).toBe(2);
    expect(readFileSync(join(dest, 'stable/model.onnx'), 'utf8')).toBe('not the stable model\n');
  }, 120_000);

  it("checks the server's TLS certificate: an untrusted one fails the fetch", async () => {
    const endpoint = { hosts: ['127.0.0.1'], ports: [httpsPort], cidrs: ['127.0.0.1/32'] };
    const set = await rendered((v) => `https://127.0.0.1:${httpsPort}/${v}/model.onnx`, endpoint);
    const dest = join(work.dir, 'pod-untrusted');
    mkdirSync(dest);
    const { fetchers } = podOf(set, dest);
    // Without the test CA the TLS check fails: the fetch does not skip certificate checks.
    expect((await run(fetchers[0]!, { SSL_CERT_FILE: '/dev/null' })).status).not.toBe(0);
  }, 60_000);
});
