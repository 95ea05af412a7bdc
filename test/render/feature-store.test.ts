// The features concept: the Feast repository (feature_store.yaml per online store type,
// features.py), the apply Job, materialization CronJobs, streaming ingestion, the feature
// server, their network policies and the freshness metric. The global tests (upstream schemas,
// pod security, GPU placement of every example) are in the files next to this one; here the
// variants only this concept has (DynamoDB, SQL registry, Kinesis, offline views, composite
// keys) are validated against the upstream schemas as well.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ResolvedSystem } from '../../compiler/resolve/resolved.js';
import { renderSystem } from '../../compiler/render/system.js';
import type { K8sObject, ManifestSet } from '../../compiler/render/base/manifest-set.js';
import { FEATURE_METRICS } from '../../compiler/render/base/feature-metrics.js';
import { FEASTIGNORE, METRICS_MODULE } from '../../compiler/render/features/scripts.js';
import { cardFraudSpec, example, exampleSystems, renderedExamples, resolveVariants } from './helpers/examples.js';
import { upstreamProblems } from './helpers/upstream.js';
import { podTemplates, type Json } from './helpers/pods.js';
import { python, pythonSyntaxErrors, withFiles } from './helpers/python.js';

const find = (set: ManifestSet, kind: string, name: string) =>
  set.objects.find((o) => o.kind === kind && o.metadata.name === name) as Json | undefined;
const ofKind = (set: ManifestSet, kind: string) => set.objects.filter((o) => o.kind === kind) as Json[];
const repoData = (set: ManifestSet) =>
  find(set, 'ConfigMap', `${set.system}-feature-repo`)!.data as Record<string, string>;

async function rendered(name: string, env: string): Promise<{ system: ResolvedSystem; set: ManifestSet }> {
  const system = example(await exampleSystems(), name, env);
  return { system, set: renderSystem(system) };
}

/** card-fraud on a cluster with DynamoDB and a SQL registry, a Kinesis stream, an offline view and a two-key entity. */
async function variant(): Promise<{ system: ResolvedSystem; set: ManifestSet }> {
  const spec = cardFraudSpec();
  spec.metadata.name = 'feature-variant';
  spec.environments = { a: { cluster: 'dynamo' } };
  spec.features.entities.merchant.joinKeys.country = { dtype: 'string' };
  spec.features.views.card_txn_stats.streamSource = {
    type: 'kinesis',
    topic: 'card-events',
    format: 'json',
    timestampField: 'event_ts',
  };
  spec.features.views.merchant_history = {
    entities: ['merchant'],
    features: { chargebacks_90d: { dtype: 'int64' } },
    batchSource: { uri: 'file:///data/merchant_history/', timestampField: 'ts' },
    ttl: '30d',
    freshness: '2d',
    online: false,
  };
  const [system] = await resolveVariants({ 'feature-variant': spec }, (p) => {
    p.clusters.dynamo = {
      ...structuredClone(p.clusters['prod-eu']),
      region: 'eu-west-1',
      featureStore: {
        registry: 'postgresql://feast@registry-db.feast.svc:5432/registry',
        onlineStore: {
          type: 'dynamodb',
          connectionString: 'https://dynamodb.eu-west-1.amazonaws.com',
          secretName: 'feast-aws',
          port: 443,
          cidr: '3.248.0.0/13',
        },
      },
    };
    p.clusters.dynamo.endpoints['feast-registry'] = {
      hosts: ['registry-db.feast.svc'],
      ports: [5432],
      namespace: 'feast',
      podLabels: { app: 'registry-db' },
    };
  });
  return { system: system!, set: renderSystem(system!) };
}

describe('feature_store.yaml', () => {
  it('parses as YAML; names the project, registry and redis online store (password from the Secret)', async () => {
    const { set } = await rendered('card-fraud', 'prod');
    const config = parse(repoData(set)['feature_store.yaml']);
    expect(config).toEqual({
      project: 'card_fraud_prod',
      provider: 'local',
      // One registry file per Feast project: a file registry is rewritten whole on each write.
      registry: {
        registry_type: 'file',
        path: 'gs://acme-feast-prod/card_fraud_prod/registry.db',
        cache_ttl_seconds: 60,
      },
      online_store: {
        type: 'redis',
        connection_string: '10.20.0.5:6378,ssl=true,password=${FEAST_ONLINE_STORE_PASSWORD}',
      },
      offline_store: { type: 'file' },
      entity_key_serialization_version: 2,
    });
  });

  it('uses a project per environment, so environments sharing a cluster stay apart', async () => {
    const staging = parse(repoData((await rendered('churn-small', 'staging')).set)['feature_store.yaml']);
    const prod = parse(repoData((await rendered('churn-small', 'prod')).set)['feature_store.yaml']);
    // Same registry location, one file per project (no two writers of one file registry).
    expect(staging.registry.path).toBe('s3://acme-feast-me-prod/churn_small_staging/registry.db');
    expect(prod.registry.path).toBe('s3://acme-feast-me-prod/churn_small_prod/registry.db');
    expect(staging.project).toBe('churn_small_staging');
    expect(prod.project).toBe('churn_small_prod');
  });

  it('configures postgres from the connection string, without credentials', async () => {
    const { set } = await rendered('churn-small', 'dev');
    expect(parse(repoData(set)['feature_store.yaml']).online_store).toEqual({
      type: 'postgres',
      host: 'pg.feast.svc',
      port: 5432,
      database: 'online',
      db_schema: 'public',
      user: 'feast',
      password: '${FEAST_ONLINE_STORE_PASSWORD}',
    });
  });

  it('configures dynamodb and a SQL registry', async () => {
    const { set } = await variant();
    const config = parse(repoData(set)['feature_store.yaml']);
    expect(config.provider).toBe('aws');
    expect(config.online_store).toEqual({
      type: 'dynamodb',
      region: 'eu-west-1',
      endpoint_url: 'https://dynamodb.eu-west-1.amazonaws.com',
    });
    expect(config.registry.registry_type).toBe('sql');
  });

  it('gets one config per offline store kind when file and BigQuery sources mix', async () => {
    const { set } = await rendered('product-ranker', 'prod');
    const data = repoData(set);
    expect(parse(data['feature_store.yaml']).offline_store).toEqual({ type: 'file' });
    expect(parse(data['feature_store.bigquery.yaml']).offline_store).toEqual({
      type: 'bigquery',
      project_id: 'acme-retail',
    });
    const bq = find(set, 'CronJob', 'product-ranker-materialize-product-stats')!;
    const file = find(set, 'CronJob', 'product-ranker-materialize-customer-profile')!;
    const command = (cj: Json) => cj.spec.jobTemplate.spec.template.spec.containers[0].command.join(' ');
    expect(command(bq)).toContain('--feature-store-yaml /etc/feast/feature_store.bigquery.yaml');
    expect(command(file)).not.toContain('--feature-store-yaml');
  });

  it('keeps credentials out of the repository: every Feast container reads them from the profile Secret', async () => {
    for (const { system, set } of await renderedExamples()) {
      const data = JSON.stringify(repoData(set));
      expect(data).not.toMatch(/password=[^$]/);
      // Feast containers: those that mount the feature repository.
      const feast = set.objects
        .flatMap(podTemplates)
        .flatMap((t) => t.containers)
        .filter((c) => ((c.volumeMounts ?? []) as Json[]).some((m) => m.mountPath === '/etc/feast'));
      expect(feast.length, `${set.environment}/${set.system}`).toBeGreaterThan(0);
      for (const c of feast) {
        const ref = (c.env as Json[]).find((e) => e.name === 'FEAST_ONLINE_STORE_PASSWORD');
        expect(ref?.valueFrom?.secretKeyRef, `${set.system} ${c.name}`).toEqual({
          name: system.cluster.featureStore.onlineStore.secretName,
          key: 'password',
          optional: false,
        });
      }
    }
  });
});

describe('features.py', () => {
  it('is valid Python for every example and environment', async () => {
    const sources: Record<string, string> = {};
    for (const { set } of await renderedExamples()) {
      const data = repoData(set);
      for (const file of Object.keys(data).filter((f) => f.endsWith('.py')))
        sources[`${set.environment}/${set.system}/${file}`] = data[file]!;
    }
    expect(Object.keys(sources).length).toBeGreaterThanOrEqual(27);
    expect(pythonSyntaxErrors(sources)).toBe('');
  });

  it('defines the entities, views with schema, ttl and sources, push sources for streams, and services', async () => {
    const py = repoData((await rendered('card-fraud', 'prod')).set)['features.py']!;
    expect(py).toContain(
      'entity_card = Entity(\n    name="card",\n    join_keys=["card_id"],\n    value_type=ValueType.STRING,',
    );
    expect(py).toContain('ttl=timedelta(seconds=86400)');
    expect(py).toContain('Field(name="card_id", dtype=String, tags={"personal_data": "true"})');
    expect(py).toContain(
      'source_card_txn_stats_push = PushSource(\n    name="card_txn_stats_push",\n    ' +
        'batch_source=source_card_txn_stats_batch,\n)',
    );
    expect(py).toContain('source=source_card_txn_stats_push');
    expect(py).toContain('source=source_merchant_risk_batch');
    expect(py).toContain(
      'features=[view_card_txn_stats, view_merchant_risk[["merchant_risk_score", "merchant_category"]]]',
    );
    const bq = repoData((await rendered('product-ranker', 'prod')).set)['features.py']!;
    expect(bq).toContain('table="acme-retail.recsys.product_stats"');
  });

  it('turns a two-key entity into one Feast entity per key, and keeps offline views offline', async () => {
    const py = repoData((await variant()).set)['features.py']!;
    expect(py).toContain('entity_merchant__country = Entity(');
    expect(py).toContain('entities=[entity_merchant__country, entity_merchant__merchant_id]');
    expect(py).toMatch(/name="merchant_history",[\s\S]*?online=False/);
    expect(pythonSyntaxErrors({ 'features.py': py })).toBe('');
  });

  it('keeps the scripts out of `feast apply`', async () => {
    const data = repoData((await rendered('card-fraud', 'prod')).set);
    const scripts = Object.keys(data).filter((f) => f.endsWith('.py') && f !== 'features.py');
    expect(scripts.sort()).toEqual(['freshness.py', 'ingest.py', 'mlspec_metrics.py']);
    for (const s of scripts) expect(FEASTIGNORE.split('\n')).toContain(s);
  });
});

describe('feature workloads', () => {
  it('materializes each online view on its schedule (hourly by default): feast materialize-incremental', async () => {
    const { set } = await rendered('card-fraud', 'prod');
    const crons = ofKind(set, 'CronJob').filter((c) => c.metadata.name.includes('-materialize-'));
    expect(crons.map((c) => [c.metadata.name, c.spec.schedule])).toEqual([
      ['card-fraud-materialize-card-txn-stats', '0 * * * *'],
      ['card-fraud-materialize-merchant-risk', '15 * * * *'],
    ]);
    const c = crons[0]!.spec.jobTemplate.spec.template.spec.containers[0];
    expect(c.image).toBe(
      'registry.acme.io/platform/feast:0.40@sha256:dc3b2f7aadf621c4d114a806e376e976433aafb9038c6361fe92fb569c93be1c',
    );
    expect(c.command.join(' ')).toMatch(
      new RegExp(
        '^sh -c exec feast --chdir /etc/feast materialize-incremental ' +
          '"\\$\\$\\(date -u \\+%Y-%m-%dT%H:%M:%S\\)" --views card_txn_stats$',
      ),
    );
    expect(crons[0]!.spec.concurrencyPolicy).toBe('Forbid');
  });

  it('does not materialize offline views', async () => {
    const { set } = await variant();
    expect(find(set, 'CronJob', 'feature-variant-materialize-merchant-history')).toBeUndefined();
    expect(find(set, 'CronJob', 'feature-variant-materialize-merchant-risk')).toBeDefined();
  });

  it('runs an ingestion Deployment only for views with a stream, with egress to the brokers', async () => {
    const { set } = await rendered('card-fraud', 'prod');
    const ingest = ofKind(set, 'Deployment').filter((d) => d.metadata.name.includes('-feature-ingest-'));
    expect(ingest.map((d) => d.metadata.name)).toEqual(['card-fraud-feature-ingest-card-txn-stats']);
    const env = ingest[0]!.spec.template.spec.containers[0].env as Json[];
    const stream = JSON.parse(env.find((e) => e.name === 'MLSPEC_STREAM')!.value);
    expect(stream).toMatchObject({
      type: 'kafka',
      topic: 'payments.card-transactions.v2',
      pushSource: 'card_txn_stats_push',
      group: 'card_fraud_prod.card_txn_stats',
      format: 'avro',
    });
    const policy = find(set, 'NetworkPolicy', 'card-fraud-feature-ingest-card-txn-stats')!;
    // The brokers and the schema registry of the profile's approved endpoints: their pods only.
    const kafkaPods = (name: string) => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kafka' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
    });
    expect(policy.spec.egress).toContainEqual({ ports: [{ port: 9093, protocol: 'TCP' }], to: [kafkaPods('kafka')] });
    expect(policy.spec.egress).toContainEqual({
      ports: [{ port: 8081, protocol: 'TCP' }],
      to: [kafkaPods('schema-registry')],
    });
    expect(policy.spec.egress).toContainEqual({
      ports: [{ port: 6378, protocol: 'TCP' }],
      to: [{ ipBlock: { cidr: '10.20.0.0/24' } }],
    });
    expect(
      ofKind((await rendered('churn-small', 'prod')).set, 'Deployment').some((d) =>
        d.metadata.name.includes('-feature-ingest-'),
      ),
    ).toBe(false);
  });

  it('lets Kinesis ingestion out over HTTPS only', async () => {
    const { set } = await variant();
    const policy = find(set, 'NetworkPolicy', 'feature-variant-feature-ingest-card-txn-stats')!;
    const ports = (policy.spec.egress as Json[]).flatMap((r) => r.ports.map((p: Json) => p.port)).sort();
    // DynamoDB (443 per profile), the SQL registry (5432), the Kinesis endpoint's two ranges (443),
    // the GKE metadata server (80, 988) of the profile's workload identity.
    expect(ports).toEqual([443, 443, 443, 5432, 80, 988]);
    const cidrs = (policy.spec.egress as Json[]).flatMap((r) => r.to.map((p: Json) => p.ipBlock?.cidr));
    expect(cidrs).not.toContain('0.0.0.0/0');
  });

  it("serves features to this system's serving pods only", async () => {
    const { set } = await rendered('card-fraud', 'prod');
    const server = find(set, 'Deployment', 'card-fraud-feature-server')!;
    const main = server.spec.template.spec.containers.find((c: Json) => c.name === 'feature-server');
    expect(main.command).toEqual([
      'feast',
      '--chdir',
      '/etc/feast',
      'serve',
      '--host',
      '0.0.0.0',
      '--port',
      '6566',
      '--no-access-log',
    ]);
    expect(find(set, 'Service', 'card-fraud-feature-server')!.spec.ports).toEqual([
      { name: 'http', port: 6566, targetPort: 6566 },
    ]);
    const policy = find(set, 'NetworkPolicy', 'card-fraud-feature-server')!;
    const sources = (policy.spec.ingress as Json[]).filter((r) => r.ports[0].port === 6566).flatMap((r) => r.from);
    expect(sources).toEqual([
      {
        podSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'card-fraud-enterprise', 'mlspec.io/system': 'card-fraud' },
        },
      },
      {
        podSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'card-fraud-standard', 'mlspec.io/system': 'card-fraud' },
        },
      },
    ]);
    // One egress policy per tier that retrieves features, selecting that tier's pods only.
    expect(find(set, 'NetworkPolicy', 'card-fraud-serving-to-feature-server')).toBeUndefined();
    const out = find(set, 'NetworkPolicy', 'card-fraud-standard-to-feature-server')!;
    expect(out.spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'card-fraud-standard',
      'mlspec.io/system': 'card-fraud',
    });
    expect(out.spec.egress).toEqual([
      {
        ports: [{ port: 6566, protocol: 'TCP' }],
        to: [
          {
            podSelector: {
              matchLabels: { 'app.kubernetes.io/name': 'card-fraud-feature-server', 'mlspec.io/system': 'card-fraud' },
            },
          },
        ],
      },
    ]);
  });

  it('applies the definitions in a Job named by the repository content', async () => {
    const base = example(await exampleSystems(), 'card-fraud', 'prod');
    const applyName = (s: ResolvedSystem) =>
      ofKind(renderSystem(s), 'Job').find((j) => j.metadata.name.startsWith('card-fraud-feature-apply-'))!.metadata
        .name as string;
    const name = applyName(base);
    expect(name).toMatch(/^card-fraud-feature-apply-[0-9a-f]{8}$/);
    const replicas = structuredClone(base) as any;
    replicas.spec.serving.tiers.standard.replicas.max = 40;
    expect(applyName(replicas)).toBe(name);
    const ttl = structuredClone(base) as any;
    ttl.spec.features.views.merchant_risk.ttl = '8d';
    expect(applyName(ttl)).not.toBe(name);
    const job = find(renderSystem(base), 'Job', name)!;
    expect(job.spec.template.spec.containers[0].command).toEqual([
      'feast',
      '--chdir',
      '/etc/feast',
      'apply',
      '--skip-source-validation',
    ]);
  });
});

describe('freshness metric', () => {
  it('is exported under the name the alerts query, and scraped where prometheus-operator runs', async () => {
    const { set } = await rendered('card-fraud', 'prod');
    const server = find(set, 'Deployment', 'card-fraud-feature-server')!;
    const freshness = server.spec.template.spec.containers.find((c: Json) => c.name === 'freshness');
    expect(freshness.env).toContainEqual({
      name: 'MLSPEC_FRESHNESS_METRIC',
      value: FEATURE_METRICS.lastEventTimestamp,
    });
    const rules = JSON.stringify(find(set, 'PrometheusRule', 'card-fraud')!.spec);
    expect(rules).toContain(FEATURE_METRICS.lastEventTimestamp);
    const monitor = find(set, 'ServiceMonitor', 'card-fraud-features')!;
    expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(monitor.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'card-fraud-feature-metrics',
      'mlspec.io/system': 'card-fraud',
    });
    const service = find(set, 'Service', 'card-fraud-feature-metrics')!;
    expect(service.spec.selector).toEqual({ 'mlspec.io/feature-metrics': 'true', 'mlspec.io/system': 'card-fraud' });
    const exporting = set.objects
      .filter((o) => (o as Json).spec?.template?.metadata?.labels?.['mlspec.io/feature-metrics'] === 'true')
      .map((o) => o.metadata.name);
    expect(exporting.sort()).toEqual(['card-fraud-feature-ingest-card-txn-stats', 'card-fraud-feature-server']);
  });

  it('is written in the Prometheus text format by the metrics module', () => {
    const out = withFiles({ 'mlspec_metrics.py': METRICS_MODULE }, (dir) =>
      python(
        [
          '-c',
          'import mlspec_metrics as m\ng = m.Gauge("x_seconds", "help")\ng.set({"view": "v\\"1", "system": ' +
            '"s"}, 12.5)\nprint(g.render(), end="")',
        ],
        { cwd: dir },
      ),
    );
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('# HELP x_seconds help\n# TYPE x_seconds gauge\nx_seconds{system="s",view="v\\"1"} 12.5\n');
  });
});

describe('variants', () => {
  it('every object of the feature variant validates against the upstream schemas', async () => {
    const { set } = await variant();
    const problems: string[] = [];
    for (const o of set.objects as K8sObject[]) problems.push(...(await upstreamProblems(o)));
    expect(problems).toEqual([]);
  });
});
