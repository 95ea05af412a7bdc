// The Feast `feature_store.yaml` of one system and environment (pure data). Targets Feast 0.40
// (`platform.images.featureServer`): file or SQL registry, redis/postgres/dynamodb online store,
// file (any fsspec URI: s3://, gs://, file://) or BigQuery offline store.
//
// - Project: `<system>_<environment>`. Registries and online stores belong to a cluster
//   profile, and two environments may share a profile (churn-small staging and prod both run
//   on prod-me): one project per environment keeps their definitions and online rows apart.
// - Credentials never appear here: Feast expands `${VAR}` in feature_store.yaml when it loads
//   it (`os.path.expandvars` on the text), and the pods get the variables from the profile's
//   `secretName`. The secret value is substituted into a plain YAML scalar, so it must not
//   contain whitespace, quotes, `#` or `,` (a redis connection string is comma-separated).
// - One offline store per file: Feast reads a feature view's batch source through the one
//   offline store of its config, so a system mixing file and BigQuery sources gets one config
//   per kind; `feature_store.yaml` is the first kind (file before bigquery), the others are
//   `feature_store.<kind>.yaml`, used by the materialization jobs of those views only.
import type { ResolvedSystem } from '../../resolve/resolved.js';
import { uriEndpoint } from './endpoints.js';

export const FEAST_VERSION = '0.40';
/** Where the feature repository (this config, features.py, scripts) is mounted. */
export const FEAST_REPO_DIR = '/etc/feast';
export const PRIMARY_CONFIG = 'feature_store.yaml';
/** Seconds a Feast process keeps the registry before reading it again. */
export const REGISTRY_CACHE_TTL_SECONDS = 60;

/** Env vars the online store config refers to, and the keys of `secretName` they come from. */
export const ONLINE_STORE_SECRET_ENV = {
  redis: [{ env: 'FEAST_ONLINE_STORE_PASSWORD', key: 'password', optional: false }],
  postgres: [{ env: 'FEAST_ONLINE_STORE_PASSWORD', key: 'password', optional: false }],
  // Optional: with workload identity (IRSA) the secret may hold no keys.
  dynamodb: [
    { env: 'AWS_ACCESS_KEY_ID', key: 'AWS_ACCESS_KEY_ID', optional: true },
    { env: 'AWS_SECRET_ACCESS_KEY', key: 'AWS_SECRET_ACCESS_KEY', optional: true },
  ],
} as const;

export type OfflineKind = 'file' | 'bigquery';
const OFFLINE_ORDER: readonly OfflineKind[] = ['file', 'bigquery'];

/** `bigquery://project.dataset.table` reads through BigQuery; every other URI through files. */
export function offlineKind(uri: string): OfflineKind {
  return uri.startsWith('bigquery://') ? 'bigquery' : 'file';
}

/** `project.dataset.table` of a `bigquery://` URI. */
export function bigQueryTable(uri: string): string {
  return uri.slice('bigquery://'.length).replace(/\/+$/, '');
}

/** Feast project names: letters, digits and `_`, not starting with `_`. */
export function feastProject(s: ResolvedSystem): string {
  return `${s.name}_${s.environment}`.replace(/[^A-Za-z0-9_]/g, '_');
}

const SQL_REGISTRY = /^(postgresql|postgresql\+[a-z0-9]+|mysql|mysql\+[a-z0-9]+|sqlite):\/\//;

function registryConfig(uri: string): Record<string, unknown> {
  return {
    registry_type: SQL_REGISTRY.test(uri) ? 'sql' : 'file',
    path: uri,
    cache_ttl_seconds: REGISTRY_CACHE_TTL_SECONDS,
  };
}

const envRef = (name: string) => `\${${name}}`;

/** `postgresql://user@host:port/db?sslmode=x` → Feast's postgres online store fields. */
function postgresConfig(connection: string): Record<string, unknown> {
  const endpoint = uriEndpoint(connection, 5432) ?? { host: connection.split(':')[0]!, port: 5432 };
  const user = /^[a-z][a-z0-9+.-]*:\/\/([^@:/]+)(?::[^@]*)?@/i.exec(connection)?.[1] ?? 'feast';
  const database = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/([^?#]+)/i.exec(connection)?.[1] ?? 'feast';
  const sslmode = /[?&]sslmode=([^&#]+)/.exec(connection)?.[1];
  return {
    type: 'postgres',
    host: endpoint.host,
    port: endpoint.port,
    database,
    db_schema: 'public',
    user,
    password: envRef(ONLINE_STORE_SECRET_ENV.postgres[0].env),
    ...(sslmode ? { sslmode } : {}),
  };
}

function onlineStoreConfig(s: ResolvedSystem): Record<string, unknown> {
  const store = s.cluster.featureStore.onlineStore;
  switch (store.type) {
    case 'redis': {
      const password = store.connectionString.includes('password=')
        ? ''
        : `,password=${envRef(ONLINE_STORE_SECRET_ENV.redis[0].env)}`;
      return { type: 'redis', connection_string: `${store.connectionString}${password}` };
    }
    case 'postgres':
      return postgresConfig(store.connectionString);
    case 'dynamodb':
      return {
        type: 'dynamodb',
        region: s.cluster.region,
        ...(/^https?:\/\//.test(store.connectionString) ? { endpoint_url: store.connectionString } : {}),
      };
  }
}

function offlineStoreConfig(s: ResolvedSystem, kind: OfflineKind): Record<string, unknown> {
  if (kind === 'file') return { type: 'file' };
  // The billing project for queries; tables are always named in full.
  const projects = Object.values(s.spec.features.views)
    .map((v) => v.batchSource.uri)
    .filter((uri) => offlineKind(uri) === 'bigquery')
    .map((uri) => bigQueryTable(uri).split('.')[0]!)
    .sort();
  return { type: 'bigquery', project_id: projects[0]! };
}

/** The offline kinds this system's views use, in file order (the first is the primary config). */
export function offlineKinds(s: ResolvedSystem): OfflineKind[] {
  const used = new Set(Object.values(s.spec.features.views).map((v) => offlineKind(v.batchSource.uri)));
  const kinds = OFFLINE_ORDER.filter((k) => used.has(k));
  return kinds.length > 0 ? kinds : ['file'];
}

/** Config file name for an offline kind. */
export function configFileFor(s: ResolvedSystem, kind: OfflineKind): string {
  return kind === offlineKinds(s)[0] ? PRIMARY_CONFIG : `feature_store.${kind}.yaml`;
}

/** Every config file of the repository: file name → feature_store.yaml content. */
export function featureStoreConfigs(s: ResolvedSystem): Record<string, Record<string, unknown>> {
  const online = onlineStoreConfig(s);
  const base = {
    project: feastProject(s),
    provider: s.cluster.featureStore.onlineStore.type === 'dynamodb' ? 'aws' : 'local',
    registry: registryConfig(s.cluster.featureStore.registry),
    online_store: online,
    // Version 2 is the current entity key encoding; 1 is deprecated.
    entity_key_serialization_version: 2,
  };
  return Object.fromEntries(
    offlineKinds(s).map((kind) => [configFileFor(s, kind), { ...base, offline_store: offlineStoreConfig(s, kind) }]),
  );
}
