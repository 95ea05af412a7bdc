// The audit trail: signed in-toto statements in a hash-chained log; tampering with any record,
// link, signature or rendered file is found by `mlspec audit verify`.
import { generateKeyPairSync, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { exampleRepo, type Repo } from '../review/fixtures.js';

let repo: Repo;
const LOG = 'audit/provenance.jsonl';

function keys() {
  const pair = generateKeyPairSync('ed25519');
  return {
    privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
const signer = keys();

async function record(dir: string, key = signer.privatePem) {
  return runCli(['check', '--record', '--format', 'json', '--output', 'review.json'], {
    cwd: dir,
    env: { MLSPEC_SIGNING_KEY: key, MLSPEC_GIT_COMMIT: 'abc1234' },
  });
}

const verifyAudit = (dir: string) => runCli(['audit', 'verify', '--public-key', 'trusted.pub'], { cwd: dir });
const lines = (dir: string) => readFileSync(join(dir, LOG), 'utf8').trimEnd().split('\n');
const writeLines = (dir: string, ls: string[]) => writeFileSync(join(dir, LOG), `${ls.join('\n')}\n`);

beforeEach(async () => {
  repo = exampleRepo();
  writeFileSync(join(repo.dir, 'trusted.pub'), signer.publicPem);
  expect((await runCli(['compile'], { cwd: repo.dir })).code).toBe(0);
  expect((await record(repo.dir)).code).toBe(0);
  repo.edit('specs/card-fraud.yaml', (t) =>
    t.replace('replicas: { min: 3, max: 12 }', 'replicas: { min: 3, max: 13 }'),
  );
  expect((await runCli(['compile'], { cwd: repo.dir })).code).toBe(0);
  expect((await record(repo.dir)).code).toBe(0);
});
afterEach(() => repo.cleanup());

describe('the audit log', () => {
  it('records a review once per change of what was rendered or decided, and verifies', async () => {
    expect(lines(repo.dir)).toHaveLength(2);
    const again = await record(repo.dir);
    expect(again.stderr).toContain('unchanged since the last record');
    expect(lines(repo.dir)).toHaveLength(2);
    const run = await verifyAudit(repo.dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^2 record\(s\) verified; out\/ matches the latest \(\d+ files\)\n$/);
    // compile --check is not disturbed by the log beside out/.
    expect((await runCli(['compile', '--check'], { cwd: repo.dir })).code).toBe(0);
  });

  it('each record is an in-toto statement in a DSSE envelope that standard tooling can verify', () => {
    const record = JSON.parse(lines(repo.dir)[1]!);
    const env = record.envelope;
    expect(env.payloadType).toBe('application/vnd.in-toto+json');
    const body = Buffer.from(env.payload, 'base64');
    // DSSE's pre-authentication encoding, written out here independently of mlspec's code.
    const pae = Buffer.concat([
      Buffer.from(`DSSEv1 ${Buffer.byteLength(env.payloadType)} ${env.payloadType} ${body.length} `),
      body,
    ]);
    expect(verify(null, pae, signer.publicPem, Buffer.from(env.signatures[0].sig, 'base64'))).toBe(true);
    const statement = JSON.parse(body.toString('utf8'));
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.subject.length).toBeGreaterThan(400);
    expect(statement.subject[0]).toMatchObject({
      name: expect.stringMatching(/^out\//),
      digest: { sha256: expect.any(String) },
    });
    expect(statement.predicate).toMatchObject({
      gitCommit: 'abc1234',
      verdict: 'pass',
      builder: { id: 'mlspec' },
      platformConfig: { file: 'specs/platform.yaml' },
    });
    expect(statement.predicate.specs.map((s: { file: string }) => s.file)).toContain('specs/card-fraud.yaml');
    expect(statement.predicate.policySet.policies.length).toBeGreaterThan(0);
  });
});

describe('tampering is found', () => {
  it('an edited record', async () => {
    const ls = lines(repo.dir);
    const r = JSON.parse(ls[0]!);
    const statement = JSON.parse(Buffer.from(r.envelope.payload, 'base64').toString());
    statement.predicate.verdict = 'fail';
    r.envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    ls[0] = JSON.stringify(r);
    writeLines(repo.dir, ls);
    const run = await verifyAudit(repo.dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${LOG}:1: the signature does not verify`);
    expect(run.stderr).toContain(`${LOG}:2: the chain is broken`);
  });

  it('a deleted or reordered record', async () => {
    const ls = lines(repo.dir);
    writeLines(repo.dir, [ls[1]!]);
    const deleted = await verifyAudit(repo.dir);
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toContain(`${LOG}:1: record 1 is at position 0`);
    writeLines(repo.dir, [ls[1]!, ls[0]!]);
    const reordered = await verifyAudit(repo.dir);
    expect(reordered.code).toBe(1);
    expect(reordered.stderr).toMatch(/chain is broken/);
  });

  it('a chain link rewritten, and a record forged with another key', async () => {
    const ls = lines(repo.dir);
    const r = JSON.parse(ls[1]!);
    r.previous = '1'.repeat(64);
    writeLines(repo.dir, [ls[0]!, JSON.stringify(r)]);
    expect((await verifyAudit(repo.dir)).stderr).toContain(`${LOG}:2: the chain is broken`);
    writeLines(repo.dir, ls);
    // The attacker appends a record signed with their own key.
    repo.edit('specs/card-fraud.yaml', (t) => t.replace('max: 13 }', 'max: 14 }'));
    expect((await runCli(['compile'], { cwd: repo.dir })).code).toBe(0);
    expect((await record(repo.dir, keys().privatePem)).code).toBe(0);
    const forged = await verifyAudit(repo.dir);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain(`${LOG}:3: the signature does not verify with the public key`);
  });

  it('a rendered file changed, added or removed after the record', async () => {
    const file = join(repo.dir, 'out/prod/card-fraud/deployment-card-fraud-standard.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}# edited\n`);
    writeFileSync(join(repo.dir, 'out/prod/card-fraud/extra.yaml'), 'kind: ConfigMap\n');
    const run = await verifyAudit(repo.dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'out: out/prod/card-fraud/deployment-card-fraud-standard.yaml differs from the latest record',
    );
    expect(run.stderr).toContain('out: out/prod/card-fraud/extra.yaml is not in the latest record');
  });
});
