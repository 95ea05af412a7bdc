// A spec names only endpoints the cluster profile approved; anything else is a located error,
// and network policy opens exactly the approved endpoints' peers.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../compiler/pipeline/pipeline.js';
import { approvedEndpoint, storageEndpoint } from '../../compiler/resolve/endpoints.js';
import type { ResolvedCluster } from '../../compiler/resolve/resolved.js';
import { toYaml } from '../../compiler/render/base/yaml.js';
import { tempDir } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '../..');

async function diagnosticsFor(edit: (spec: string) => string) {
  const { dir, cleanup } = tempDir('mlspec-endpoints-');
  try {
    mkdirSync(join(dir, 'specs'));
    writeFileSync(join(dir, 'specs/platform.yaml'), readFileSync(join(ROOT, 'specs/platform.yaml')));
    writeFileSync(join(dir, 'specs/card-fraud.yaml'), edit(readFileSync(join(ROOT, 'specs/card-fraud.yaml'), 'utf8')));
    const analysis = await analyze(['specs'], { cwd: dir });
    return analysis.diagnostics.filter((d) => d.severity === 'error');
  } finally {
    cleanup();
  }
}

describe('approved endpoints', () => {
  it('refuses brokers the profile did not approve, each located at the bootstrap servers', async () => {
    const attack = 'vault.vault.svc:8200,kube-apiserver.default.svc:443,evil.example.com:22,10.0.0.1:6443';
    const all = await diagnosticsFor((spec) =>
      spec.replace('"kafka-0.kafka.svc:9093,kafka-1.kafka.svc:9093"', `"${attack}"`),
    );
    // Reported once per environment (each names its cluster profile); prod's four:
    expect(all).toHaveLength(12);
    const errors = all.filter((d) => d.message.includes('`prod-eu`'));
    const line = readFileSync(join(ROOT, 'specs/card-fraud.yaml'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('bootstrapServers:'));
    expect(errors.map((d) => d.code)).toEqual(Array(4).fill('unapproved_endpoint'));
    for (const host of [
      'vault.vault.svc:8200',
      'kube-apiserver.default.svc:443',
      'evil.example.com:22',
      '10.0.0.1:6443',
    ])
      expect(errors.some((d) => d.message.includes(`\`${host}\``))).toBe(true);
    for (const d of errors) {
      expect(d.location).toMatchObject({ file: 'specs/card-fraud.yaml', line: line + 1 });
      expect(d.pointer).toBe('/features/views/card_txn_stats/streamSource/bootstrapServers');
      expect(d.hint).toContain('clusters.');
    }
  });

  it('refuses an unapproved bucket, schema registry or URL scheme, located', async () => {
    const errors = await diagnosticsFor((spec) =>
      spec
        .replace('uri: s3://acme-models-eu/fraud-detector/3.2.0/model.onnx', 'uri: s3://someone-else/model.onnx')
        .replace('http://schema-registry.kafka.svc:8081', 'http://metadata.google.internal:80')
        .replace('uri: s3://acme-lake-eu/fraud/snapshots/chargebacks/2026-11-01/', 'uri: ftp://x/y/'),
    );
    const at = Object.fromEntries(errors.map((d) => [d.pointer, d.code]));
    expect(at['/model/artifact/uri']).toBe('unapproved_endpoint');
    expect(at['/features/views/card_txn_stats/streamSource/schemaRegistry']).toBe('unapproved_endpoint');
    expect(at['/training/datasets/chargebacks/uri']).toBe('unsupported_uri');
    expect(errors.every((d) => d.location?.file === 'specs/card-fraud.yaml' && d.location.line > 1)).toBe(true);
  });

  it('matches hosts exactly or by a pattern within one label, and only on approved ports', () => {
    const endpoints = {
      kafka: { hosts: ['kafka-*.kafka.svc'], ports: [9093], namespace: 'kafka' },
      s3: { hosts: ['acme-*.s3.eu-west-1.amazonaws.com'], ports: [443], cidrs: ['52.218.0.0/17'] },
    };
    expect(approvedEndpoint(endpoints, { host: 'kafka-0.kafka.svc', port: 9093 })).toBe('kafka');
    expect(approvedEndpoint(endpoints, { host: 'kafka-0.kafka.svc', port: 22 })).toBeUndefined();
    expect(approvedEndpoint(endpoints, { host: 'kafka-0.evil.kafka.svc', port: 9093 })).toBeUndefined();
    expect(approvedEndpoint(endpoints, { host: 'acme-x.s3.eu-west-1.amazonaws.com', port: 443 })).toBe('s3');
    expect(approvedEndpoint(endpoints, { host: 'evil.com.acme-x.s3.eu-west-1.amazonaws.com', port: 443 })).toBe(
      undefined,
    );
    const cluster = {
      region: 'eu-west-1',
      objectStorage: { s3: { provider: 'Other', endpoint: 'https://s3.ceph:8443' } },
    };
    expect(storageEndpoint('s3://b/k', cluster as unknown as ResolvedCluster)).toEqual({ host: 's3.ceph', port: 8443 });
    expect(storageEndpoint('gs://b/k', cluster as unknown as ResolvedCluster)).toEqual({
      host: 'storage.googleapis.com',
      port: 443,
    });
    expect(storageEndpoint('file:///x', cluster as unknown as ResolvedCluster)).toBeUndefined();
    expect(storageEndpoint('ftp://x/y', cluster as unknown as ResolvedCluster)).toBeNull();
  });

  it('no rendered network policy of any example allows 0.0.0.0/0', async () => {
    const analysis = await analyze(['specs'], { cwd: ROOT });
    const { renderSystem } = await import('../../compiler/render/system.js');
    const open = analysis.resolved.flatMap((s) =>
      renderSystem(s)
        .objects.filter((o) => o.kind === 'NetworkPolicy')
        .filter((o) => toYaml(o).includes('0.0.0.0/0'))
        .map((o) => `${s.environment}/${o.metadata.name}`),
    );
    expect(open).toEqual([]);
  });
});
